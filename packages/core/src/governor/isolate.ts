/**
 * Running a script in a child Node process under Node's permission model, with a heap limit and a
 * wall-clock timeout.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { abortedError, governorErrors, invalidGovernorArgument } from './errors.js';

/** Options of {@link ResourceGovernor.spawnIsolated}. */
export interface SpawnIsolatedOptions {
  /** Wall-clock limit in milliseconds; past it the child is killed (SIGKILL). */
  readonly timeoutMs: number;
  /** The child's V8 old-space limit in MiB (`--max-old-space-size`); also reserved from the RAM budget. */
  readonly maxHeapMb: number;
  /** Paths the child may read (default: the governor's `sandbox.fsRead`); the script itself is always added. */
  readonly fsRead?: readonly string[];
  /** Paths the child may write (default: the governor's `sandbox.fsWrite`). */
  readonly fsWrite?: readonly string[];
  /** The child's environment (default: empty — nothing of the parent's environment leaks in). */
  readonly env?: Readonly<Record<string, string>>;
  /** Aborting kills the child and rejects with `MSYS_GOVERNOR_ABORTED`. */
  readonly signal?: AbortSignal;
}

/** What a successful {@link ResourceGovernor.spawnIsolated} returns. */
export interface SpawnIsolatedResult<T = unknown> {
  /** The value the script's exported function returned (structured-cloned across the IPC channel). */
  readonly result: T;
  /** The last 64 KiB of the child's standard output. */
  readonly stdout: string;
  /** The last 64 KiB of the child's standard error. */
  readonly stderr: string;
  /** Wall milliseconds from spawn to exit. */
  readonly durationMs: number;
}

/**
 * The child's side of the protocol, run with `--input-type=module -e`: import the script, call its default
 * export (or a named `run` export) with the arguments, send `{ ok, result }` or `{ ok: false, error }` over
 * the IPC channel, and exit — so timers or sockets the script left open cannot keep the child alive.
 */
const BOOTSTRAP = `
import { pathToFileURL } from 'node:url';
const send = (m) => new Promise((resolve, reject) => {
  try { process.send(m, (e) => (e ? reject(e) : resolve())); } catch (e) { reject(e); }
});
const describe = (e) => ({
  name: String(e?.name ?? 'Error'),
  message: String(e?.message ?? e),
  ...(typeof e?.code === 'string' ? { code: e.code } : {}),
});
let message;
try {
  const mod = await import(pathToFileURL(process.argv[1]).href);
  const fn = typeof mod.default === 'function' ? mod.default : mod.run;
  if (typeof fn !== 'function') throw new TypeError('the script must export a default function (or run)');
  message = { ok: true, result: await fn(process.argv.slice(2)) };
} catch (e) {
  message = { ok: false, error: describe(e) };
}
try {
  await send(message);
} catch (e) {
  await send({ ok: false, error: { name: 'DataCloneError', message: 'the result cannot be sent: ' + String(e?.message ?? e) } });
}
process.exit(0);
`;

const OUTPUT_TAIL = 64 * 1024;
const ERROR_TAIL = 2 * 1024;

/** Keeps the last `limit` characters of a stream. */
class Tail {
  #text = '';
  constructor(readonly limit: number) {}
  push(chunk: string): void {
    this.#text += chunk;
    if (this.#text.length > 2 * this.limit) this.#text = this.#text.slice(-this.limit);
  }
  toString(): string {
    return this.#text.length > this.limit ? this.#text.slice(-this.limit) : this.#text;
  }
}

/** What the parent checks before spawning. @internal */
export interface IsolatedRun {
  readonly script: string;
  readonly args: readonly string[];
  readonly timeoutMs: number;
  readonly maxHeapMb: number;
  readonly fsRead: readonly string[];
  readonly fsWrite: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly signal: AbortSignal | undefined;
}

interface ChildMessage {
  ok: boolean;
  result?: unknown;
  error?: { name: string; message: string; code?: string };
}

function isChildMessage(m: unknown): m is ChildMessage {
  return typeof m === 'object' && m !== null && typeof (m as { ok?: unknown }).ok === 'boolean';
}

/**
 * Validates the per-call options of `spawnIsolated` (the allow-lists are checked by the governor).
 *
 * @internal
 */
export function checkSpawnOptions(args: unknown, opts: unknown): asserts opts is SpawnIsolatedOptions {
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) {
    throw invalidGovernorArgument('args', 'an array of strings', args);
  }
  if (typeof opts !== 'object' || opts === null) {
    throw invalidGovernorArgument(
      'opts',
      'an object { timeoutMs, maxHeapMb, fsRead?, fsWrite?, env?, signal? }',
      opts,
    );
  }
  const o = opts as Partial<Record<keyof SpawnIsolatedOptions, unknown>>;
  if (typeof o.timeoutMs !== 'number' || !Number.isSafeInteger(o.timeoutMs) || o.timeoutMs < 1) {
    throw invalidGovernorArgument('opts.timeoutMs', 'a positive integer (milliseconds)', o.timeoutMs);
  }
  if (typeof o.maxHeapMb !== 'number' || !Number.isSafeInteger(o.maxHeapMb) || o.maxHeapMb < 1) {
    throw invalidGovernorArgument('opts.maxHeapMb', 'a positive integer (MiB)', o.maxHeapMb);
  }
  for (const key of ['fsRead', 'fsWrite'] as const) {
    const list = o[key];
    if (
      list !== undefined &&
      (!Array.isArray(list) || !list.every((p) => typeof p === 'string' && p !== ''))
    ) {
      throw invalidGovernorArgument(`opts.${key}`, 'an array of non-empty path strings', list);
    }
  }
  if (
    o.env !== undefined &&
    (typeof o.env !== 'object' || o.env === null || !Object.values(o.env).every((v) => typeof v === 'string'))
  ) {
    throw invalidGovernorArgument('opts.env', 'an object of string values', o.env);
  }
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) {
    throw invalidGovernorArgument('opts.signal', 'an AbortSignal', o.signal);
  }
}

/**
 * Spawns the child and settles with its result or a typed error.
 *
 * @internal
 */
export function runIsolated<T>(run: IsolatedRun): Promise<SpawnIsolatedResult<T>> {
  const { script, signal } = run;
  if (signal?.aborted) return Promise.reject(abortedError('spawnIsolated', signal));
  const flags = [
    '--experimental-permission',
    '--disable-warning=ExperimentalWarning',
    `--max-old-space-size=${run.maxHeapMb}`,
    // Node ≥ 20.16 takes one path per flag; a comma-separated list is rejected.
    ...run.fsRead.map((p) => `--allow-fs-read=${p}`),
    ...run.fsWrite.map((p) => `--allow-fs-write=${p}`),
    '--input-type=module',
    '-e',
    BOOTSTRAP,
    '--',
    script,
    ...run.args,
  ];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, flags, {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
      env: { ...run.env },
      windowsHide: true,
    });
    const stdout = new Tail(OUTPUT_TAIL);
    const stderr = new Tail(OUTPUT_TAIL);
    child.stdout?.setEncoding('utf8').on('data', (c: string) => stdout.push(c));
    child.stderr?.setEncoding('utf8').on('data', (c: string) => stderr.push(c));
    let message: ChildMessage | undefined;
    let ending: 'timeout' | 'abort' | undefined;
    let spawnError: Error | undefined;
    child.on('message', (m: unknown) => {
      if (message === undefined && isChildMessage(m)) message = m;
    });
    child.on('error', (e) => {
      spawnError ??= e;
      // A child that never started emits no 'close'.
      if (child.pid === undefined) finish(null, null);
    });
    const timer = setTimeout(() => {
      ending ??= 'timeout';
      child.kill('SIGKILL');
    }, run.timeoutMs);
    const onAbort = (): void => {
      ending ??= 'abort';
      child.kill('SIGKILL');
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    let finished = false;
    const finish = (exitCode: number | null, exitSignal: NodeJS.Signals | null): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      const stderrTail = stderr.toString().slice(-ERROR_TAIL).trim();
      if (message?.ok === true) {
        resolve({
          result: message.result as T,
          stdout: stdout.toString(),
          stderr: stderr.toString(),
          durationMs: performance.now() - started,
        });
        return;
      }
      if (ending === 'timeout') {
        reject(governorErrors.MSYS_GOVERNOR_SPAWN_TIMEOUT({ script, timeoutMs: run.timeoutMs, stderrTail }));
        return;
      }
      if (ending === 'abort') {
        reject(abortedError('spawnIsolated', signal as AbortSignal));
        return;
      }
      const childError = message?.error;
      const reason =
        spawnError !== undefined
          ? `the child could not be started (${spawnError.message})`
          : childError !== undefined
            ? `the script threw ${childError.name}${childError.code === undefined ? '' : ` [${childError.code}]`}: ${childError.message}`
            : 'the child exited without sending a result (out of memory, process.exit or a crash)';
      reject(
        governorErrors.MSYS_GOVERNOR_SPAWN_FAILED(
          {
            script,
            reason,
            exitCode,
            signal: exitSignal,
            stderrTail,
            ...(childError === undefined ? {} : { childError }),
          },
          spawnError === undefined ? undefined : { cause: spawnError },
        ),
      );
    };
    child.on('close', finish);
  });
}
