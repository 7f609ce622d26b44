import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { errors } from '../errors.js';

/** A running swtpm child process with a fresh state directory. */
export interface SwtpmProcess {
  /** The TPM command port (`swtpm:host=127.0.0.1,port=…` for tpm2-tools). */
  readonly port: number;
  /** The control port (port + 1). */
  readonly ctrlPort: number;
  /** The temporary state directory. */
  readonly stateDir: string;
  /** The process id. */
  readonly pid: number;
  /** Stops the process and removes the state directory. */
  stop(): Promise<void>;
}

/**
 * Whether the `swtpm` binary is on the PATH.
 *
 * @returns true when `swtpm --version` runs
 */
export function swtpmAvailable(): boolean {
  return spawnSync('swtpm', ['--version'], { stdio: 'ignore' }).status === 0;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect({ host: '127.0.0.1', port });
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

/**
 * Starts `swtpm socket --tpm2` on a free loopback port pair with a temporary state directory and
 * `--flags startup-clear`, and waits until it accepts connections. For tests, examples and local development.
 *
 * @returns the running process
 * @throws SystemError `MSYS_ATTESTATION_TRANSPORT` when swtpm is missing or does not come up
 */
export async function startSwtpm(): Promise<SwtpmProcess> {
  let port = 0;
  for (let i = 0; i < 50 && port === 0; i++) {
    const p = 20000 + Math.floor(Math.random() * 40000);
    if ((await portFree(p)) && (await portFree(p + 1))) port = p;
  }
  if (port === 0)
    throw errors.MSYS_ATTESTATION_TRANSPORT({ transport: 'swtpm', reason: 'no free port pair found' });
  const stateDir = mkdtempSync(path.join(tmpdir(), 'msys-swtpm-'));
  const child: ChildProcess = spawn(
    'swtpm',
    [
      'socket',
      '--tpm2',
      '--tpmstate',
      `dir=${stateDir}`,
      '--server',
      `type=tcp,port=${port},bindaddr=127.0.0.1`,
      '--ctrl',
      `type=tcp,port=${port + 1},bindaddr=127.0.0.1`,
      '--flags',
      'startup-clear',
    ],
    { stdio: 'ignore' },
  );
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const stop = async (): Promise<void> => {
    if (!exited && child.pid !== undefined) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 2000))]);
      if (!exited) child.kill('SIGKILL');
    }
    rmSync(stateDir, { recursive: true, force: true });
  };
  for (let i = 0; i < 100; i++) {
    const err = await Promise.race([
      spawnError,
      new Promise<undefined>((r) => setTimeout(() => r(undefined), 50)),
    ]);
    if (err !== undefined || exited) {
      await stop();
      throw errors.MSYS_ATTESTATION_TRANSPORT({
        transport: 'swtpm',
        reason: err?.message ?? 'swtpm exited at start',
      });
    }
    if (await canConnect(port + 1)) {
      return { port, ctrlPort: port + 1, stateDir, pid: child.pid ?? 0, stop };
    }
  }
  await stop();
  throw errors.MSYS_ATTESTATION_TRANSPORT({
    transport: 'swtpm',
    reason: 'did not accept connections within 5 s',
  });
}
