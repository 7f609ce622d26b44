import type { ClaimAppraisal, TrustTier } from './types.js';

const RANK: Record<TrustTier, number> = { none: 0, affirming: 1, warning: 2, contraindicated: 3 };

/** EAR trustworthiness-vector values (draft-ietf-rats-ar4si §2.3.2: 2 affirming, 32 warning, 96 contraindicated). @internal */
export const TIER_VALUE: Record<TrustTier, number> = {
  none: 0,
  affirming: 2,
  warning: 32,
  contraindicated: 96,
};

/** @internal */
export function worst(tiers: readonly TrustTier[]): TrustTier {
  let w: TrustTier = 'none';
  for (const t of tiers) if (RANK[t] > RANK[w]) w = t;
  return w;
}

/** Collects findings for one claim; the tier is the worst finding. @internal */
export class ClaimBuilder {
  private tier: TrustTier = 'none';
  private readonly reasons: string[] = [];

  add(tier: TrustTier, reason: string): this {
    if (RANK[tier] > RANK[this.tier]) this.tier = tier;
    this.reasons.push(reason);
    return this;
  }

  get status(): TrustTier {
    return this.tier;
  }

  build(): ClaimAppraisal {
    return { status: this.tier, reasons: [...this.reasons] };
  }
}
