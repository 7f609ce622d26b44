/**
 * The engine's internal surface, shared by the modules that implement targets (wrapped calls, proxies,
 * fetch dispatchers, the fs facade). Not exported from the package.
 *
 * @internal
 * @module
 */
import type { ActiveFault } from './active-fault.js';
import type { ChaosClock } from './clock.js';
import type { TargetState, TargetType } from './targets.js';

/** A fault that fired on one call, with the value it drew. @internal */
export interface Firing {
  readonly fault: ActiveFault;
  readonly value: number | undefined;
}

/** Counters of wrapped calls, shared with the wrappers so the fast path touches one object. @internal */
export interface CallStats {
  calls: number;
  affected: number;
  suppressed: number;
}

/** @internal */
export interface EngineInternals {
  readonly clock: ChaosClock;
  readonly stats: CallStats;
  register(name: string, type: TargetType, tags: readonly string[]): TargetState;
  decide(
    target: TargetState,
    call: number,
    faults: readonly ActiveFault[],
    isCall: boolean,
  ): Firing[] | undefined;
  addCloser(close: () => Promise<void>): () => void;
  /** Calls `listener` on every injection and revert; returns the unsubscribe function. */
  watch(listener: (fault: ActiveFault, event: 'inject' | 'revert') => void): () => void;
}

/** The key of {@link EngineInternals} on an engine. @internal */
export const INTERNAL: unique symbol = Symbol('@msys/chaos.internal');
