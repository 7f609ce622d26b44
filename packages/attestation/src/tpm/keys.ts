import { createPublicKey, type KeyObject } from 'node:crypto';
import { errors } from '../errors.js';
import { TpmEccCurve } from './constants.js';
import type { TpmtPublic } from './public.js';

const CURVES: Record<number, { readonly crv: string; readonly size: number; readonly nodeName: string }> = {
  [TpmEccCurve.NIST_P256]: { crv: 'P-256', size: 32, nodeName: 'prime256v1' },
  [TpmEccCurve.NIST_P384]: { crv: 'P-384', size: 48, nodeName: 'secp384r1' },
  [TpmEccCurve.NIST_P521]: { crv: 'P-521', size: 66, nodeName: 'secp521r1' },
};

/** @internal */
export function curveInfo(curveId: number): {
  readonly crv: string;
  readonly size: number;
  readonly nodeName: string;
} {
  const c = CURVES[curveId];
  if (c === undefined) {
    throw errors.MSYS_ATTESTATION_UNSUPPORTED_ALGORITHM({
      structure: 'TPMS_ECC_PARMS.curveID',
      algorithm: `TPM_ECC_CURVE(0x${curveId.toString(16)})`,
    });
  }
  return c;
}

/** Left-pads a big-endian integer to `size` bytes (TPMs may strip leading zeros). @internal */
export function padStart(bytes: Uint8Array, size: number): Uint8Array {
  if (bytes.length === size) return bytes;
  if (bytes.length > size) {
    let i = 0;
    while (i < bytes.length - size && bytes[i] === 0) i++;
    if (bytes.length - i !== size) {
      throw errors.MSYS_ATTESTATION_MALFORMED({
        structure: 'ECC coordinate',
        reason: `longer than ${size} bytes`,
      });
    }
    return bytes.slice(i);
  }
  const out = new Uint8Array(size);
  out.set(bytes, size - bytes.length);
  return out;
}

const b64u = (b: Uint8Array): string => Buffer.from(b).toString('base64url');

/**
 * Converts a TPM public area (RSA or ECC) into a node:crypto public key.
 *
 * @param pub - the parsed TPMT_PUBLIC
 * @returns the public key
 * @throws SystemError `MSYS_ATTESTATION_UNSUPPORTED_ALGORITHM` for other key types or curves,
 *   `MSYS_ATTESTATION_MALFORMED` when the key material is invalid
 */
export function tpmPublicToKeyObject(pub: TpmtPublic): KeyObject {
  const p = pub.parameters;
  try {
    if (p.type === 'rsa') {
      if (p.modulus.length === 0 || p.modulus.length * 8 !== p.keyBits) {
        throw errors.MSYS_ATTESTATION_MALFORMED({
          structure: 'TPMT_PUBLIC',
          reason: `RSA modulus of ${p.modulus.length} byte(s) does not match keyBits ${p.keyBits}`,
        });
      }
      const e = p.exponent === 0 ? 65537 : p.exponent;
      const eb = Buffer.alloc(4);
      eb.writeUInt32BE(e);
      let i = 0;
      while (i < 3 && eb[i] === 0) i++;
      return createPublicKey({
        key: { kty: 'RSA', n: b64u(p.modulus), e: b64u(eb.subarray(i)) },
        format: 'jwk',
      });
    }
    if (p.type === 'ecc') {
      const c = curveInfo(p.curveId);
      return createPublicKey({
        key: { kty: 'EC', crv: c.crv, x: b64u(padStart(p.x, c.size)), y: b64u(padStart(p.y, c.size)) },
        format: 'jwk',
      });
    }
  } catch (e) {
    if (e instanceof Error && 'code' in e && String((e as { code: unknown }).code).startsWith('MSYS_'))
      throw e;
    throw errors.MSYS_ATTESTATION_MALFORMED(
      { structure: 'TPMT_PUBLIC', reason: 'invalid public key material' },
      { cause: e },
    );
  }
  throw errors.MSYS_ATTESTATION_UNSUPPORTED_ALGORITHM({ structure: 'TPMT_PUBLIC', algorithm: p.type });
}
