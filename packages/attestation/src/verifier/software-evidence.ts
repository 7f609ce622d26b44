import { type KeyObject, sign, verify } from 'node:crypto';
import { ed25519PrivateKey, ed25519PublicKey, rawEd25519 } from './ed25519.js';
import type { SoftwareClaims, SoftwareEvidence } from './types.js';

/**
 * Signs a claim set for a host without a TPM: the claims are serialized to JSON once and the exact bytes are
 * signed with Ed25519 (RFC 8032), so the verifier checks what was signed without re-canonicalizing.
 *
 * @param claims - the claims; `nonce` must be the verifier's challenge (base64url)
 * @param secretKey - the host's 32-byte Ed25519 seed or private KeyObject
 * @returns evidence for {@link AttestationAuthority.appraise}
 * @throws SystemError `MSYS_ATTESTATION_INVALID_ARGUMENT` for a bad key
 * @example
 * ```ts
 * const { nonce } = authority.challenge();
 * const evidence = createSoftwareEvidence({ nonce: Buffer.from(nonce).toString('base64url'), events: [] }, hostSeed);
 * const result = await authority.appraise(evidence, 'container-hosts');
 * ```
 */
export function createSoftwareEvidence(
  claims: SoftwareClaims,
  secretKey: Uint8Array | KeyObject,
): SoftwareEvidence {
  const priv = ed25519PrivateKey(secretKey, 'secretKey');
  const bytes = new TextEncoder().encode(JSON.stringify(claims));
  return {
    kind: 'software',
    claims: bytes,
    signature: new Uint8Array(sign(null, bytes, priv)),
    publicKey: rawEd25519(ed25519PublicKey(priv, 'secretKey')),
  };
}

/** Verifies and decodes software evidence; undefined when the signature or the JSON is bad. @internal */
export function openSoftwareEvidence(e: SoftwareEvidence): SoftwareClaims | undefined {
  try {
    const pub = ed25519PublicKey(e.publicKey, 'evidence.publicKey');
    if (!(e.signature instanceof Uint8Array) || !verify(null, e.claims, pub, e.signature)) return undefined;
    const parsed: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(e.claims));
    if (
      parsed === null ||
      typeof parsed !== 'object' ||
      typeof (parsed as { nonce?: unknown }).nonce !== 'string'
    ) {
      return undefined;
    }
    return parsed as SoftwareClaims;
  } catch {
    return undefined;
  }
}
