import { type KeyObject, sign } from 'node:crypto';
import { errors as joseErrors, jwtVerify } from 'jose';
import { errors } from '../errors.js';
import { ed25519PublicKey } from './ed25519.js';
import { TIER_VALUE } from './tiers.js';
import type { ClaimAppraisal, ClaimName, ClaimSet, TrustTier } from './types.js';

/** The EAR profile identifier (draft-ietf-rats-ear §3). */
export const EAR_PROFILE = 'tag:github.com,2023:veraison/ear';

const EAR_PROFILE_JSON = JSON.stringify(EAR_PROFILE);
const VERIFIER_ID_JSON = JSON.stringify({ developer: '@msys/attestation', build: '0.1.0' });
const JWT_HEADER = Buffer.from(JSON.stringify({ alg: 'EdDSA', typ: 'JWT' })).toString('base64url');

/** The verified content of a result token. */
export interface VerifiedResult {
  /** The overall tier of the (first) submodule. */
  readonly status: TrustTier;
  /** The policy the verifier applied. */
  readonly policy: string;
  /** The nonce the evidence answered, base64url (EAT `eat_nonce`). */
  readonly nonce: string;
  /** The device's UEID, base64url, when known. */
  readonly ueid?: string;
  /** Issue time, seconds since the epoch. */
  readonly issuedAt: number;
  /** Expiry, seconds since the epoch. */
  readonly expiresAt: number;
  /** Per-claim tiers and reasons. */
  readonly claims: Partial<ClaimSet>;
  /** The whole JWT payload. */
  readonly payload: Readonly<Record<string, unknown>>;
}

/** @internal */
export function signResultToken(
  key: KeyObject,
  r: {
    status: TrustTier;
    policy: string;
    claims: Record<ClaimName, ClaimAppraisal>;
    nonce: Uint8Array;
    ueid?: Uint8Array;
    iat: number;
    exp: number;
  },
): string {
  // The payload is spelled out member by member, in the order below (the order JSON.stringify would give the
  // equivalent object): the token is on the hot path of every appraisal, and building then serializing a nested
  // object costs a fifth of the Ed25519 signature.
  let vector = '';
  let reasons = '';
  for (const k of Object.keys(r.claims)) {
    const v = r.claims[k as ClaimName];
    const name = JSON.stringify(k);
    vector += `${vector === '' ? '' : ','}${name}:${JSON.stringify(TIER_VALUE[v.status])}`;
    reasons += `${reasons === '' ? '' : ','}${name}:${JSON.stringify(v.reasons)}`;
  }
  const policy = JSON.stringify(r.policy);
  const payload =
    `{"eat_profile":${EAR_PROFILE_JSON},"iat":${JSON.stringify(r.iat)},"exp":${JSON.stringify(r.exp)}` +
    `,"eat_nonce":"${Buffer.from(r.nonce).toString('base64url')}"` +
    (r.ueid === undefined ? '' : `,"ueid":"${Buffer.from(r.ueid).toString('base64url')}"`) +
    `,"ear.verifier-id":${VERIFIER_ID_JSON},"submods":{${policy}:{"ear.status":${JSON.stringify(r.status)}` +
    `,"ear.trustworthiness-vector":{${vector}},"ear.appraisal-policy-id":${policy},"msys.reasons":{${reasons}}}}}`;
  // A compact JWS (RFC 7515 §7.1) signed directly with node:crypto: jose's SignJWT goes through WebCrypto's
  // async path, measured here at 4.2K tokens/s against 17.7K/s for the same Ed25519 signature. Relying parties
  // verify with jose (see verifyResult), which checks the identical format.
  const signingInput = `${JWT_HEADER}.${Buffer.from(payload).toString('base64url')}`;
  // base64url is ASCII: latin1 encodes it byte for byte without UTF-8 decoding.
  return `${signingInput}.${sign(null, Buffer.from(signingInput, 'latin1'), key).toString('base64url')}`;
}

const TIERS: readonly TrustTier[] = ['none', 'affirming', 'warning', 'contraindicated'];

/**
 * Verifies a result token as a relying party: the EdDSA signature with the verifier's public key, the expiry,
 * and the EAR shape. It does not decide trust: branch on `status`.
 *
 * @param token - the JWT from {@link AppraisalResult.token}
 * @param publicKey - the verifier's 32-byte Ed25519 public key (or KeyObject)
 * @param options - `currentDate` to check expiry against (default now)
 * @returns the verified result
 * @throws SystemError `MSYS_ATTESTATION_TOKEN_INVALID` when the signature, expiry or shape is wrong
 * @example
 * ```ts
 * const r = await verifyResult(token, authority.publicKey);
 * if (r.status !== 'affirming') denyAccess();
 * ```
 */
export async function verifyResult(
  token: string,
  publicKey: Uint8Array | KeyObject,
  options: { readonly currentDate?: Date } = {},
): Promise<VerifiedResult> {
  const key = ed25519PublicKey(publicKey, 'publicKey');
  if (typeof token !== 'string')
    throw errors.MSYS_ATTESTATION_TOKEN_INVALID({ reason: 'the token must be a string' });
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: ['EdDSA'],
      ...(options.currentDate === undefined ? {} : { currentDate: options.currentDate }),
    }));
  } catch (e) {
    const reason =
      e instanceof joseErrors.JWTExpired
        ? 'the token has expired'
        : `signature or format invalid (${(e as Error).message})`;
    throw errors.MSYS_ATTESTATION_TOKEN_INVALID({ reason }, { cause: e });
  }
  const submods = payload.submods as Record<string, Record<string, unknown>> | undefined;
  const [policy, sub] = Object.entries(submods ?? {})[0] ?? [];
  const status = sub?.['ear.status'];
  if (
    payload.eat_profile !== EAR_PROFILE ||
    typeof payload.eat_nonce !== 'string' ||
    policy === undefined ||
    !TIERS.includes(status as TrustTier)
  ) {
    throw errors.MSYS_ATTESTATION_TOKEN_INVALID({ reason: 'the payload is not an EAR attestation result' });
  }
  const vector = (sub?.['ear.trustworthiness-vector'] ?? {}) as Record<string, number>;
  const reasons = (sub?.['msys.reasons'] ?? {}) as Record<string, string[]>;
  const claims: Partial<Record<ClaimName, ClaimAppraisal>> = {};
  for (const [k, v] of Object.entries(vector)) {
    const tier = TIERS.find((t) => TIER_VALUE[t] === v) ?? 'none';
    claims[k as ClaimName] = { status: tier, reasons: reasons[k] ?? [] };
  }
  return {
    status: status as TrustTier,
    policy,
    nonce: payload.eat_nonce,
    ...(typeof payload.ueid === 'string' ? { ueid: payload.ueid } : {}),
    issuedAt: Number(payload.iat),
    expiresAt: Number(payload.exp),
    claims,
    payload,
  };
}
