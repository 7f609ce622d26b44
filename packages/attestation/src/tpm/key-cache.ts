import type { KeyObject } from 'node:crypto';
import { tpmPublicToKeyObject } from './keys.js';
import { encodeTpmtPublic, parseTpmtPublic, type TpmtPublic } from './public.js';

/** An AK as the verifier uses it: its parsed public area and the node:crypto key made from it. @internal */
export interface AttestationKey {
  /** The public area parsed from the cache slot's bytes. */
  readonly pub: TpmtPublic;
  /** The imported public key. */
  readonly key: KeyObject;
}

/**
 * Importing a key (JWK → OpenSSL EVP_PKEY) costs more than verifying a signature with it (about 4.6K imports/s
 * against 15K P-256 verifies/s here), and a verifier sees the same AKs again and again: keep the most recently
 * used ones, with their parsed public areas. A slot is named by the complete TPMT_PUBLIC (or TPM2B_PUBLIC) bytes,
 * never by a digest or a prefix, so two different keys can never share one.
 */
const CACHE = new Map<string, AttestationKey>();

/** Bound on cached AKs: least recently used ones are dropped beyond it. @internal */
export const AK_CACHE_SIZE = 1024;

const slotOf = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

function remember(slot: string, entry: AttestationKey): AttestationKey {
  if (CACHE.size >= AK_CACHE_SIZE) {
    const oldest = CACHE.keys().next().value;
    if (oldest !== undefined) CACHE.delete(oldest);
  }
  CACHE.set(slot, entry);
  return entry;
}

/**
 * The cached AK for exactly these public-area bytes, refreshed as most recently used; undefined on a miss.
 *
 * @internal
 */
export function lookupAttestationKey(bytes: Uint8Array): AttestationKey | undefined {
  const slot = slotOf(bytes);
  const hit = CACHE.get(slot);
  if (hit !== undefined) {
    CACHE.delete(slot);
    CACHE.set(slot, hit);
  }
  return hit;
}

/**
 * Imports the key of `pub`, parsed from `bytes`, and caches both under `bytes`.
 *
 * @throws SystemError `MSYS_ATTESTATION_UNSUPPORTED_ALGORITHM` or `MSYS_ATTESTATION_MALFORMED` (nothing cached)
 * @internal
 */
export function importAttestationKey(bytes: Uint8Array, pub: TpmtPublic): KeyObject {
  return remember(slotOf(bytes), { pub, key: tpmPublicToKeyObject(pub) }).key;
}

/**
 * The key of a caller-built public area. Its `raw` field is not trusted to describe its fields (a hand-made
 * area may carry any or no bytes there): the slot is the area re-encoded from its fields, and a cached key is
 * always imported from the parse of the slot's own bytes. Areas that do not survive that round trip unchanged
 * in kind are imported directly, uncached.
 *
 * @internal
 */
export function keyOfPublicArea(pub: TpmtPublic): KeyObject {
  let bytes: Uint8Array;
  let parsed: TpmtPublic;
  try {
    bytes = encodeTpmtPublic(pub);
    parsed = parseTpmtPublic(bytes);
  } catch {
    return tpmPublicToKeyObject(pub);
  }
  if (parsed.parameters.type !== pub.parameters.type) return tpmPublicToKeyObject(pub);
  return lookupAttestationKey(bytes)?.key ?? importAttestationKey(bytes, parsed);
}

/** The number of cached AKs. @internal */
export function attestationKeyCacheSize(): number {
  return CACHE.size;
}
