import { randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { CryptoRandom, type Random } from '@msys/core/governor';
import { type Logger, silentLogger } from '@msys/core/logging';
import { ed25519Sign, ed25519Verify } from '../crypto/ed25519.js';
import { badArgument } from '../errors.js';
import type { LedgerKeyPair } from '../ledger.js';
import { DEFAULT_MAX_FRAME_BYTES, encodeFrame, FrameDecoder } from './frame.js';
import type { Transport } from './transport.js';

/** A peer a {@link TcpTransport} dials and accepts. */
export interface TcpPeer {
  /** The peer's replica id. */
  readonly id: string;
  /** Host to dial. */
  readonly host: string;
  /** Port to dial. */
  readonly port: number;
  /** The peer's Ed25519 public key: the handshake proves the peer holds its secret key. */
  readonly publicKey: Uint8Array;
}

/** Where a {@link TcpTransport} listens. */
export interface TcpListenAddress {
  /** Interface address, e.g. `127.0.0.1`. */
  readonly host: string;
  /** Port; 0 picks a free one. */
  readonly port: number;
}

/** Reconnect backoff of a {@link TcpTransport}. */
export interface TcpBackoff {
  /** First delay, ms (default 50). */
  readonly initialMs?: number;
  /** Cap, ms (default 2000). */
  readonly maxMs?: number;
}

/** Options of {@link TcpTransport.open}. */
export interface TcpTransportOptions {
  /** This replica's id. */
  readonly id: string;
  /** This replica's keys. */
  readonly keyPair: LedgerKeyPair;
  /** Where to listen; port 0 picks a free port (read it from {@link TcpTransport.port}). */
  readonly listen: TcpListenAddress;
  /** The peers; may be set later with {@link TcpTransport.setPeers} when ports are not known up front. */
  readonly peers?: readonly TcpPeer[];
  /** Largest frame accepted, bytes (default 16 MiB); a peer sending more is disconnected. */
  readonly maxFrameBytes?: number;
  /** Reconnect backoff: first delay and cap, ms (default 50 and 2000; doubles per failed attempt). */
  readonly backoff?: TcpBackoff;
  /** Frames queued per peer while disconnected (default 10000; the oldest are dropped). */
  readonly maxQueuedFrames?: number;
  /** pino-compatible logger. */
  readonly logger?: Logger;
  /**
   * Source of the reconnect jitter: a deterministic ResourceGovernor (anything with a `random`) makes the
   * delays replayable; without one the jitter comes from the operating system's CSPRNG.
   */
  readonly governor?: TcpRandomSource;
}

/** Where a {@link TcpTransport} draws randomness from: a ResourceGovernor, or anything with a `random`. */
export interface TcpRandomSource {
  /** The random stream (seeded in deterministic runs). */
  readonly random: Random;
}

/** Counters of a {@link TcpTransport}. */
export interface TcpTransportStats {
  /** Frames delivered to the receiver. */
  readonly framesIn: number;
  /** Frames written to sockets. */
  readonly framesOut: number;
  /** Connections refused by the handshake (unknown peer, bad signature, malformed). */
  readonly handshakeFailures: number;
  /** Connections closed for an oversized frame. */
  readonly oversizedFrames: number;
  /** Frames dropped from a full send queue. */
  readonly droppedFrames: number;
  /** Outbound connections (re)established. */
  readonly connects: number;
}

const TAG = 'msys-ledger/tcp-handshake/v1';
const enc = new TextEncoder();
const dec = new TextDecoder();
const FRAME_DATA = 1;
const FRAME_HELLO = 2;

function statement(nonce: string, signer: string, other: string): Uint8Array {
  return enc.encode(`${TAG}|${nonce}|${signer}|${other}`);
}

function control(body: object): Uint8Array {
  const json = enc.encode(JSON.stringify(body));
  const out = new Uint8Array(json.length + 1);
  out[0] = FRAME_HELLO;
  out.set(json, 1);
  return out;
}

function parseControl(frame: Uint8Array): Record<string, unknown> | undefined {
  if (frame[0] !== FRAME_HELLO) return undefined;
  try {
    const v: unknown = JSON.parse(dec.decode(frame.subarray(1)));
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

interface Outbound {
  socket: Socket | undefined;
  ready: boolean;
  queue: Uint8Array[];
  attempt: number;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Replica-to-replica transport over TCP. Frames are length-prefixed (uint32, big-endian). Each replica dials
 * every peer for its outgoing traffic and accepts the peers' connections for incoming traffic; a connection
 * carries data only after a mutual signed-challenge handshake: the dialer sends a nonce, the listener
 * answers with its own nonce and its Ed25519 signature over the dialer's nonce and both ids, and the dialer
 * signs the listener's nonce. Dropped connections are redialled with exponential backoff.
 *
 * @example
 * ```ts
 * const t = await TcpTransport.open({ id: 'r0', keyPair, listen: { host: '127.0.0.1', port: 0 } });
 * t.setPeers(peers);
 * ```
 */
export class TcpTransport implements Transport {
  /** This replica's id. */
  readonly localId: string;
  readonly #o: TcpTransportOptions;
  readonly #random: Random;
  readonly #server: Server;
  readonly #logger: Logger;
  readonly #max: number;
  readonly #inbound = new Set<Socket>();
  readonly #outbound = new Map<string, Outbound>();
  #peers = new Map<string, TcpPeer>();
  #handler: ((peer: string, frame: Uint8Array) => void) | undefined;
  #closed = false;
  #stats = {
    framesIn: 0,
    framesOut: 0,
    handshakeFailures: 0,
    oversizedFrames: 0,
    droppedFrames: 0,
    connects: 0,
  };

  private constructor(o: TcpTransportOptions, server: Server) {
    this.localId = o.id;
    this.#o = o;
    this.#server = server;
    this.#logger = o.logger ?? silentLogger;
    this.#random = o.governor?.random ?? new CryptoRandom();
    this.#max = o.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.setPeers(o.peers ?? []);
  }

  /**
   * Starts listening.
   *
   * @param options - see {@link TcpTransportOptions}
   * @returns the listening transport
   * @throws SystemError `MSYS_LEDGER_INVALID_ARGUMENT` for bad options
   */
  static async open(options: TcpTransportOptions): Promise<TcpTransport> {
    if (typeof options?.id !== 'string' || options.id === '')
      badArgument('options.id', 'a non-empty string', options?.id);
    if (!(options.keyPair?.secretKey instanceof Uint8Array) || options.keyPair.secretKey.length !== 32) {
      badArgument('options.keyPair.secretKey', 'a 32-byte Ed25519 seed', options.keyPair?.secretKey);
    }
    const port = options.listen?.port;
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      badArgument('options.listen.port', 'an integer in [0, 65535]', port);
    const max = options.maxFrameBytes;
    if (max !== undefined && (!Number.isInteger(max) || max < 64))
      badArgument('options.maxFrameBytes', 'an integer ≥ 64', max);
    const server = createServer();
    const self = new TcpTransport(options, server);
    server.on('connection', (socket) => self.#accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, options.listen.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return self;
  }

  /** The port listened on. */
  get port(): number {
    const a = this.#server.address();
    return typeof a === 'object' && a !== null ? a.port : 0;
  }

  /** Counters. */
  get stats(): TcpTransportStats {
    return { ...this.#stats };
  }

  /**
   * Sets (or replaces) the peer list.
   *
   * @param peers - every other replica
   */
  setPeers(peers: readonly TcpPeer[]): void {
    this.#peers = new Map(peers.filter((p) => p.id !== this.localId).map((p) => [p.id, p]));
  }

  /**
   * Sets the receiver of frames from authenticated peers.
   *
   * @param handler - receives the peer id and the payload
   */
  onMessage(handler: (peer: string, frame: Uint8Array) => void): void {
    this.#handler = handler;
  }

  /**
   * Queues a frame for a peer and dials it when needed.
   *
   * @param peer - the peer id
   * @param frame - the payload
   */
  send(peer: string, frame: Uint8Array): void {
    if (this.#closed || !this.#peers.has(peer)) return;
    let out = this.#outbound.get(peer);
    if (out === undefined) {
      out = { socket: undefined, ready: false, queue: [], attempt: 0, timer: undefined };
      this.#outbound.set(peer, out);
      this.#dial(peer, out);
    }
    const data = new Uint8Array(frame.length + 1);
    data[0] = FRAME_DATA;
    data.set(frame, 1);
    if (out.ready && out.socket !== undefined) {
      out.socket.write(encodeFrame(data));
      this.#stats.framesOut++;
      return;
    }
    if (out.queue.length >= (this.#o.maxQueuedFrames ?? 10_000)) {
      out.queue.shift();
      this.#stats.droppedFrames++;
    }
    out.queue.push(data);
  }

  #dial(peerId: string, out: Outbound): void {
    const peer = this.#peers.get(peerId);
    if (this.#closed || peer === undefined) return;
    const socket = connect(peer.port, peer.host);
    socket.setNoDelay(true);
    out.socket = socket;
    out.ready = false;
    const nonce = randomBytes(32).toString('hex');
    const decoder = new FrameDecoder(this.#max);
    socket.on('connect', () => socket.write(encodeFrame(control({ id: this.localId, nonce }))));
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        if (out.ready) continue; // the listener sends nothing after the handshake
        const m = parseControl(frame);
        const ok =
          m !== undefined &&
          m.id === peerId &&
          typeof m.nonce === 'string' &&
          typeof m.signature === 'string' &&
          ed25519Verify(
            new Uint8Array(Buffer.from(m.signature, 'hex')),
            statement(nonce, peerId, this.localId),
            peer.publicKey,
          );
        if (!ok) {
          this.#stats.handshakeFailures++;
          socket.destroy();
          return;
        }
        const signature = Buffer.from(
          ed25519Sign(statement(m.nonce as string, this.localId, peerId), this.#o.keyPair.secretKey),
        ).toString('hex');
        socket.write(encodeFrame(control({ signature })));
        out.ready = true;
        out.attempt = 0;
        this.#stats.connects++;
        for (const q of out.queue.splice(0)) {
          socket.write(encodeFrame(q));
          this.#stats.framesOut++;
        }
      }
      if (decoder.failed) {
        this.#stats.oversizedFrames++;
        socket.destroy();
      }
    });
    socket.on('error', (err) =>
      this.#logger.debug({ peer: peerId, err: err.message }, 'ledger tcp: dial error'),
    );
    socket.on('close', () => {
      if (out.socket !== socket) return;
      out.ready = false;
      out.socket = undefined;
      if (this.#closed) return;
      const { initialMs = 50, maxMs = 2000 } = this.#o.backoff ?? {};
      // "Equal jitter": half the backoff fixed, half random, so peers that lost a link together do not redial
      // in lockstep.
      const delay = Math.min(maxMs, initialMs * 2 ** out.attempt++) * (0.5 + this.#random.float() / 2);
      out.timer = setTimeout(() => {
        out.timer = undefined;
        this.#dial(peerId, out);
      }, delay);
    });
  }

  #accept(socket: Socket): void {
    if (this.#closed) return void socket.destroy();
    socket.setNoDelay(true);
    this.#inbound.add(socket);
    const decoder = new FrameDecoder(this.#max);
    const nonce = randomBytes(32).toString('hex');
    let peer: TcpPeer | undefined;
    let authenticated = false;
    const fail = (reason: string) => {
      this.#stats.handshakeFailures++;
      this.#logger.warn({ reason, remote: socket.remoteAddress }, 'ledger tcp: handshake refused');
      socket.destroy();
    };
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        if (authenticated && peer !== undefined) {
          if (frame[0] !== FRAME_DATA) continue;
          this.#stats.framesIn++;
          this.#handler?.(peer.id, frame.subarray(1));
          continue;
        }
        const m = parseControl(frame);
        if (m === undefined) return fail('malformed handshake');
        if (peer === undefined) {
          peer = typeof m.id === 'string' ? this.#peers.get(m.id) : undefined;
          if (peer === undefined || typeof m.nonce !== 'string' || m.nonce.length > 128)
            return fail('unknown peer');
          const signature = Buffer.from(
            ed25519Sign(statement(m.nonce, this.localId, peer.id), this.#o.keyPair.secretKey),
          ).toString('hex');
          socket.write(encodeFrame(control({ id: this.localId, nonce, signature })));
          continue;
        }
        const ok =
          typeof m.signature === 'string' &&
          ed25519Verify(
            new Uint8Array(Buffer.from(m.signature, 'hex')),
            statement(nonce, peer.id, this.localId),
            peer.publicKey,
          );
        if (!ok) return fail('bad signature');
        authenticated = true;
      }
      if (decoder.failed) {
        this.#stats.oversizedFrames++;
        socket.destroy();
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => this.#inbound.delete(socket));
  }

  /** Closes every socket and the listener; cancels reconnects. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const out of this.#outbound.values()) {
      if (out.timer !== undefined) clearTimeout(out.timer);
      out.socket?.destroy();
    }
    for (const s of this.#inbound) s.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
