import { TpmAlg, TpmaObject, TpmEccCurve } from './constants.js';
import { encodeTpmtPublic } from './public.js';

/**
 * The authPolicy of the TCG default EK templates: PolicySecret(TPM_RH_ENDORSEMENT) under SHA-256
 * (TCG EK Credential Profile 2.0, §B.3.3 "Policy A").
 */
export const EK_POLICY_SHA256 = new Uint8Array(
  Buffer.from('837197674484b3f81a90cc8d46a5d724fd52d76e06520b64f2a1da1b331469aa', 'hex'),
);

const EK_ATTRS =
  TpmaObject.fixedTPM |
  TpmaObject.fixedParent |
  TpmaObject.sensitiveDataOrigin |
  TpmaObject.adminWithPolicy |
  TpmaObject.restricted |
  TpmaObject.decrypt;

const AK_ATTRS =
  TpmaObject.fixedTPM |
  TpmaObject.fixedParent |
  TpmaObject.sensitiveDataOrigin |
  TpmaObject.userWithAuth |
  TpmaObject.restricted |
  TpmaObject.sign;

const AES128_CFB = { algorithm: TpmAlg.AES, keyBits: 128, mode: TpmAlg.CFB };
const NULL_SYM = { algorithm: TpmAlg.NULL, keyBits: 0, mode: 0 };
const NULL_SCHEME = { scheme: TpmAlg.NULL, hashAlg: 0 };

/**
 * The TCG default EK template: L-1 (RSA-2048, AES-128-CFB, 256 zero bytes of unique) or L-2 (ECC NIST P-256,
 * 32+32 zero bytes of unique) from the TCG EK Credential Profile 2.0 §B.3.3–B.3.4. Every TPM derives the same EK
 * from the same template, which is what lets a CA certify it once.
 *
 * @param kind - `rsa` or `ecc`
 * @returns TPMT_PUBLIC bytes for TPM2_CreatePrimary
 */
export function ekTemplate(kind: 'rsa' | 'ecc'): Uint8Array {
  const common = { nameAlg: TpmAlg.SHA256, objectAttributes: EK_ATTRS, authPolicy: EK_POLICY_SHA256 };
  if (kind === 'rsa') {
    return encodeTpmtPublic({
      typeAlg: TpmAlg.RSA,
      ...common,
      parameters: {
        type: 'rsa',
        symmetric: AES128_CFB,
        scheme: NULL_SCHEME,
        keyBits: 2048,
        exponent: 0,
        modulus: new Uint8Array(256),
      },
    });
  }
  return encodeTpmtPublic({
    typeAlg: TpmAlg.ECC,
    ...common,
    parameters: {
      type: 'ecc',
      symmetric: AES128_CFB,
      scheme: NULL_SCHEME,
      curveId: TpmEccCurve.NIST_P256,
      kdf: NULL_SCHEME,
      x: new Uint8Array(32),
      y: new Uint8Array(32),
    },
  });
}

/**
 * An attestation key template: a restricted signing key (it signs only TPM-generated structures, so a quote
 * cannot be forged with it), RSA-2048 RSASSA-SHA256 or ECC P-256 ECDSA-SHA256, authorized by an empty password.
 *
 * @param kind - `rsa` or `ecc`
 * @returns TPMT_PUBLIC bytes for TPM2_Create or TPM2_CreatePrimary
 */
export function akTemplate(kind: 'rsa' | 'ecc'): Uint8Array {
  const common = { nameAlg: TpmAlg.SHA256, objectAttributes: AK_ATTRS, authPolicy: new Uint8Array() };
  if (kind === 'rsa') {
    return encodeTpmtPublic({
      typeAlg: TpmAlg.RSA,
      ...common,
      parameters: {
        type: 'rsa',
        symmetric: NULL_SYM,
        scheme: { scheme: TpmAlg.RSASSA, hashAlg: TpmAlg.SHA256 },
        keyBits: 2048,
        exponent: 0,
        modulus: new Uint8Array(),
      },
    });
  }
  return encodeTpmtPublic({
    typeAlg: TpmAlg.ECC,
    ...common,
    parameters: {
      type: 'ecc',
      symmetric: NULL_SYM,
      scheme: { scheme: TpmAlg.ECDSA, hashAlg: TpmAlg.SHA256 },
      curveId: TpmEccCurve.NIST_P256,
      kdf: NULL_SCHEME,
      x: new Uint8Array(),
      y: new Uint8Array(),
    },
  });
}
