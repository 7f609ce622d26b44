/**
 * Evidence for the attestation benchmark: software-made quotes in the exact TPM 2.0 formats (TPMS_ATTEST signed
 * by an AK held in node:crypto), so the verifier's throughput is measured without the swtpm round trip.
 */
import { constants, createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import {
  AttestationAuthority,
  encodeTpmsAttest,
  encodeTpmtPublic,
  encodeTpmtSignature,
  TPM_GENERATED_VALUE,
  TpmAlg,
  TpmaObject,
  TpmEccCurve,
  type TpmEvidence,
  TpmSt,
} from '@msys/attestation';

export type AkKind = 'rsa' | 'ecc';

const ATTRS =
  TpmaObject.fixedTPM |
  TpmaObject.fixedParent |
  TpmaObject.sensitiveDataOrigin |
  TpmaObject.userWithAuth |
  TpmaObject.restricted |
  TpmaObject.sign;

export const PCRS = {
  sha256: Object.fromEntries(
    [0, 1, 2, 3, 4, 5, 6, 7].map((i) => [i, createHash('sha256').update(`pcr${i}`).digest()]),
  ),
} as {
  sha256: Record<number, Uint8Array>;
};

export interface Fixture {
  readonly authority: AttestationAuthority;
  readonly evidence: readonly TpmEvidence[];
  readonly publicKey: KeyObject;
}

export function makeFixture(kind: AkKind, count = 64): Fixture {
  const { privateKey, publicKey } =
    kind === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const jwk = publicKey.export({ format: 'jwk' });
  const b = (s: unknown): Uint8Array => new Uint8Array(Buffer.from(String(s), 'base64url'));
  const akPublic = encodeTpmtPublic({
    typeAlg: kind === 'rsa' ? TpmAlg.RSA : TpmAlg.ECC,
    nameAlg: TpmAlg.SHA256,
    objectAttributes: ATTRS,
    authPolicy: new Uint8Array(),
    parameters:
      kind === 'rsa'
        ? {
            type: 'rsa',
            symmetric: { algorithm: TpmAlg.NULL, keyBits: 0, mode: 0 },
            scheme: { scheme: TpmAlg.RSASSA, hashAlg: TpmAlg.SHA256 },
            keyBits: 2048,
            exponent: 0,
            modulus: b(jwk.n),
          }
        : {
            type: 'ecc',
            symmetric: { algorithm: TpmAlg.NULL, keyBits: 0, mode: 0 },
            scheme: { scheme: TpmAlg.ECDSA, hashAlg: TpmAlg.SHA256 },
            curveId: TpmEccCurve.NIST_P256,
            kdf: { scheme: TpmAlg.NULL, hashAlg: 0 },
            x: b(jwk.x),
            y: b(jwk.y),
          },
  });
  const indices = Object.keys(PCRS.sha256).map(Number);
  const pcrDigest = createHash('sha256');
  for (const i of indices) pcrDigest.update(PCRS.sha256[i] as Uint8Array);
  const digest = new Uint8Array(pcrDigest.digest());
  const evidence: TpmEvidence[] = [];
  for (let n = 0; n < count; n++) {
    const nonce = new Uint8Array(createHash('sha256').update(`nonce${n}`).digest());
    const quote = encodeTpmsAttest({
      magic: TPM_GENERATED_VALUE,
      type: TpmSt.ATTEST_QUOTE,
      qualifiedSigner: new Uint8Array(34),
      extraData: nonce,
      clockInfo: { clock: BigInt(n), resetCount: 1, restartCount: 0, safe: true },
      firmwareVersion: 0x20240101n,
      attested: {
        kind: 'quote',
        pcrSelect: [{ hashAlg: TpmAlg.SHA256, hash: 'sha256', pcrs: indices, sizeofSelect: 3 }],
        pcrDigest: digest,
      },
    });
    let signature: Uint8Array;
    if (kind === 'rsa') {
      const s = sign('sha256', quote, { key: privateKey, padding: constants.RSA_PKCS1_PADDING });
      signature = encodeTpmtSignature({
        kind: 'rsassa',
        sigAlg: TpmAlg.RSASSA,
        hashAlg: TpmAlg.SHA256,
        signature: new Uint8Array(s),
      });
    } else {
      const rs = sign('sha256', quote, { key: privateKey, dsaEncoding: 'ieee-p1363' });
      signature = encodeTpmtSignature({
        kind: 'ecdsa',
        sigAlg: TpmAlg.ECDSA,
        hashAlg: TpmAlg.SHA256,
        r: new Uint8Array(rs.subarray(0, 32)),
        s: new Uint8Array(rs.subarray(32)),
      });
    }
    evidence.push({ kind: 'tpm', nonce, akPublic, quote, signature, pcrs: PCRS });
  }
  const authority = new AttestationAuthority({
    signingKey: new Uint8Array(32).fill(11),
    policies: {
      fleet: {
        referencePcrs: { sha256: { 0: PCRS.sha256[0] as Uint8Array, 7: PCRS.sha256[7] as Uint8Array } },
        minFirmwareVersion: 0x20230101n,
      },
    },
  });
  return { authority, evidence, publicKey };
}

/** One attestation: verify the quote signature, recompute the PCR digest, apply the policy, sign the result. */
export async function attestOnce(f: Fixture, i: number): Promise<void> {
  const e = f.evidence[i % f.evidence.length] as TpmEvidence;
  const r = await f.authority.appraise(e, 'fleet', { expectedNonce: e.nonce });
  if (r.status !== 'affirming')
    throw new Error(`benchmark evidence not affirmed: ${JSON.stringify(r.claims)}`);
}
