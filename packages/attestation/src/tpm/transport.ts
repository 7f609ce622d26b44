import { constants as fsConstants } from 'node:fs';
import { access, type FileHandle, open } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { errors } from '../errors.js';

/** Something that carries TPM command bytes to a TPM and returns the response bytes. */
export interface TpmTransport {
  /**
   * Sends one marshalled command and resolves with the complete response.
   *
   * @param command - the command bytes (header included)
   * @returns the response bytes (header included)
   */
  send(command: Uint8Array): Promise<Uint8Array>;
  /** Releases the connection or device. */
  close(): Promise<void>;
}

/** Largest response the TPM 2.0 reference implementation produces (MAX_RESPONSE_SIZE is 4096); doubled for headroom. */
const MAX_RESPONSE = 8192;

/** Options of {@link SwtpmTransport.connect}. */
export interface SwtpmTransportOptions {
  /** The swtpm server port (`--server type=tcp,port=…`). */
  readonly port: number;
  /** Host; default `127.0.0.1`. */
  readonly host?: string;
  /** Per-command timeout in ms; default 30000 (RSA key generation in a software TPM takes seconds). */
  readonly timeoutMs?: number;
}

/**
 * A TCP connection to swtpm's server socket, which carries raw TPM 2.0 command and response bytes
 * (no simulator framing). Commands are serialized: the TPM executes one at a time.
 *
 * @example
 * ```ts
 * const transport = await SwtpmTransport.connect({ port: 2321 });
 * const tpm = new Tpm(transport);
 * ```
 */
export class SwtpmTransport implements TpmTransport {
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly socket: Socket,
    private readonly timeoutMs: number,
  ) {}

  /**
   * Connects to a running swtpm.
   *
   * @param options - port, host and timeout
   * @returns the connected transport
   * @throws SystemError `MSYS_ATTESTATION_TRANSPORT` when the connection fails
   */
  static connect(options: SwtpmTransportOptions): Promise<SwtpmTransport> {
    const port = options?.port;
    if (!Number.isInteger(port) || port <= 0 || port > 65535) {
      throw errors.MSYS_ATTESTATION_INVALID_ARGUMENT({
        path: 'options.port',
        expected: 'an integer in 1..65535',
        received: String(port),
      });
    }
    const host = options.host ?? '127.0.0.1';
    const timeoutMs = options.timeoutMs ?? 30_000;
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      socket.setNoDelay(true);
      const onError = (e: Error): void => {
        socket.destroy();
        reject(
          errors.MSYS_ATTESTATION_TRANSPORT(
            { transport: `swtpm ${host}:${port}`, reason: e.message },
            { cause: e },
          ),
        );
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        socket.off('error', onError);
        resolve(new SwtpmTransport(socket, timeoutMs));
      });
    });
  }

  /** {@inheritDoc TpmTransport.send} */
  send(command: Uint8Array): Promise<Uint8Array> {
    const run = this.chain.then(() => this.exchange(command));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private exchange(command: Uint8Array): Promise<Uint8Array> {
    if (this.closed) {
      return Promise.reject(
        errors.MSYS_ATTESTATION_TRANSPORT({ transport: 'swtpm', reason: 'the transport is closed' }),
      );
    }
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let have = 0;
      const cleanup = (): void => {
        clearTimeout(timer);
        this.socket.off('data', onData);
        this.socket.off('error', onError);
        this.socket.off('close', onClose);
      };
      const failWith = (reason: string, cause?: unknown): void => {
        cleanup();
        reject(
          errors.MSYS_ATTESTATION_TRANSPORT(
            { transport: 'swtpm', reason },
            cause === undefined ? undefined : { cause },
          ),
        );
      };
      const onData = (d: Buffer): void => {
        chunks.push(d);
        have += d.length;
        if (have < 10) return;
        const all = Buffer.concat(chunks);
        const size = all.readUInt32BE(2);
        if (size < 10 || size > MAX_RESPONSE) {
          failWith(`response size ${size} is out of range`);
          return;
        }
        if (have < size) return;
        cleanup();
        resolve(new Uint8Array(all.subarray(0, size)));
      };
      const onError = (e: Error): void => failWith(e.message, e);
      const onClose = (): void => failWith('the connection closed before a full response');
      const timer = setTimeout(() => failWith(`no response within ${this.timeoutMs} ms`), this.timeoutMs);
      this.socket.on('data', onData);
      this.socket.once('error', onError);
      this.socket.once('close', onClose);
      this.socket.write(command);
    });
  }

  /** {@inheritDoc TpmTransport.close} */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.chain;
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.end();
      this.socket.destroy();
    });
  }
}

/**
 * The kernel's TPM character device: `/dev/tpmrm0` (the in-kernel resource manager, which flushes transient
 * objects and sessions per open file) or `/dev/tpm0`. One write is one command; one read returns the whole
 * response (Linux drivers/char/tpm/tpm-dev-common.c).
 */
export class DeviceTransport implements TpmTransport {
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(private readonly handle: FileHandle) {}

  /**
   * Whether the device exists and is readable and writable by this process.
   *
   * @param path - default `/dev/tpmrm0`
   * @returns true when it can be opened
   */
  static async available(path = '/dev/tpmrm0'): Promise<boolean> {
    try {
      await access(path, fsConstants.R_OK | fsConstants.W_OK);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Opens the device.
   *
   * @param path - default `/dev/tpmrm0`
   * @returns the transport
   * @throws SystemError `MSYS_ATTESTATION_TRANSPORT` when the device cannot be opened
   */
  static async open(path = '/dev/tpmrm0'): Promise<DeviceTransport> {
    try {
      return new DeviceTransport(await open(path, 'r+'));
    } catch (e) {
      throw errors.MSYS_ATTESTATION_TRANSPORT(
        { transport: path, reason: (e as Error).message },
        { cause: e },
      );
    }
  }

  /** {@inheritDoc TpmTransport.send} */
  send(command: Uint8Array): Promise<Uint8Array> {
    const run = this.chain.then(async () => {
      try {
        await this.handle.write(command, 0, command.length, null);
        const buf = Buffer.alloc(MAX_RESPONSE);
        const { bytesRead } = await this.handle.read(buf, 0, buf.length, null);
        return new Uint8Array(buf.subarray(0, bytesRead));
      } catch (e) {
        throw errors.MSYS_ATTESTATION_TRANSPORT(
          { transport: 'TPM device', reason: (e as Error).message },
          { cause: e },
        );
      }
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** {@inheritDoc TpmTransport.close} */
  async close(): Promise<void> {
    await this.chain;
    await this.handle.close();
  }
}
