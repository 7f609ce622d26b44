/**
 * Memory accounting: reservations against a byte budget (leases), and a sampler that reports when the
 * process's resident set crosses a threshold.
 *
 * @module
 */
import { governorErrors, invalidGovernorArgument } from './errors.js';

/**
 * A reservation of bytes against the governor's RAM budget. Releasing it returns the bytes; releasing
 * twice is harmless. Works with `using` (TypeScript 5.2+ explicit resource management).
 *
 * @example
 * ```ts
 * {
 *   using lease = governor.reserve(64 * 1024 * 1024);
 *   const buffer = new Uint8Array(lease.bytes);
 *   // … work with the buffer …
 * } // released here
 * ```
 */
export interface MemoryLease {
  /** The reserved size in bytes. */
  readonly bytes: number;
  /** Whether the lease has been released. */
  readonly released: boolean;
  /** Returns the bytes to the budget; later calls do nothing. */
  release(): void;
  /** Same as {@link MemoryLease.release}, for `using` declarations. */
  [Symbol.dispose](): void;
}

/** What a refused reservation reports. */
export interface RamRefusal {
  /** The bytes asked for. */
  readonly requested: number;
  /** The bytes already reserved. */
  readonly reserved: number;
  /** The budget. */
  readonly limit: number;
}

class Lease implements MemoryLease {
  #released = false;
  constructor(
    readonly bytes: number,
    readonly ledger: MemoryLedger,
  ) {}
  get released(): boolean {
    return this.#released;
  }
  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.ledger.returnBytes(this.bytes);
  }
  [Symbol.dispose](): void {
    this.release();
  }
}

/**
 * The running total of reserved bytes against an optional limit.
 *
 * @internal
 */
export class MemoryLedger {
  #reserved = 0;

  constructor(
    readonly limit: number | undefined,
    readonly onRefusal: (refusal: RamRefusal) => void,
  ) {}

  get reserved(): number {
    return this.#reserved;
  }

  reserve(bytes: number): MemoryLease {
    if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 0) {
      throw invalidGovernorArgument('bytes', 'a non-negative safe integer', bytes);
    }
    if (this.limit !== undefined && this.#reserved + bytes > this.limit) {
      const refusal = { requested: bytes, reserved: this.#reserved, limit: this.limit };
      this.onRefusal(refusal);
      throw governorErrors.MSYS_RESOURCE_RAM_LIMIT(refusal);
    }
    this.#reserved += bytes;
    return new Lease(bytes, this);
  }

  returnBytes(bytes: number): void {
    this.#reserved -= bytes;
  }
}

/** A `pressure` event: the sampled resident set size reached the threshold. */
export interface PressureEvent {
  /** The sampled resident set size, in bytes. */
  readonly rss: number;
  /** The configured threshold (`options.pressureRssBytes`). */
  readonly thresholdBytes: number;
  /** V8 heap in use, in bytes. */
  readonly heapUsed: number;
  /** Memory of C++ objects bound to JavaScript objects (Buffers among them), in bytes. */
  readonly external: number;
}

/**
 * Samples `process.memoryUsage()` on an unref'd interval and reports each upward crossing of the
 * threshold once (edge-triggered: it re-arms only after a sample below the threshold), so a process that
 * stays above the line is not flooded with events.
 *
 * @internal
 */
export class PressureMonitor {
  #timer: ReturnType<typeof setInterval> | undefined;
  #above = false;

  constructor(
    readonly thresholdBytes: number,
    readonly intervalMs: number,
    readonly onPressure: (event: PressureEvent) => void,
  ) {}

  get running(): boolean {
    return this.#timer !== undefined;
  }

  start(): void {
    if (this.#timer !== undefined) return;
    this.#above = false;
    this.#timer = setInterval(() => this.sample(), this.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer === undefined) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  sample(): void {
    const m = process.memoryUsage();
    const above = m.rss >= this.thresholdBytes;
    const crossed = above && !this.#above;
    this.#above = above;
    if (crossed) {
      this.onPressure({
        rss: m.rss,
        thresholdBytes: this.thresholdBytes,
        heapUsed: m.heapUsed,
        external: m.external,
      });
    }
  }
}
