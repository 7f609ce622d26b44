import { constants, hash, type KeyObject, verify } from 'node:crypto';
import { timingSafeEqual } from '@msys/core/crypto';
import { isSystemError } from '@msys/core/errors';
import { attestBody, parseTpmsAttest, type TpmsAttest } from './attest.js';
import {
  algName,
  type HashAlgorithmName,
  hashInfo,
  TPM_GENERATED_VALUE,
  TpmaObject,
  TpmSt,
} from './constants.js';
import { importAttestationKey, keyOfPublicArea, lookupAttestationKey } from './key-cache.js';
import { curveInfo, padStart } from './keys.js';
import { parseTpmtPublic, type TpmtPublic } from './public.js';
import { parseTpmtSignature, type TpmtSignature } from './signature.js';

/** PCR values by bank and index, e.g. `{ sha256: { 0: <32 bytes>, 7: <32 bytes> } }`. */
export type PcrBanks = { readonly [K in HashAlgorithmName]?: Readonly<Record<number, Uint8Array>> };

/** Input of {@link verifyQuote}. */
export interface VerifyQuoteInput {
  /** The attestation key: TPMT_PUBLIC or TPM2B_PUBLIC bytes, or an already parsed public area. */
  readonly akPublic: Uint8Array | TpmtPublic;
  /** The quote: TPMS_ATTEST (or TPM2B_ATTEST) bytes, exactly as signed. */
  readonly quote: Uint8Array;
  /** The TPMT_SIGNATURE bytes. */
  readonly signature: Uint8Array;
  /** The PCR values the quote should cover. */
  readonly pcrs: PcrBanks;
  /** The expected qualifying data (the verifier's nonce); when given, extraData must equal it. */
  readonly nonce?: Uint8Array;
}

/** Stable failure codes of {@link verifyQuote}. */
export type QuoteFailureCode =
  | 'MSYS_ATTESTATION_QUOTE_MALFORMED'
  | 'MSYS_ATTESTATION_QUOTE_UNSUPPORTED'
  | 'MSYS_ATTESTATION_QUOTE_MAGIC'
  | 'MSYS_ATTESTATION_QUOTE_TYPE'
  | 'MSYS_ATTESTATION_QUOTE_KEY'
  | 'MSYS_ATTESTATION_QUOTE_SIGNATURE'
  | 'MSYS_ATTESTATION_QUOTE_PCR_MISSING'
  | 'MSYS_ATTESTATION_QUOTE_PCR_DIGEST'
  | 'MSYS_ATTESTATION_QUOTE_NONCE';

/** Result of {@link verifyQuote}. */
export type VerifyQuoteResult =
  | {
      /** The quote is authentic, fresh and covers exactly the supplied PCR values. */
      readonly ok: true;
      /** The parsed TPMS_ATTEST. */
      readonly attest: TpmsAttest;
    }
  | {
      /** The quote was rejected. */
      readonly ok: false;
      /** Why, as a stable code. */
      readonly code: QuoteFailureCode;
      /** A human-readable explanation. */
      readonly reason: string;
    };

const fail = (code: QuoteFailureCode, reason: string): VerifyQuoteResult => ({ ok: false, code, reason });

const NODE_HASH: Partial<Record<HashAlgorithmName, string>> = {
  sha1: 'sha1',
  sha256: 'sha256',
  sha384: 'sha384',
  sha512: 'sha512',
};

/** Verifies a TPM signature over `message` with the AK; false on mismatch. @internal */
export function verifyTpmSignature(
  pub: TpmtPublic,
  key: KeyObject,
  sig: TpmtSignature,
  message: Uint8Array,
): boolean {
  const h = hashInfo(sig.hashAlg);
  const hashName = h === undefined ? undefined : NODE_HASH[h.name];
  if (hashName === undefined) return false;
  if (sig.kind === 'rsassa' || sig.kind === 'rsapss') {
    if (pub.parameters.type !== 'rsa') return false;
    return verify(
      hashName,
      message,
      sig.kind === 'rsassa'
        ? { key, padding: constants.RSA_PKCS1_PADDING }
        : // TPMs pick the largest salt that fits, up to the digest size (Part 1 §B.7); AUTO accepts any valid salt.
          { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
      sig.signature,
    );
  }
  if (sig.kind === 'ecdsa') {
    if (pub.parameters.type !== 'ecc') return false;
    const size = curveInfo(pub.parameters.curveId).size;
    let r: Uint8Array;
    let s: Uint8Array;
    try {
      r = padStart(sig.r, size);
      s = padStart(sig.s, size);
    } catch {
      return false;
    }
    const rs = new Uint8Array(size * 2);
    rs.set(r, 0);
    rs.set(s, size);
    return verify(hashName, message, { key, dsaEncoding: 'ieee-p1363' }, rs);
  }
  return false;
}

/**
 * Recomputes a quote's PCR digest from supplied values: the selected PCRs of each bank in selection order,
 * ascending index, concatenated and hashed with the signing scheme's hash (Part 3 §18.4).
 *
 * @internal
 */
export function computePcrDigest(
  attest: TpmsAttest,
  pcrs: PcrBanks,
  hashName: string,
): { ok: true; digest: Uint8Array } | { ok: false; reason: string } {
  if (attest.attested.kind !== 'quote') return { ok: false, reason: 'not a quote' };
  const values: Uint8Array[] = [];
  let length = 0;
  for (const sel of attest.attested.pcrSelect) {
    const bank = sel.hash;
    const size = hashInfo(sel.hashAlg)?.size;
    if (bank === undefined || size === undefined)
      return { ok: false, reason: `unknown bank ${algName(sel.hashAlg)}` };
    const supplied = pcrs[bank];
    for (const index of sel.pcrs) {
      const v = supplied?.[index];
      if (v === undefined) return { ok: false, reason: `no ${bank} value supplied for PCR ${index}` };
      if (v.length !== size)
        return { ok: false, reason: `${bank} PCR ${index} is ${v.length} bytes, expected ${size}` };
      values.push(v);
      length += size;
    }
  }
  // One-shot hashing of the concatenation: a streaming Hash object per quote costs more than the hashing itself.
  const selected = Buffer.allocUnsafe(length);
  let offset = 0;
  for (const v of values) {
    selected.set(v, offset);
    offset += v.length;
  }
  return { ok: true, digest: hash(hashName, selected, 'buffer') };
}

/**
 * Verifies a TPM2_Quote: the magic and type, the AK's signature (RSASSA, RSAPSS, ECDSA P-256/P-384), that the
 * AK is a restricted signing key (so the TPM vouches that it signed only TPM-generated data), the PCR
 * selection and digest against the supplied PCR values, and the nonce. Never throws for bad evidence.
 *
 * @param input - AK public area, quote, signature, PCR values and the expected nonce
 * @returns `{ ok: true, attest }` or `{ ok: false, code, reason }`
 * @example
 * ```ts
 * const r = verifyQuote({ akPublic, quote, signature, pcrs: { sha256: { 0: pcr0 } }, nonce });
 * if (!r.ok) throw new Error(`${r.code}: ${r.reason}`);
 * ```
 */
export function verifyQuote(input: VerifyQuoteInput): VerifyQuoteResult {
  let pub: TpmtPublic;
  let attest: TpmsAttest;
  let sig: TpmtSignature;
  let key: KeyObject;
  try {
    if (input === null || typeof input !== 'object')
      return fail('MSYS_ATTESTATION_QUOTE_MALFORMED', 'input must be an object');
    // The same attester quotes again and again: its AK is parsed and imported once (see key-cache.ts).
    const ak = input.akPublic instanceof Uint8Array ? lookupAttestationKey(input.akPublic) : undefined;
    pub =
      ak?.pub ?? (input.akPublic instanceof Uint8Array ? parseTpmtPublic(input.akPublic) : input.akPublic);
    attest = parseTpmsAttest(input.quote);
    sig = parseTpmtSignature(input.signature);
    key =
      ak?.key ??
      (input.akPublic instanceof Uint8Array
        ? importAttestationKey(input.akPublic, pub)
        : keyOfPublicArea(pub));
  } catch (e) {
    if (isSystemError(e) && e.code === 'MSYS_ATTESTATION_UNSUPPORTED_ALGORITHM') {
      return fail('MSYS_ATTESTATION_QUOTE_UNSUPPORTED', e.message);
    }
    return fail('MSYS_ATTESTATION_QUOTE_MALFORMED', e instanceof Error ? e.message : String(e));
  }
  if (attest.magic !== TPM_GENERATED_VALUE) {
    return fail(
      'MSYS_ATTESTATION_QUOTE_MAGIC',
      `magic 0x${attest.magic.toString(16)} is not TPM_GENERATED_VALUE`,
    );
  }
  if (attest.type !== TpmSt.ATTEST_QUOTE || attest.attested.kind !== 'quote') {
    return fail(
      'MSYS_ATTESTATION_QUOTE_TYPE',
      `type 0x${attest.type.toString(16)} is not TPM_ST_ATTEST_QUOTE`,
    );
  }
  const attrs = pub.objectAttributes;
  if ((attrs & TpmaObject.sign) === 0 || (attrs & TpmaObject.restricted) === 0) {
    return fail('MSYS_ATTESTATION_QUOTE_KEY', 'the AK is not a restricted signing key');
  }
  const hashName = NODE_HASH[hashInfo(sig.hashAlg)?.name ?? 'sm3_256'];
  if (hashName === undefined) {
    return fail(
      'MSYS_ATTESTATION_QUOTE_UNSUPPORTED',
      `signature hash ${algName(sig.hashAlg)} is not supported`,
    );
  }
  const raw = attestBody(input.quote);
  let valid = false;
  try {
    valid = verifyTpmSignature(pub, key, sig, raw);
  } catch {
    valid = false;
  }
  if (!valid)
    return fail('MSYS_ATTESTATION_QUOTE_SIGNATURE', `the ${sig.kind} signature does not verify with the AK`);
  if (
    input.nonce !== undefined &&
    !(input.nonce instanceof Uint8Array && timingSafeEqual(input.nonce, attest.extraData))
  ) {
    return fail('MSYS_ATTESTATION_QUOTE_NONCE', 'extraData does not equal the expected nonce');
  }
  const computed = computePcrDigest(attest, input.pcrs ?? {}, hashName);
  if (!computed.ok) return fail('MSYS_ATTESTATION_QUOTE_PCR_MISSING', computed.reason);
  if (!timingSafeEqual(computed.digest, attest.attested.pcrDigest)) {
    return fail('MSYS_ATTESTATION_QUOTE_PCR_DIGEST', 'the PCR digest does not match the supplied PCR values');
  }
  return { ok: true, attest };
}
