/**
 * Time for the governor: the real clock, and a virtual clock whose time moves only when told to, so that
 * a seeded run replays with identical timings.
 *
 * @module
 */
import { abortedError, governorErrors, invalidGovernorArgument } from './errors.js';

/** A pending timer; `ref`/`unref` keep or release the process like Node's own timers (no-ops when virtual). */
export interface TimerHandle {
  /**
   * Keeps the process alive while the timer is pending (the default).
   *
   * @returns the handle
   */
  ref(): TimerHandle;
  /**
   * Lets the process exit while the timer is pending.
   *
   * @returns the handle
   */
  unref(): TimerHandle;
  /**
   * Whether the timer keeps the process alive.
   *
   * @returns true when referenced
   */
  hasRef(): boolean;
}

/**
 * A source of time and timers. Code that takes its time from a `Clock` runs unchanged on the real clock and,
 * in tests or simulations, on a {@link VirtualClock}.
 */
export interface Clock {
  /** True for a {@link VirtualClock}. */
  readonly virtual: boolean;
  /**
   * The current time.
   *
   * @returns epoch milliseconds
   */
  now(): number;
  /**
   * The current time with nanosecond resolution, monotonic within the process.
   *
   * @returns epoch nanoseconds
   */
  nowNs(): bigint;
  /**
   * Resolves after `ms` milliseconds of this clock's time.
   *
   * @param ms - a finite number ≥ 0
   * @param signal - rejects the wait with `MSYS_GOVERNOR_ABORTED` when aborted
   * @returns a promise that resolves when the time has passed
   * @throws SystemError `MSYS_GOVERNOR_INVALID_ARGUMENT` for a negative or non-finite `ms`
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Calls `fn` once after `ms` milliseconds of this clock's time.
   *
   * @param fn - the callback
   * @param ms - a finite number ≥ 0
   * @returns a handle for {@link Clock.clearTimeout}
   * @throws SystemError `MSYS_GOVERNOR_INVALID_ARGUMENT` for a negative or non-finite `ms`
   */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /**
   * Cancels a timer; a handle that already fired or belongs to another clock is ignored.
   *
   * @param handle - what {@link Clock.setTimeout} returned
   */
  clearTimeout(handle: TimerHandle): void;
  /**
   * Moves virtual time forward by `ms`, firing every timer that falls due, in time order (ties in the order
   * they were set), and letting promise continuations run after each.
   *
   * @param ms - a finite number ≥ 0
   * @returns a promise that resolves once time has reached its target
   * @throws SystemError `MSYS_GOVERNOR_CLOCK_NOT_VIRTUAL` (as a rejection) on the real clock
   */
  advance(ms: number): Promise<void>;
}

/** Where every {@link VirtualClock} starts: 2024-01-01T00:00:00.000Z. */
export const VIRTUAL_EPOCH_MS: number = Date.UTC(2024, 0, 1);

function checkDelay(ms: number): void {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    throw invalidGovernorArgument('ms', 'a finite number ≥ 0', ms);
  }
}

/**
 * The wall clock and Node's timers. `nowNs()` is anchored to `Date.now()` once and then advanced by
 * `process.hrtime`, so it never goes backwards even when the system clock is stepped.
 *
 * @example
 * ```ts
 * const clock = new RealClock();
 * await clock.sleep(10);
 * ```
 */
export class RealClock implements Clock {
  /** Always false. */
  readonly virtual = false;
  readonly #anchorNs = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();

  /** {@inheritDoc Clock.now} */
  now(): number {
    return Date.now();
  }

  /** {@inheritDoc Clock.nowNs} */
  nowNs(): bigint {
    return this.#anchorNs + process.hrtime.bigint();
  }

  /** {@inheritDoc Clock.sleep} */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    checkDelay(ms);
    if (signal?.aborted) return Promise.reject(abortedError('sleep', signal));
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(abortedError('sleep', signal as AbortSignal));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** {@inheritDoc Clock.setTimeout} */
  setTimeout(fn: () => void, ms: number): TimerHandle {
    checkDelay(ms);
    return setTimeout(fn, ms);
  }

  /** {@inheritDoc Clock.clearTimeout} */
  clearTimeout(handle: TimerHandle): void {
    if (handle instanceof VirtualTimer) return;
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  }

  /** {@inheritDoc Clock.advance} */
  advance(_ms: number): Promise<void> {
    return Promise.reject(governorErrors.MSYS_GOVERNOR_CLOCK_NOT_VIRTUAL({ operation: 'advance' }));
  }
}

/** One timer of a virtual clock. */
class VirtualTimer implements TimerHandle {
  constructor(
    readonly dueNs: bigint,
    readonly seq: number,
    readonly fn: () => void,
    readonly owner: VirtualClock,
  ) {}
  pending = true;
  ref(): TimerHandle {
    return this;
  }
  unref(): TimerHandle {
    return this;
  }
  hasRef(): boolean {
    return false;
  }
}

function earlier(a: VirtualTimer, b: VirtualTimer): boolean {
  return a.dueNs < b.dueNs || (a.dueNs === b.dueNs && a.seq < b.seq);
}

/** A binary min-heap of timers ordered by (due time, creation order). */
class TimerHeap {
  readonly #items: VirtualTimer[] = [];

  get size(): number {
    return this.#items.length;
  }

  peek(): VirtualTimer | undefined {
    return this.#items[0];
  }

  push(timer: VirtualTimer): void {
    const items = this.#items;
    items.push(timer);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!earlier(items[i] as VirtualTimer, items[parent] as VirtualTimer)) break;
      [items[i], items[parent]] = [items[parent] as VirtualTimer, items[i] as VirtualTimer];
      i = parent;
    }
  }

  pop(): VirtualTimer | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && earlier(items[l] as VirtualTimer, items[m] as VirtualTimer)) m = l;
        if (r < items.length && earlier(items[r] as VirtualTimer, items[m] as VirtualTimer)) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m] as VirtualTimer, items[i] as VirtualTimer];
        i = m;
      }
    }
    return top;
  }
}

// A macrotask turn lets every queued promise continuation run, however long its chain.
const flushContinuations = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function msToNs(ms: number): bigint {
  return BigInt(Math.round(ms * 1e6));
}

/**
 * Time that stands still until {@link VirtualClock.advance} moves it. Timers fire in due order, ties in the
 * order they were set; after each one, pending promise continuations run before the next fires, so a
 * `sleep` that resolves and then sets a new timer within the advanced span sees it fire in the same call.
 * Calls to `advance` are serialized. A timer callback that throws stops the advance at that timer's time
 * and rejects the `advance` promise with the error; the timers after it fire when time is advanced again.
 *
 * @example
 * ```ts
 * const clock = new VirtualClock();
 * const done = clock.sleep(1_000).then(() => clock.now());
 * await clock.advance(1_000);
 * await done; // VIRTUAL_EPOCH_MS + 1000
 * ```
 */
export class VirtualClock implements Clock {
  /** Always true. */
  readonly virtual = true;
  #nowNs: bigint;
  #seq = 0;
  readonly #timers = new TimerHeap();
  #liveCount = 0;
  #advancing: Promise<void> = Promise.resolve();

  /**
   * @param startMs - the starting time in epoch milliseconds (default {@link VIRTUAL_EPOCH_MS})
   * @throws SystemError `MSYS_GOVERNOR_INVALID_ARGUMENT` for a non-finite or negative start
   */
  constructor(startMs: number = VIRTUAL_EPOCH_MS) {
    if (typeof startMs !== 'number' || !Number.isFinite(startMs) || startMs < 0) {
      throw invalidGovernorArgument('startMs', 'a finite number ≥ 0 (epoch milliseconds)', startMs);
    }
    this.#nowNs = msToNs(startMs);
  }

  /** How many timers are waiting to fire (cancelled ones excluded). */
  get pendingTimers(): number {
    return this.#liveCount;
  }

  /** {@inheritDoc Clock.now} */
  now(): number {
    return Number(this.#nowNs / 1_000_000n) + Number(this.#nowNs % 1_000_000n) / 1e6;
  }

  /** {@inheritDoc Clock.nowNs} */
  nowNs(): bigint {
    return this.#nowNs;
  }

  /** {@inheritDoc Clock.sleep} */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    checkDelay(ms);
    if (signal?.aborted) return Promise.reject(abortedError('sleep', signal));
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.clearTimeout(timer);
        reject(abortedError('sleep', signal as AbortSignal));
      };
      const timer = this.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** {@inheritDoc Clock.setTimeout} */
  setTimeout(fn: () => void, ms: number): TimerHandle {
    checkDelay(ms);
    if (typeof fn !== 'function') throw invalidGovernorArgument('fn', 'a function', fn);
    const timer = new VirtualTimer(this.#nowNs + msToNs(ms), this.#seq++, fn, this);
    this.#timers.push(timer);
    this.#liveCount++;
    return timer;
  }

  /** {@inheritDoc Clock.clearTimeout} */
  clearTimeout(handle: TimerHandle): void {
    if (handle instanceof VirtualTimer && handle.owner === this && handle.pending) {
      handle.pending = false;
      this.#liveCount--;
    }
  }

  /** {@inheritDoc Clock.advance} */
  advance(ms: number): Promise<void> {
    checkDelay(ms);
    const run = this.#advancing.then(() => this.#advanceBy(msToNs(ms)));
    // A failed advance must not poison the ones queued behind it.
    this.#advancing = run.catch(() => {});
    return run;
  }

  async #advanceBy(deltaNs: bigint): Promise<void> {
    const target = this.#nowNs + deltaNs;
    await flushContinuations();
    for (let t = this.#timers.peek(); t !== undefined && t.dueNs <= target; t = this.#timers.peek()) {
      this.#timers.pop();
      if (!t.pending) continue;
      t.pending = false;
      this.#liveCount--;
      if (t.dueNs > this.#nowNs) this.#nowNs = t.dueNs;
      t.fn();
      await flushContinuations();
    }
    if (target > this.#nowNs) this.#nowNs = target;
  }
}
