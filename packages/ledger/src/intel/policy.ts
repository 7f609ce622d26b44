import { badArgument } from '../errors.js';

/**
 * When an indicator becomes an active block. An indicator is blocked when at least `quorum` distinct domains
 * assert `block` (so no single member can block alone unless `quorum` is 1), or — when `threshold` is set —
 * when the trust weights of the distinct asserting domains sum to at least `threshold`. Allow entries from at
 * least `allowQuorum` domains override any block.
 */
export interface IntelPolicy {
  /** Distinct domains needed for a block; default 1. */
  readonly quorum?: number;
  /** Trust weight per domain for the weighted rule; domains not listed weigh `defaultTrust`. */
  readonly trust?: Readonly<Record<string, number>>;
  /** Weight of a domain not in `trust`; default 1. */
  readonly defaultTrust?: number;
  /** Weighted-sum threshold; when absent only the count rule applies. */
  readonly threshold?: number;
  /** Distinct domains whose allow entries override blocks; default 1. */
  readonly allowQuorum?: number;
  /** Entries below this confidence (0–100) are ignored; default 0. */
  readonly minConfidence?: number;
}

/** A policy with every default applied. @internal */
export interface ResolvedPolicy {
  readonly quorum: number;
  readonly trust: ReadonlyMap<string, number>;
  readonly defaultTrust: number;
  readonly threshold: number | undefined;
  readonly allowQuorum: number;
  readonly minConfidence: number;
}

function positiveInt(path: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) badArgument(path, 'a positive integer', v);
  return v;
}

function weight(path: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) badArgument(path, 'a finite number ≥ 0', v);
  return v;
}

/**
 * Validates a policy and applies its defaults.
 *
 * @internal
 */
export function resolvePolicy(policy: IntelPolicy | undefined, path = 'options.policy'): ResolvedPolicy {
  const p = policy ?? {};
  if (typeof p !== 'object' || p === null) badArgument(path, 'a policy object', p);
  const trust = new Map<string, number>();
  for (const [domain, w] of Object.entries(p.trust ?? {}))
    trust.set(domain, weight(`${path}.trust.${domain}`, w, 0));
  const minConfidence = weight(`${path}.minConfidence`, p.minConfidence, 0);
  if (minConfidence > 100) badArgument(`${path}.minConfidence`, 'a number in [0, 100]', minConfidence);
  return {
    quorum: positiveInt(`${path}.quorum`, p.quorum, 1),
    trust,
    defaultTrust: weight(`${path}.defaultTrust`, p.defaultTrust, 1),
    threshold: p.threshold === undefined ? undefined : weight(`${path}.threshold`, p.threshold, 0),
    allowQuorum: positiveInt(`${path}.allowQuorum`, p.allowQuorum, 1),
    minConfidence,
  };
}
