import { errors } from '../errors.js';
import { algName, TpmAlg } from './constants.js';
import { TpmReader, TpmWriter } from './marshal.js';

/** A parsed TPMT_SIGNATURE (Part 2 §11.3.4). */
export type TpmtSignature =
  | {
      /** RSASSA-PKCS1-v1_5 or RSASSA-PSS. */
      readonly kind: 'rsassa' | 'rsapss';
      /** TPM_ALG_ID of the signature scheme. */
      readonly sigAlg: number;
      /** TPM_ALG_ID of the hash signed. */
      readonly hashAlg: number;
      /** The RSA signature. */
      readonly signature: Uint8Array;
    }
  | {
      /** ECDSA (or a related ECC scheme). */
      readonly kind: 'ecdsa' | 'ecdaa' | 'sm2' | 'ecschnorr';
      /** TPM_ALG_ID of the signature scheme. */
      readonly sigAlg: number;
      /** TPM_ALG_ID of the hash signed. */
      readonly hashAlg: number;
      /** The r component, big-endian. */
      readonly r: Uint8Array;
      /** The s component, big-endian. */
      readonly s: Uint8Array;
    }
  | {
      /** An HMAC "signature". */
      readonly kind: 'hmac';
      /** TPM_ALG_ID of the signature scheme. */
      readonly sigAlg: number;
      /** TPM_ALG_ID of the HMAC hash. */
      readonly hashAlg: number;
      /** The HMAC value. */
      readonly digest: Uint8Array;
    }
  | {
      /** No signature (TPM_ALG_NULL). */
      readonly kind: 'null';
      /** Always `TpmAlg.NULL`. */
      readonly sigAlg: number;
      /** Always 0. */
      readonly hashAlg: number;
    };

const ECC_KINDS: Record<number, 'ecdsa' | 'ecdaa' | 'sm2' | 'ecschnorr'> = {
  [TpmAlg.ECDSA]: 'ecdsa',
  [TpmAlg.ECDAA]: 'ecdaa',
  [TpmAlg.SM2]: 'sm2',
  [TpmAlg.ECSCHNORR]: 'ecschnorr',
};

/** @internal */
export function readTpmtSignature(r: TpmReader): TpmtSignature {
  const sigAlg = r.u16();
  if (sigAlg === TpmAlg.NULL) return { kind: 'null', sigAlg, hashAlg: 0 };
  if (sigAlg === TpmAlg.RSASSA || sigAlg === TpmAlg.RSAPSS) {
    const hashAlg = r.u16();
    return { kind: sigAlg === TpmAlg.RSASSA ? 'rsassa' : 'rsapss', sigAlg, hashAlg, signature: r.tpm2b(512) };
  }
  const ecc = ECC_KINDS[sigAlg];
  if (ecc !== undefined) {
    const hashAlg = r.u16();
    const rr = r.tpm2b(128);
    const s = r.tpm2b(128);
    return { kind: ecc, sigAlg, hashAlg, r: rr, s };
  }
  if (sigAlg === TpmAlg.HMAC) {
    const hashAlg = r.u16();
    const size = { [TpmAlg.SHA1]: 20, [TpmAlg.SHA256]: 32, [TpmAlg.SHA384]: 48, [TpmAlg.SHA512]: 64 }[
      hashAlg
    ];
    if (size === undefined) {
      throw errors.MSYS_ATTESTATION_UNSUPPORTED_ALGORITHM({
        structure: 'TPMT_HA',
        algorithm: algName(hashAlg),
      });
    }
    return { kind: 'hmac', sigAlg, hashAlg, digest: r.take(size) };
  }
  throw errors.MSYS_ATTESTATION_UNSUPPORTED_ALGORITHM({
    structure: 'TPMT_SIGNATURE',
    algorithm: algName(sigAlg),
  });
}

/**
 * Parses a TPMT_SIGNATURE.
 *
 * @param bytes - TPMT_SIGNATURE bytes, exactly
 * @returns the parsed signature
 * @throws SystemError `MSYS_ATTESTATION_TRUNCATED`, `MSYS_ATTESTATION_MALFORMED` or
 *   `MSYS_ATTESTATION_UNSUPPORTED_ALGORITHM` for bad input
 */
export function parseTpmtSignature(bytes: Uint8Array): TpmtSignature {
  if (!(bytes instanceof Uint8Array)) {
    throw errors.MSYS_ATTESTATION_INVALID_ARGUMENT({
      path: 'bytes',
      expected: 'a Uint8Array',
      received: typeof bytes,
    });
  }
  const r = new TpmReader(bytes, 'TPMT_SIGNATURE');
  const sig = readTpmtSignature(r);
  r.end();
  return sig;
}

/**
 * Serializes a TPMT_SIGNATURE (the inverse of {@link parseTpmtSignature}).
 *
 * @param sig - the signature
 * @returns TPMT_SIGNATURE bytes
 */
export function encodeTpmtSignature(sig: TpmtSignature): Uint8Array {
  const w = new TpmWriter();
  w.u16(sig.sigAlg);
  if (sig.kind === 'rsassa' || sig.kind === 'rsapss') w.u16(sig.hashAlg).tpm2b(sig.signature);
  else if (sig.kind === 'hmac') w.u16(sig.hashAlg).bytes(sig.digest);
  else if ('r' in sig) w.u16(sig.hashAlg).tpm2b(sig.r).tpm2b(sig.s);
  return w.finish();
}
