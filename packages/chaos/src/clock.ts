/**
 * The time source of an engine: the governor's clock when one is given (virtual in deterministic mode),
 * Node's timers otherwise.
 *
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChaosRandom } from './random.js';

/** The subset of the governor's `Clock` the engine uses. */
export interface ChaosClock {
  /** True when time only moves when told to. */
  readonly virtual: boolean;
  /** Epoch milliseconds. */
  now(): number;
  /** Epoch nanoseconds. */
  nowNs(): bigint;
  /**
   * Resolves after `ms` of this clock's time; rejects when `signal` aborts.
   *
   * @param ms - the wait
   * @param signal - cancels the wait
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Calls `fn` after `ms` of this clock's time.
   *
   * @param fn - the callback
   * @param ms - the delay
   */
  setTimeout(fn: () => void, ms: number): unknown;
  /**
   * Cancels a timer set by `setTimeout`.
   *
   * @param handle - the timer
   */
  clearTimeout(handle: unknown): void;
}

/** The subset of `ResourceGovernor` the engine uses: its randomness and its clock. */
export interface ChaosGovernor {
  /** True when randomness is seeded and the clock is virtual. */
  readonly deterministic: boolean;
  /** The governor's random source; the engine forks its own stream from it. */
  readonly random: ChaosRandom;
  /** The governor's clock; call latencies, durations and clock skew use it. */
  readonly clock: ChaosClock;
}

/**
 * Node's clock and timers.
 *
 * @internal
 */
export const nodeClock: ChaosClock = {
  virtual: false,
  now: () => Date.now(),
  nowNs: () => BigInt(Date.now()) * 1_000_000n,
  sleep: (ms, signal) => sleep(ms, undefined, signal === undefined ? undefined : { signal }),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
