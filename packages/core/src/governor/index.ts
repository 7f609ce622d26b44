/**
 * The ResourceGovernor: cooperative CPU capping, RAM budgets, FIFO-fair I/O rate limiting, sandbox
 * allow-lists and isolated child processes — and, in deterministic mode, the seeded randomness
 * (xoshiro128**) and virtual clock that make a run replay exactly.
 *
 * @example
 * ```ts
 * import { ResourceGovernor } from '@msys/core/governor';
 *
 * const governor = new ResourceGovernor({ deterministic: { seed: 42 } });
 * const delay = governor.random.int(10, 100);
 * const woke = governor.clock.sleep(delay);
 * await governor.clock.advance(delay); // virtual time: no real waiting
 * await woke;
 * ```
 *
 * @module
 */
export { type Clock, RealClock, type TimerHandle, VIRTUAL_EPOCH_MS, VirtualClock } from './clock.js';
export {
  GovernorEmitter,
  type GovernorEventName,
  type GovernorEvents,
  type GovernorListener,
  type LimitEvent,
  type ThrottleEvent,
} from './events.js';
export { type GovernorOptions, type GovernorUsage, ResourceGovernor } from './governor.js';
export type { SpawnIsolatedOptions, SpawnIsolatedResult } from './isolate.js';
export type { MemoryLease, PressureEvent } from './memory.js';
export { CryptoRandom, type Random, type Seed, SeededRandom } from './random.js';
export type { FsAccessMode, SandboxOptions } from './sandbox.js';
export { type AcquireOptions, type IoRefusal, TokenBucket, type TokenBucketOptions } from './token-bucket.js';
