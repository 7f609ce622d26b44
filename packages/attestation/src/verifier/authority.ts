import { type KeyObject, randomBytes } from 'node:crypto';
import { timingSafeEqual } from '@msys/core/crypto';
import type { ResourceGovernor } from '@msys/core/governor';
import type { Logger } from '@msys/core/logging';
import { errors, invalidArgument } from '../errors.js';
import { appraiseSoftware, appraiseTpm, type Claims, newClaims } from './appraisal.js';
import { ed25519PrivateKey, ed25519PublicKey, rawEd25519 } from './ed25519.js';
import { openSoftwareEvidence } from './software-evidence.js';
import { worst } from './tiers.js';
import { signResultToken } from './token.js';
import type { AppraisalPolicy, AppraisalResult, Challenge, ClaimName, Evidence, TrustTier } from './types.js';

/**
 * The parts of `@msys/core`'s `ResourceGovernor` the authority uses — its randomness and its clock — so a
 * deterministic governor makes nonces and timestamps replay exactly. Any `ResourceGovernor` fits.
 */
export type AuthorityGovernor = Pick<ResourceGovernor, 'random' | 'clock'>;

/** Options of {@link AttestationAuthority}. */
export interface AttestationAuthorityOptions {
  /** The verifier's Ed25519 key that signs results: a 32-byte seed or a private KeyObject. */
  readonly signingKey: Uint8Array | KeyObject;
  /** Appraisal policies by name. */
  readonly policies: Readonly<Record<string, AppraisalPolicy>>;
  /** Randomness and time (deterministic runs replay exactly); default node:crypto and Date.now. */
  readonly governor?: AuthorityGovernor;
  /** Structured logger. */
  readonly logger?: Logger;
  /** How long a challenge stays valid, ms; default 5 minutes. */
  readonly challengeTtlMs?: number;
  /** How long a result token is valid, seconds; default 10 minutes. */
  readonly resultTtlSeconds?: number;
  /** Bound on outstanding challenges (the oldest are dropped); default 100 000. */
  readonly maxOutstandingChallenges?: number;
}

const NONCE_BYTES = 32;

/**
 * The RATS Verifier (RFC 9334 §3): issues single-use challenges, appraises evidence from attesters (TPM quotes
 * with their event logs, or Ed25519-signed software claims) against named policies of reference values, and
 * signs the outcome as an EAR attestation result (JWT, EdDSA) for relying parties.
 *
 * @example
 * ```ts
 * const authority = new AttestationAuthority({ signingKey: seed, policies: { servers: { referencePcrs: { sha256: { 7: pcr7 } } } } });
 * const { nonce } = authority.challenge();
 * const q = await tpm.quote(ak.handle, nonce, [{ hash: 'sha256', pcrs: [0, 7] }]);
 * const pcrs = await tpm.pcrRead([{ hash: 'sha256', pcrs: [0, 7] }]);
 * const result = await authority.appraise({ kind: 'tpm', nonce, akPublic: ak.public.raw, quote: q.attest, signature: q.signature, pcrs }, 'servers');
 * // relying party:
 * const verified = await verifyResult(result.token, authority.publicKey);
 * ```
 */
export class AttestationAuthority {
  /** The verifier's 32-byte Ed25519 public key, for {@link verifyResult}. */
  readonly publicKey: Uint8Array;
  private readonly key: KeyObject;
  private readonly policies: Map<string, AppraisalPolicy>;
  private readonly nonces = new Map<string, { issuedAt: number; expiresAt: number }>();
  private readonly challengeTtlMs: number;
  private readonly resultTtlSeconds: number;
  private readonly maxOutstanding: number;

  /**
   * @param options - signing key, policies, governor, logger and lifetimes
   * @throws SystemError `MSYS_ATTESTATION_INVALID_ARGUMENT` naming the bad option
   */
  constructor(private readonly options: AttestationAuthorityOptions) {
    if (options === null || typeof options !== 'object')
      throw invalidArgument('options', 'an options object', options);
    this.key = ed25519PrivateKey(options.signingKey, 'options.signingKey');
    this.publicKey = rawEd25519(ed25519PublicKey(this.key, 'options.signingKey'));
    if (options.policies === null || typeof options.policies !== 'object') {
      throw invalidArgument('options.policies', 'an object of named policies', options.policies);
    }
    this.policies = new Map(Object.entries(options.policies));
    const positive = (v: number | undefined, path: string, d: number): number => {
      if (v === undefined) return d;
      if (!Number.isFinite(v) || v <= 0) throw invalidArgument(path, 'a positive number', v);
      return v;
    };
    this.challengeTtlMs = positive(options.challengeTtlMs, 'options.challengeTtlMs', 300_000);
    this.resultTtlSeconds = positive(options.resultTtlSeconds, 'options.resultTtlSeconds', 600);
    this.maxOutstanding = positive(
      options.maxOutstandingChallenges,
      'options.maxOutstandingChallenges',
      100_000,
    );
  }

  private now(): number {
    return this.options.governor?.clock.now() ?? Date.now();
  }

  /**
   * Issues a fresh single-use nonce (32 bytes: fits TPM2B_DATA's 64-byte limit and every hash size).
   *
   * @returns the nonce and its expiry
   */
  challenge(): Challenge {
    const now = this.now();
    const nonce =
      this.options.governor?.random.bytes(NONCE_BYTES) ?? new Uint8Array(randomBytes(NONCE_BYTES));
    for (const [k, v] of this.nonces) {
      if (v.expiresAt > now && this.nonces.size < this.maxOutstanding) break;
      this.nonces.delete(k);
    }
    const expiresAt = now + this.challengeTtlMs;
    this.nonces.set(Buffer.from(nonce).toString('hex'), { issuedAt: now, expiresAt });
    return { nonce, expiresAt };
  }

  /**
   * Appraises evidence against a named policy and signs the result. Bad evidence never throws: it yields a
   * `contraindicated` result with reasons. The challenge is consumed whatever the outcome.
   *
   * In the RATS background-check model the relying party may issue the nonce itself (RFC 9334 §10.2): pass it as
   * `options.expectedNonce`; the evidence must then carry exactly that nonce, and the relying party is
   * responsible for its single use.
   *
   * @param evidence - TPM or software evidence
   * @param policyName - a key of `options.policies`
   * @param options - `expectedNonce`: a nonce issued by the relying party instead of {@link AttestationAuthority.challenge}
   * @returns the EAR-style result and its signed token
   * @throws SystemError `MSYS_ATTESTATION_UNKNOWN_POLICY` for an unknown policy name
   */
  async appraise(
    evidence: Evidence,
    policyName: string,
    options: { readonly expectedNonce?: Uint8Array } = {},
  ): Promise<AppraisalResult> {
    const policy = this.policies.get(policyName);
    if (policy === undefined) {
      throw errors.MSYS_ATTESTATION_UNKNOWN_POLICY({
        policy: String(policyName),
        known: [...this.policies.keys()],
      });
    }
    const claims = newClaims();
    const now = this.now();
    let nonce: Uint8Array = new Uint8Array();
    let ueid: Uint8Array | undefined;
    if (evidence?.kind === 'tpm') {
      nonce = evidence.nonce instanceof Uint8Array ? evidence.nonce : new Uint8Array();
      ueid = evidence.ueid;
      if (this.checkFreshness(nonce, policy, now, claims, options.expectedNonce)) {
        const pending = appraiseTpm(evidence, policy, claims, now);
        if (pending !== undefined) await pending;
      }
    } else if (evidence?.kind === 'software') {
      const c = openSoftwareEvidence(evidence);
      if (c === undefined)
        claims.evidence.add('contraindicated', 'the software evidence signature or encoding is invalid');
      else {
        nonce = new Uint8Array(Buffer.from(c.nonce, 'base64url'));
        if (typeof c.ueid === 'string') ueid = new Uint8Array(Buffer.from(c.ueid, 'base64url'));
        if (this.checkFreshness(nonce, policy, now, claims, options.expectedNonce)) {
          claims.evidence.add('affirming', 'the claims are signed by the presented Ed25519 key');
          const keys = policy.allowedSoftwareKeys?.map((k) => k.toLowerCase());
          const hex = Buffer.from(evidence.publicKey).toString('hex');
          if (keys !== undefined) {
            claims['instance-identity'].add(
              keys.includes(hex) ? 'affirming' : 'contraindicated',
              `software key ${hex}`,
            );
          }
          appraiseSoftware(c, policy, claims);
        }
      }
    } else {
      claims.evidence.add('contraindicated', 'unknown evidence kind');
    }
    const built = {} as Record<ClaimName, AppraisalResult['claims'][ClaimName]>;
    const tiers: TrustTier[] = [];
    for (const k of Object.keys(claims) as ClaimName[]) {
      const c = claims[k].build();
      built[k] = c;
      tiers.push(c.status);
    }
    const status = worst(tiers);
    const iat = Math.floor(now / 1000);
    const exp = iat + this.resultTtlSeconds;
    const token = signResultToken(this.key, {
      status,
      policy: policyName,
      claims: built,
      nonce,
      ...(ueid === undefined ? {} : { ueid }),
      iat,
      exp,
    });
    this.options.logger?.info({ policy: policyName, status, kind: evidence?.kind }, 'attestation appraised');
    return {
      status,
      policy: policyName,
      claims: built,
      nonce,
      ...(ueid === undefined ? {} : { ueid }),
      issuedAt: iat,
      expiresAt: exp,
      token,
    };
  }

  private checkFreshness(
    nonce: Uint8Array,
    policy: AppraisalPolicy,
    now: number,
    claims: Claims,
    expected: Uint8Array | undefined,
  ): boolean {
    if (expected !== undefined) {
      const ok = expected instanceof Uint8Array && timingSafeEqual(expected, nonce);
      claims.freshness.add(
        ok ? 'affirming' : 'contraindicated',
        ok ? "the evidence answers the relying party's nonce" : "the nonce differs from the relying party's",
      );
      return ok;
    }
    const key = Buffer.from(nonce).toString('hex');
    const entry = this.nonces.get(key);
    this.nonces.delete(key);
    if (entry === undefined) {
      claims.freshness.add(
        'contraindicated',
        'the nonce was not issued by this verifier or was already used',
      );
      return false;
    }
    const maxAge = policy.maxAgeMs ?? this.challengeTtlMs;
    if (now > entry.expiresAt || now - entry.issuedAt > maxAge) {
      claims.freshness.add('contraindicated', `the challenge is stale (${now - entry.issuedAt} ms old)`);
      return false;
    }
    claims.freshness.add('affirming', 'the evidence answers a fresh challenge');
    return true;
  }
}
