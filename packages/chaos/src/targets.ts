/**
 * Targets and Chaos-Mesh-style selectors. A target is anything a fault can act on: a wrapped function,
 * a proxy, the fs facade, a fetch dispatcher, or the process. Each target keeps the faults that act on it
 * in plain arrays, rebuilt on inject/revert, so the call path reads one array and allocates nothing.
 *
 * @module
 */
import type { ActiveFault } from './active-fault.js';
import { invalidOption } from './errors.js';
import type { ChaosRandom } from './random.js';

/** What kind of thing a target is. */
export type TargetType = 'call' | 'proxy' | 'fs' | 'fetch' | 'process' | 'unknown';

/**
 * Chooses targets by name and tags, then how many of the matches (Chaos Mesh's `mode`/`value`):
 * `all`, `one`, `fixed` (`value` targets), `fixed-percent` (`value` % of them, rounded down),
 * `random-max-percent` (a random share of at most `value` %).
 */
export interface TargetSelector {
  /** Targets whose name is in this list match. */
  readonly names?: readonly string[];
  /** Targets carrying every one of these tags match. */
  readonly tags?: readonly string[];
  /** How many of the matches are chosen; default `all`. */
  readonly mode?: 'all' | 'one' | 'fixed' | 'fixed-percent' | 'random-max-percent';
  /** The count (`fixed`) or percentage (`fixed-percent`, `random-max-percent`). */
  readonly value?: number;
}

/**
 * A target's state: its counters and the faults acting on it.
 *
 * @internal
 */
export class TargetState {
  type: TargetType;
  readonly tags: Set<string>;
  /** Calls (connections, requests, fs operations) seen so far: the index of the next decision. */
  calls = 0;
  readonly callFaults: ActiveFault[] = [];
  readonly toxics: ActiveFault[] = [];
  readonly fsFaults: ActiveFault[] = [];
  readonly httpFaults: ActiveFault[] = [];
  /** Recorded decisions of a replayed journal, by call index. */
  replayed: Map<number, { fault: string; value?: number }[]> | undefined;
  #random: ChaosRandom | undefined;
  readonly #root: ChaosRandom;

  constructor(
    readonly name: string,
    type: TargetType,
    tags: readonly string[],
    root: ChaosRandom,
  ) {
    this.type = type;
    this.tags = new Set(tags);
    this.#root = root;
  }

  /** The target's own stream: its decisions depend on the seed and its own call sequence only. */
  get random(): ChaosRandom {
    this.#random ??= this.#root.fork(`target:${this.name}`);
    return this.#random;
  }

  get faultCount(): number {
    return this.callFaults.length + this.toxics.length + this.fsFaults.length + this.httpFaults.length;
  }
}

/**
 * Validates a selector (or a target name) and returns it as a selector.
 *
 * @internal
 */
export function normalizeSelector(target: unknown, path: string): TargetSelector | undefined {
  if (target === undefined) return undefined;
  if (typeof target === 'string') {
    if (target.length === 0) throw invalidOption(path, 'a non-empty target name', target);
    return { names: [target], mode: 'all' };
  }
  if (typeof target !== 'object' || target === null || Array.isArray(target)) {
    throw invalidOption(path, 'a target name or a selector { names?, tags?, mode?, value? }', target);
  }
  const s = target as Record<string, unknown>;
  for (const key of ['names', 'tags'] as const) {
    const list = s[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) {
      throw invalidOption(`${path}.${key}`, 'an array of strings', list);
    }
  }
  const mode = s.mode ?? 'all';
  if (!['all', 'one', 'fixed', 'fixed-percent', 'random-max-percent'].includes(mode as string)) {
    throw invalidOption(`${path}.mode`, 'one of all, one, fixed, fixed-percent, random-max-percent', mode);
  }
  if (mode === 'fixed' && (!Number.isInteger(s.value) || (s.value as number) < 1)) {
    throw invalidOption(`${path}.value`, 'a positive integer for mode fixed', s.value);
  }
  if (
    (mode === 'fixed-percent' || mode === 'random-max-percent') &&
    (typeof s.value !== 'number' || !(s.value > 0 && s.value <= 100))
  ) {
    throw invalidOption(`${path}.value`, 'a percentage in (0, 100]', s.value);
  }
  return target as TargetSelector;
}

/**
 * True when the target matches the selector's names and tags.
 *
 * @internal
 */
export function matches(selector: TargetSelector, target: TargetState): boolean {
  if (selector.names !== undefined && !selector.names.includes(target.name)) return false;
  if (selector.tags !== undefined) {
    for (const tag of selector.tags) if (!target.tags.has(tag)) return false;
  }
  return true;
}

/**
 * Applies the selector's mode to the matching targets, drawing from `random` (a Fisher–Yates prefix).
 *
 * @internal
 */
export function choose(
  selector: TargetSelector,
  candidates: TargetState[],
  random: ChaosRandom,
): TargetState[] {
  const mode = selector.mode ?? 'all';
  const n = candidates.length;
  let count: number;
  switch (mode) {
    case 'all':
      return candidates;
    case 'one':
      count = Math.min(1, n);
      break;
    case 'fixed':
      count = Math.min(selector.value ?? 1, n);
      break;
    case 'fixed-percent':
      count = Math.floor(((selector.value ?? 100) / 100) * n);
      break;
    default:
      count = Math.floor(random.float() * (Math.floor(((selector.value ?? 100) / 100) * n) + 1));
  }
  const pool = candidates.slice();
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random.float() * (n - i));
    const tmp = pool[i] as TargetState;
    pool[i] = pool[j] as TargetState;
    pool[j] = tmp;
  }
  return pool.slice(0, count);
}
