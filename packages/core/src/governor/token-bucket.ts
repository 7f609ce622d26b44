/**
 * A FIFO-fair token bucket for I/O operations.
 *
 * @module
 */
import { type Clock, RealClock, type TimerHandle } from './clock.js';
import { abortedError, governorErrors, invalidGovernorArgument, invalidOption } from './errors.js';

/** Options of {@link TokenBucket.acquire}. */
export interface AcquireOptions {
  /** Aborting rejects the wait with `MSYS_GOVERNOR_ABORTED` and gives its place in line to the next. */
  readonly signal?: AbortSignal;
}

/** A request that had to wait or was refused, as reported to {@link TokenBucketOptions.onLimit}. */
export interface IoRefusal {
  /** Tokens asked for. */
  readonly requested: number;
  /** Whole tokens available at that moment. */
  readonly available: number;
  /** The bucket's capacity. */
  readonly burst: number;
}

/** Options of the {@link TokenBucket} constructor. */
export interface TokenBucketOptions {
  /** Tokens added per second; `Infinity` for an unlimited bucket that only counts. */
  readonly ratePerSec: number;
  /** Capacity: the most tokens that can be taken at once (default: one second's worth, at least 1). */
  readonly burst?: number;
  /**
   * Where time comes from (default: the real clock). With a virtual clock, waiting requests are served
   * only when the clock is advanced, so a seeded simulation sees the same I/O timing every run.
   */
  readonly clock?: Clock;
  /** Called when a request must wait or is refused (the governor turns it into a `limit` event). */
  readonly onLimit?: (refusal: IoRefusal) => void;
}

interface Waiter {
  readonly n: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

const RESOLVED: Promise<void> = Promise.resolve();
// Refill arithmetic accumulates float error; a shortfall this small is a rounding artefact, not a wait.
const EPSILON = 1e-9;

/**
 * Limits operations to `ratePerSec` on average with bursts of up to `burst` (the classic token bucket; in
 * RFC 2697's terms the rate is the CIR and the burst the CBS). Strictly first come, first served: while anyone is waiting, new requests queue
 * behind them — a large request is not starved by a stream of small ones, and `tryAcquire` refuses rather
 * than jump the line. Tokens are refilled lazily from elapsed time, so the long-run rate is exact however
 * late the timers fire — as long as the bucket does not overflow between two wake-ups: on a real clock keep
 * `burst ≥ rate × timer lateness` (a few ms on a busy machine; e.g. ≥ 50 at 10K ops/s).
 *
 * @example
 * ```ts
 * const io = new TokenBucket({ ratePerSec: 1_000, burst: 50 });
 * await io.acquire(10);            // waits if fewer than 10 tokens are left
 * if (!io.tryAcquire()) deferWrite();
 * ```
 */
export class TokenBucket {
  /** Tokens added per second. */
  readonly ratePerSec: number;
  /** Capacity, and the largest request accepted. */
  readonly burst: number;
  readonly #clock: Clock;
  readonly #onLimit: ((refusal: IoRefusal) => void) | undefined;
  #tokens: number;
  #lastMs: number;
  #granted = 0;
  readonly #queue: Waiter[] = [];
  #timer: TimerHandle | undefined;
  #closed = false;

  /**
   * @param options - rate, burst, clock and limit hook
   * @throws SystemError `MSYS_GOVERNOR_INVALID_OPTION` for a rate that is not a positive number or a burst
   *   that is not a positive safe integer
   */
  constructor(options: TokenBucketOptions) {
    const { ratePerSec, burst } = options;
    if (typeof ratePerSec !== 'number' || Number.isNaN(ratePerSec) || ratePerSec <= 0) {
      throw invalidOption('options.ratePerSec', 'a positive number (or Infinity)', ratePerSec);
    }
    if (burst !== undefined && (!Number.isSafeInteger(burst) || burst < 1)) {
      throw invalidOption('options.burst', 'a positive safe integer', burst);
    }
    this.ratePerSec = ratePerSec;
    this.burst =
      burst ??
      (ratePerSec === Number.POSITIVE_INFINITY
        ? Number.POSITIVE_INFINITY
        : Math.max(1, Math.ceil(ratePerSec)));
    this.#clock = options.clock ?? new RealClock();
    this.#onLimit = options.onLimit;
    this.#tokens = this.burst;
    this.#lastMs = this.#nowMs();
  }

  /** Total tokens granted so far. */
  get granted(): number {
    return this.#granted;
  }

  /** Whole tokens available now (0 while requests are waiting). */
  get available(): number {
    if (this.#queue.length > 0) return 0;
    this.#refill();
    return Math.floor(this.#tokens + EPSILON);
  }

  /** How many requests are waiting. */
  get waiting(): number {
    return this.#queue.length;
  }

  /**
   * Takes `n` tokens if they are available now and nobody is waiting.
   *
   * @param n - a positive safe integer ≤ burst (default 1)
   * @returns whether the tokens were taken
   * @throws SystemError `MSYS_GOVERNOR_INVALID_ARGUMENT` for a bad `n`
   */
  tryAcquire(n = 1): boolean {
    this.#checkCount(n);
    if (this.#queue.length === 0) {
      this.#refill();
      if (this.#tokens + EPSILON >= n) {
        this.#take(n);
        return true;
      }
    }
    this.#onLimit?.({ requested: n, available: this.available, burst: this.burst });
    return false;
  }

  /**
   * Waits in line for `n` tokens and takes them.
   *
   * @param n - a positive safe integer ≤ burst (default 1)
   * @param options - an optional abort signal
   * @returns a promise that resolves once the tokens are taken
   * @throws SystemError `MSYS_GOVERNOR_INVALID_ARGUMENT` for a bad `n`; rejects with `MSYS_GOVERNOR_ABORTED`
   *   when the signal fires and with `MSYS_GOVERNOR_CLOSED` when the bucket is closed while waiting
   * @example
   * ```ts
   * await governor.io.acquire(1, { signal: AbortSignal.timeout(5_000) });
   * ```
   */
  acquire(n = 1, options: AcquireOptions = {}): Promise<void> {
    this.#checkCount(n);
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(abortedError('acquire', signal));
    if (this.#closed) return Promise.reject(governorErrors.MSYS_GOVERNOR_CLOSED({ operation: 'acquire' }));
    if (this.#queue.length === 0) {
      this.#refill();
      if (this.#tokens + EPSILON >= n) {
        this.#take(n);
        return RESOLVED;
      }
    }
    this.#onLimit?.({ requested: n, available: this.available, burst: this.burst });
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        n,
        resolve,
        reject,
        signal,
        onAbort: () => {
          const i = this.#queue.indexOf(waiter);
          if (i < 0) return;
          this.#queue.splice(i, 1);
          reject(abortedError('acquire', signal as AbortSignal));
          // The head may have left: whoever is next might be servable now, or need a different wait.
          if (i === 0) this.#reschedule();
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.#queue.push(waiter);
      if (this.#queue.length === 1) this.#reschedule();
    });
  }

  /**
   * Rejects every waiting request with `MSYS_GOVERNOR_CLOSED`, stops the refill timer and makes later
   * `acquire` calls reject. `tryAcquire` keeps working (it never waits).
   */
  close(): void {
    this.#closed = true;
    this.#cancelTimer();
    const waiting = this.#queue.splice(0);
    for (const w of waiting) {
      w.signal?.removeEventListener('abort', w.onAbort);
      w.reject(governorErrors.MSYS_GOVERNOR_CLOSED({ operation: 'acquire' }));
    }
  }

  #checkCount(n: number): void {
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) {
      throw invalidGovernorArgument('n', 'a positive safe integer', n);
    }
    if (n > this.burst) {
      throw invalidGovernorArgument(
        'n',
        `at most the bucket's burst (${this.burst}), or it could never be served`,
        n,
      );
    }
  }

  #nowMs(): number {
    // Date.now() has 1 ms resolution: too coarse for refilling at thousands of tokens per second.
    return this.#clock.virtual ? this.#clock.now() : performance.now();
  }

  #refill(): void {
    const now = this.#nowMs();
    if (now > this.#lastMs) {
      this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#lastMs) * this.ratePerSec) / 1000);
      this.#lastMs = now;
    }
  }

  #take(n: number): void {
    this.#tokens -= n;
    this.#granted += n;
  }

  #cancelTimer(): void {
    if (this.#timer !== undefined) {
      this.#clock.clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }

  /** Serves the head of the line while tokens last, then sets one timer for the new head's shortfall. */
  #reschedule(): void {
    this.#cancelTimer();
    this.#refill();
    let head = this.#queue[0];
    while (head !== undefined && this.#tokens + EPSILON >= head.n) {
      this.#queue.shift();
      head.signal?.removeEventListener('abort', head.onAbort);
      this.#take(head.n);
      head.resolve();
      head = this.#queue[0];
    }
    if (head === undefined) return;
    const waitMs = ((head.n - this.#tokens) * 1000) / this.ratePerSec;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.#reschedule();
    }, waitMs);
  }
}
