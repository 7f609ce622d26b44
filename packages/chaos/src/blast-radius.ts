/**
 * The limits of an engine's blast radius, checked at every injection (and, for the call share, at every
 * call a fault would change).
 *
 * @module
 */
import { invalidOption } from './errors.js';
import { normalizeSelector, type TargetSelector } from './targets.js';

/** The limits every injection must respect. */
export interface BlastRadius {
  /** At most this many faults active at once. */
  readonly maxConcurrentFaults?: number;
  /** At most this share (0..1) of all wrapped calls may be changed by a fault (counted since the start). */
  readonly maxCallFraction?: number;
  /** At most this share (0..1, rounded down) of the known targets may be under a fault at once. */
  readonly maxTargetFraction?: number;
  /** The total fault time, summed over faults, in ms; a fault without a duration gets what is left. */
  readonly maxTotalFaultMs?: number;
  /** Faults may only act on targets matching this selector's names/tags (its mode is ignored). */
  readonly allowedTargets?: TargetSelector;
}

/** The counters the blast radius is judged on; see {@link ChaosEngine.stats}. */
export interface BlastStats {
  /** Faults active now. */
  readonly activeFaults: number;
  /** Targets (other than the process) under at least one fault now. */
  readonly affectedTargets: number;
  /** Targets known to the engine (other than the process). */
  readonly knownTargets: number;
  /** Wrapped calls seen. */
  readonly calls: number;
  /** Wrapped calls a fault changed. */
  readonly affectedCalls: number;
  /** Wrapped calls a fault would have changed but `maxCallFraction` forbade. */
  readonly suppressedCalls: number;
  /** Fault time used or reserved, in ms. */
  readonly faultMsUsed: number;
}

/**
 * Validates the blast radius options.
 *
 * @internal
 */
export function validateBlastRadius(value: unknown): BlastRadius {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null)
    throw invalidOption('options.blastRadius', 'an object', value);
  const b = value as Record<string, unknown>;
  const check = (key: string, ok: (v: number) => boolean, expected: string) => {
    const v = b[key];
    if (v !== undefined && (typeof v !== 'number' || !ok(v))) {
      throw invalidOption(`options.blastRadius.${key}`, expected, v);
    }
  };
  check('maxConcurrentFaults', (v) => Number.isInteger(v) && v >= 0, 'an integer ≥ 0');
  check('maxCallFraction', (v) => v >= 0 && v <= 1, 'a number in [0, 1]');
  check('maxTargetFraction', (v) => v >= 0 && v <= 1, 'a number in [0, 1]');
  check('maxTotalFaultMs', (v) => Number.isFinite(v) && v >= 0, 'a finite number of ms ≥ 0');
  if (b.allowedTargets !== undefined)
    normalizeSelector(b.allowedTargets, 'options.blastRadius.allowedTargets');
  return b as BlastRadius;
}
