/**
 * The ResourceGovernor: one object that caps CPU, budgets memory, rate-limits I/O, sandboxes access and,
 * in deterministic mode, owns all randomness and time.
 *
 * @module
 */
import type { Logger } from '../logging/index.js';
import { type Clock, RealClock, VirtualClock } from './clock.js';
import { CpuThrottle } from './cpu.js';
import { invalidOption } from './errors.js';
import { GovernorEmitter, type LimitEvent } from './events.js';
import {
  checkSpawnOptions,
  runIsolated,
  type SpawnIsolatedOptions,
  type SpawnIsolatedResult,
} from './isolate.js';
import { type MemoryLease, MemoryLedger, PressureMonitor } from './memory.js';
import { CryptoRandom, type Random, type Seed, SeededRandom } from './random.js';
import { type FsAccessMode, Sandbox, type SandboxOptions } from './sandbox.js';
import { TokenBucket } from './token-bucket.js';
import { checkGovernorOptions } from './validate.js';

/** Options of the {@link ResourceGovernor} constructor; every one is optional and validated up front. */
export interface GovernorOptions {
  /** CPU cap in percent of one core, in (0, 100]; enforced at `run`/`checkpoint` calls. Default: no cap. */
  readonly cpuPercentCap?: number;
  /** The sliding window over which the CPU duty cycle is measured, in ms (default 1000). */
  readonly cpuWindowMs?: number;
  /** The RAM budget for {@link ResourceGovernor.reserve}, in bytes. Default: unlimited (still counted). */
  readonly ramLimitBytes?: number;
  /** Resident-set size that triggers a `pressure` event, in bytes. Default: no pressure monitoring. */
  readonly pressureRssBytes?: number;
  /** How often RSS is sampled while the pressure monitor runs, in ms (default 1000). */
  readonly pressureIntervalMs?: number;
  /** The I/O rate limit, in operations per second. Default: unlimited (still counted). */
  readonly maxIoOpsPerSec?: number;
  /** The I/O bucket's capacity (default: one second's worth of `maxIoOpsPerSec`). */
  readonly ioBurst?: number;
  /** Deterministic mode: a seeded {@link SeededRandom} and a {@link VirtualClock}. */
  readonly deterministic?: {
    /** The seed of every random stream: a safe integer, a bigint or a string. */
    readonly seed: Seed;
  };
  /** Allow-lists for {@link ResourceGovernor.checkFs}, {@link ResourceGovernor.checkNet} and spawned children. */
  readonly sandbox?: SandboxOptions;
  /** A pino-compatible logger (default: silent). */
  readonly logger?: Logger;
}

/** A snapshot of the governor's accounting. */
export interface GovernorUsage {
  /** CPU time (user + system) consumed by the process since the governor was created, in µs. */
  readonly cpuMicros: number;
  /** Bytes currently reserved through leases. */
  readonly reservedBytes: number;
  /** Resident set size of the process, in bytes. */
  readonly rss: number;
  /** V8 heap in use, in bytes. */
  readonly heapUsed: number;
  /** Memory of C++ objects bound to JavaScript objects, in bytes. */
  readonly external: number;
  /** I/O tokens granted so far. */
  readonly ioOps: number;
  /** Wall milliseconds spent sleeping to hold the CPU cap. */
  readonly throttledMs: number;
}

const RESOLVED: Promise<void> = Promise.resolve();
const MIB = 1024 * 1024;

/**
 * Caps, budgets and sandboxes the work of `@msys` components, and — in deterministic mode — is the single
 * source of randomness and time so that a seed replays a run exactly.
 *
 * - CPU: cooperative. `run(fn)` and `await checkpoint()` measure the CPU time of the process (the thread,
 *   where the runtime can tell) over a sliding window and sleep to hold the duty cycle at the cap.
 * - Memory: `reserve(bytes)` leases against `ramLimitBytes`; `pressure` events from sampled RSS.
 * - I/O: `io`, a FIFO-fair {@link TokenBucket}.
 * - Sandbox: `checkFs` / `checkNet` against allow-lists; `spawnIsolated` runs a script in a child Node
 *   process under the permission model.
 *
 * @example
 * ```ts
 * const governor = new ResourceGovernor({ cpuPercentCap: 50, ramLimitBytes: 256 * 2 ** 20, maxIoOpsPerSec: 1_000 });
 * governor.on('throttle', (e) => console.log(`slept ${e.sleptMs} ms`));
 * for (const item of items) {
 *   process(item);
 *   await governor.checkpoint();
 * }
 * using lease = governor.reserve(64 * 2 ** 20);
 * await governor.io.acquire();
 * ```
 */
export class ResourceGovernor extends GovernorEmitter {
  /** True when created with `options.deterministic`: seeded randomness and a virtual clock. */
  readonly deterministic: boolean;
  /** The randomness every component governed by this instance should use. */
  readonly random: Random;
  /** The time every component governed by this instance should use. */
  readonly clock: Clock;
  /** The I/O token bucket. */
  readonly io: TokenBucket;
  readonly #logger: Logger | undefined;
  readonly #cpu: CpuThrottle | undefined;
  readonly #capPercent: number;
  readonly #memory: MemoryLedger;
  readonly #pressure: PressureMonitor | undefined;
  #pressureRequested = false;
  readonly #sandbox: Sandbox;
  readonly #cpuStart = process.cpuUsage();

  /**
   * @param options - limits, deterministic seed, sandbox and logger
   * @throws SystemError `MSYS_GOVERNOR_INVALID_OPTION` naming the first bad option (e.g. `options.cpuPercentCap`)
   */
  constructor(options: GovernorOptions = {}) {
    super();
    checkGovernorOptions(options);
    this.#logger = options.logger?.child({ component: 'governor' });
    this.#sandbox = new Sandbox(options.sandbox);
    if (options.deterministic !== undefined) {
      this.deterministic = true;
      this.random = new SeededRandom(options.deterministic.seed);
      this.clock = new VirtualClock();
    } else {
      this.deterministic = false;
      this.random = new CryptoRandom();
      this.clock = new RealClock();
    }
    this.#capPercent = options.cpuPercentCap ?? 100;
    this.#cpu =
      options.cpuPercentCap === undefined || options.cpuPercentCap >= 100
        ? undefined
        : new CpuThrottle(options.cpuPercentCap, options.cpuWindowMs ?? 1000, (r) => {
            const event = { ...r, capPercent: this.#capPercent };
            this.#logger?.trace(event, 'cpu cap: paused');
            this.emit('throttle', event);
          });
    this.#memory = new MemoryLedger(options.ramLimitBytes, (r) => {
      const event: LimitEvent = {
        resource: 'ram',
        requested: r.requested,
        available: r.limit - r.reserved,
        limit: r.limit,
      };
      this.#logger?.debug(event, 'ram reservation refused');
      this.emit('limit', event);
    });
    this.#pressure =
      options.pressureRssBytes === undefined
        ? undefined
        : new PressureMonitor(options.pressureRssBytes, options.pressureIntervalMs ?? 1000, (e) => {
            this.#logger?.warn(e, 'memory pressure: rss crossed the threshold');
            this.emit('pressure', e);
          });
    this.io = new TokenBucket({
      ratePerSec: options.maxIoOpsPerSec ?? Number.POSITIVE_INFINITY,
      ...(options.ioBurst === undefined ? {} : { burst: options.ioBurst }),
      clock: this.clock,
      onLimit: (r) => {
        if (this.listenerCount('limit') > 0) {
          this.emit('limit', {
            resource: 'io',
            requested: r.requested,
            available: r.available,
            limit: r.burst,
          });
        }
      },
    });
  }

  /**
   * Waits out the CPU cap, then runs `fn`. Sleeping happens before the call, so a stream of `run` calls
   * holds the duty cycle; the time `fn` itself takes is charged to the calls after it.
   *
   * @param fn - the work (sync or async)
   * @returns what `fn` returned, awaited
   * @example
   * ```ts
   * const digest = await governor.run(() => hashChunk(chunk));
   * ```
   */
  async run<T>(fn: () => T | PromiseLike<T>): Promise<Awaited<T>> {
    const pause = this.#cpu?.checkpoint();
    if (pause !== undefined) await pause;
    return await fn();
  }

  /**
   * A yield point for long loops: resolves at once while under the CPU cap, after a pause when over it.
   * Cheap enough to call every few hundred microseconds of work (CPU time is read at most once per ms).
   *
   * @returns a promise to await
   * @example
   * ```ts
   * for (let i = 0; i < n; i++) {
   *   step(i);
   *   if (i % 1000 === 0) await governor.checkpoint();
   * }
   * ```
   */
  checkpoint(): Promise<void> {
    return this.#cpu?.checkpoint() ?? RESOLVED;
  }

  /**
   * Reserves bytes against `ramLimitBytes`. A refused reservation reserves nothing, emits `limit` and throws.
   *
   * @param bytes - a non-negative safe integer
   * @returns the lease; release it (or `using` it) when the memory is freed
   * @throws SystemError `MSYS_RESOURCE_RAM_LIMIT` (category `resource`) past the limit;
   *   `MSYS_GOVERNOR_INVALID_ARGUMENT` for a bad size
   * @example
   * ```ts
   * const lease = governor.reserve(buffer.byteLength);
   * try { await work(buffer); } finally { lease.release(); }
   * ```
   */
  reserve(bytes: number): MemoryLease {
    return this.#memory.reserve(bytes);
  }

  /**
   * A snapshot of CPU, memory, I/O and throttling figures.
   *
   * @returns the usage
   */
  usage(): GovernorUsage {
    const cpu = process.cpuUsage(this.#cpuStart);
    const m = process.memoryUsage();
    return {
      cpuMicros: cpu.user + cpu.system,
      reservedBytes: this.#memory.reserved,
      rss: m.rss,
      heapUsed: m.heapUsed,
      external: m.external,
      ioOps: this.io.granted,
      throttledMs: this.#cpu?.throttledMs ?? 0,
    };
  }

  /**
   * Checks a file-system access against the sandbox. The path is resolved like the kernel would (relative
   * to the working directory, symbolic links followed, `..` applied after them), so neither `..` nor a
   * link escapes an allowed prefix. Without `options.sandbox` everything is allowed.
   *
   * @param path - a path or `file:` URL; it need not exist yet
   * @param mode - `read` (checked against `fsRead`) or `write` (against `fsWrite`)
   * @returns the resolved real path, to use for the access itself
   * @throws SystemError `MSYS_PERMISSION_DENIED` (category `permission`) outside the allow-list
   * @example
   * ```ts
   * const real = governor.checkFs('./data/ledger.db', 'write');
   * ```
   */
  checkFs(path: string | URL, mode: FsAccessMode): string {
    return this.#sandbox.checkFs(path, mode);
  }

  /**
   * Checks a network connection against the sandbox's `net` entries (`host:port` or `host:*`). Hosts are
   * compared by name, case-insensitively, without DNS: allow `localhost` and `127.0.0.1` separately if
   * both are used. Without `options.sandbox` everything is allowed.
   *
   * @param host - a host name or IP address (IPv6 with or without brackets)
   * @param port - an integer in [0, 65535]
   * @throws SystemError `MSYS_PERMISSION_DENIED` (category `permission`) when no entry matches
   */
  checkNet(host: string, port: number): void {
    this.#sandbox.checkNet(host, port);
  }

  /**
   * Runs a script in a child Node process under Node's permission model (`--experimental-permission`):
   * it may read only `fsRead` (plus the script file), write only `fsWrite`, and may not spawn processes,
   * start workers or load addons; its heap is capped (`--max-old-space-size`) and its wall time limited.
   * The script is an ES module (or CommonJS file) whose default export (or `run` export) is called with
   * `args` and may return a promise; its result comes back over the IPC channel (structured clone, so
   * `bigint`, `Map`, `Uint8Array` survive). The heap limit is reserved from the RAM budget while it runs.
   * With a configured sandbox, the child's lists must lie within the governor's own.
   *
   * Node 20's permission model has no network switch: `net` is not enforced inside the child.
   *
   * @param script - path of the script file
   * @param args - string arguments for the script's function
   * @param opts - timeout, heap limit, allow-lists, environment and abort signal
   * @returns the result and the child's output
   * @throws SystemError `MSYS_GOVERNOR_SPAWN_TIMEOUT` past `timeoutMs`; `MSYS_GOVERNOR_SPAWN_FAILED` when the
   *   script throws (details carry the child's error code, e.g. `ERR_ACCESS_DENIED`) or the child dies
   *   (exit code, signal and stderr tail in details); `MSYS_PERMISSION_DENIED` when a list exceeds the
   *   sandbox; `MSYS_RESOURCE_RAM_LIMIT` when the heap limit does not fit the RAM budget
   * @example
   * ```ts
   * // sum.mjs: export default (args) => args.map(Number).reduce((a, b) => a + b, 0);
   * const { result } = await governor.spawnIsolated<number>('./sum.mjs', ['1', '2'], { timeoutMs: 5_000, maxHeapMb: 64 });
   * ```
   */
  async spawnIsolated<T = unknown>(
    script: string,
    args: readonly string[],
    opts: SpawnIsolatedOptions,
  ): Promise<SpawnIsolatedResult<T>> {
    checkSpawnOptions(args, opts);
    const scriptPath = this.#sandbox.checkFs(script, 'read');
    const fsRead = (opts.fsRead ?? this.#sandbox.fsRead).map((p) => this.#sandbox.checkFs(p, 'read'));
    const fsWrite = (opts.fsWrite ?? this.#sandbox.fsWrite).map((p) => this.#sandbox.checkFs(p, 'write'));
    const heap = this.reserve(opts.maxHeapMb * MIB);
    try {
      return await runIsolated<T>({
        script: scriptPath,
        args,
        timeoutMs: opts.timeoutMs,
        maxHeapMb: opts.maxHeapMb,
        fsRead: [scriptPath, ...fsRead],
        fsWrite,
        env: opts.env ?? {},
        signal: opts.signal,
      });
    } catch (e) {
      this.#logger?.debug({ err: e, script: scriptPath }, 'isolated script failed');
      throw e;
    } finally {
      heap.release();
    }
  }

  /**
   * Starts sampling RSS for `pressure` events even with no listener attached (listeners start and stop it
   * on their own). The interval is unref'd: it never keeps the process alive.
   *
   * @throws SystemError `MSYS_GOVERNOR_INVALID_OPTION` when `options.pressureRssBytes` was not set
   */
  startPressureMonitor(): void {
    if (this.#pressure === undefined) {
      throw invalidOption('options.pressureRssBytes', 'set to use the pressure monitor', undefined);
    }
    this.#pressureRequested = true;
    this.#syncPressure();
  }

  /** Stops sampling started by {@link ResourceGovernor.startPressureMonitor} (listeners keep theirs). */
  stopPressureMonitor(): void {
    this.#pressureRequested = false;
    this.#syncPressure();
  }

  /** Whether RSS is being sampled right now. */
  get pressureMonitoring(): boolean {
    return this.#pressure?.running ?? false;
  }

  /**
   * Stops the pressure sampler and the I/O timer and rejects waiting I/O requests with
   * `MSYS_GOVERNOR_CLOSED`. Leases stay valid; `run`, `checkpoint` and the sandbox keep working.
   */
  close(): void {
    this.#pressureRequested = false;
    this.#pressure?.stop();
    this.io.close();
  }

  /** Same as {@link ResourceGovernor.close}, for `using` declarations. */
  [Symbol.dispose](): void {
    this.close();
  }

  /**
   * Starts or stops the RSS sampler as `pressure` listeners come and go.
   *
   * @internal
   */
  protected override listenersChanged(): void {
    this.#syncPressure();
  }

  #syncPressure(): void {
    const monitor = this.#pressure;
    if (monitor === undefined) return;
    if (this.#pressureRequested || this.listenerCount('pressure') > 0) monitor.start();
    else monitor.stop();
  }
}
