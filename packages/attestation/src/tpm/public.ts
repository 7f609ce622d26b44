import { createHash } from 'node:crypto';
import { errors } from '../errors.js';
import { algName, hashInfo, TpmAlg } from './constants.js';
import { TpmReader, TpmWriter } from './marshal.js';

/** TPMT_SYM_DEF_OBJECT (Part 2 §11.1.7): the symmetric algorithm of a storage key, or NULL. */
export interface TpmSymmetric {
  /** TPM_ALG_ID of the cipher (`TpmAlg.NULL` when none). */
  readonly algorithm: number;
  /** Key size in bits (0 when NULL). */
  readonly keyBits: number;
  /** TPM_ALG_ID of the mode (0 when NULL). */
  readonly mode: number;
}

/** A signing/encryption scheme with its hash (TPMT_RSA_SCHEME, TPMT_ECC_SCHEME, TPMT_KDF_SCHEME...). */
export interface TpmScheme {
  /** TPM_ALG_ID of the scheme (`TpmAlg.NULL` when none). */
  readonly scheme: number;
  /** TPM_ALG_ID of its hash (0 when the scheme has none). */
  readonly hashAlg: number;
  /** ECDAA commit count (0 otherwise). */
  readonly count?: number;
}

/** The RSA part of a TPMT_PUBLIC. */
export interface TpmRsaParameters {
  /** Discriminant. */
  readonly type: 'rsa';
  /** Symmetric algorithm (storage keys). */
  readonly symmetric: TpmSymmetric;
  /** Signing or decryption scheme. */
  readonly scheme: TpmScheme;
  /** Modulus size in bits. */
  readonly keyBits: number;
  /** Public exponent; 0 means 65537 (Part 2 §12.2.3.5). */
  readonly exponent: number;
  /** The modulus (TPM2B_PUBLIC_KEY_RSA). */
  readonly modulus: Uint8Array;
}

/** The ECC part of a TPMT_PUBLIC. */
export interface TpmEccParameters {
  /** Discriminant. */
  readonly type: 'ecc';
  /** Symmetric algorithm (storage keys). */
  readonly symmetric: TpmSymmetric;
  /** Signing or key-exchange scheme. */
  readonly scheme: TpmScheme;
  /** TPM_ECC_CURVE. */
  readonly curveId: number;
  /** Key derivation scheme. */
  readonly kdf: TpmScheme;
  /** The public point's x coordinate. */
  readonly x: Uint8Array;
  /** The public point's y coordinate. */
  readonly y: Uint8Array;
}

/** The keyed-hash or symmetric-cipher part of a TPMT_PUBLIC. */
export interface TpmSymmetricObjectParameters {
  /** Discriminant. */
  readonly type: 'keyedhash' | 'symcipher';
  /** The HMAC/XOR scheme or cipher definition. */
  readonly scheme: TpmScheme | TpmSymmetric;
  /** The unique field (TPM2B_DIGEST). */
  readonly unique: Uint8Array;
}

/** A parsed TPMT_PUBLIC (Part 2 §12.2.4). */
export interface TpmtPublic {
  /** TPM_ALG_ID of the object type. */
  readonly typeAlg: number;
  /** TPM_ALG_ID of the name hash. */
  readonly nameAlg: number;
  /** TPMA_OBJECT bits. */
  readonly objectAttributes: number;
  /** The authorization policy digest. */
  readonly authPolicy: Uint8Array;
  /** The type-specific parameters and unique value. */
  readonly parameters: TpmRsaParameters | TpmEccParameters | TpmSymmetricObjectParameters;
  /** The exact TPMT_PUBLIC bytes (the input of the object's Name). */
  readonly raw: Uint8Array;
}

function readSymmetric(r: TpmReader): TpmSymmetric {
  const algorithm = r.u16();
  if (algorithm === TpmAlg.NULL) return { algorithm, keyBits: 0, mode: 0 };
  if (algorithm === TpmAlg.XOR) return { algorithm, keyBits: r.u16(), mode: 0 };
  return { algorithm, keyBits: r.u16(), mode: r.u16() };
}

function readScheme(r: TpmReader): TpmScheme {
  const scheme = r.u16();
  if (scheme === TpmAlg.NULL) return { scheme, hashAlg: 0 };
  if (scheme === TpmAlg.RSAES) return { scheme, hashAlg: 0 };
  const hashAlg = r.u16();
  if (scheme === TpmAlg.ECDAA) return { scheme, hashAlg, count: r.u16() };
  if (scheme === TpmAlg.XOR) return { scheme, hashAlg, count: r.u16() };
  return { scheme, hashAlg };
}

/** @internal */
export function readTpmtPublic(r: TpmReader): TpmtPublic {
  const start = r.offset;
  const typeAlg = r.u16();
  const nameAlg = r.u16();
  const objectAttributes = r.u32();
  const authPolicy = r.tpm2b(64);
  let parameters: TpmtPublic['parameters'];
  if (typeAlg === TpmAlg.RSA) {
    const symmetric = readSymmetric(r);
    const scheme = readScheme(r);
    const keyBits = r.u16();
    const exponent = r.u32();
    const modulus = r.tpm2b(512);
    parameters = { type: 'rsa', symmetric, scheme, keyBits, exponent, modulus };
  } else if (typeAlg === TpmAlg.ECC) {
    const symmetric = readSymmetric(r);
    const scheme = readScheme(r);
    const curveId = r.u16();
    const kdf = readScheme(r);
    const x = r.tpm2b(128);
    const y = r.tpm2b(128);
    parameters = { type: 'ecc', symmetric, scheme, curveId, kdf, x, y };
  } else if (typeAlg === TpmAlg.KEYEDHASH) {
    parameters = { type: 'keyedhash', scheme: readScheme(r), unique: r.tpm2b(64) };
  } else if (typeAlg === TpmAlg.SYMCIPHER) {
    parameters = { type: 'symcipher', scheme: readSymmetric(r), unique: r.tpm2b(64) };
  } else {
    throw errors.MSYS_ATTESTATION_UNSUPPORTED_ALGORITHM({
      structure: 'TPMT_PUBLIC',
      algorithm: algName(typeAlg),
    });
  }
  return { typeAlg, nameAlg, objectAttributes, authPolicy, parameters, raw: r.bytes.slice(start, r.offset) };
}

/**
 * Parses a TPMT_PUBLIC, or a TPM2B_PUBLIC (a UINT16 size prefix equal to the remaining length).
 *
 * @param bytes - TPMT_PUBLIC or TPM2B_PUBLIC bytes
 * @returns the parsed public area
 * @throws SystemError `MSYS_ATTESTATION_TRUNCATED`, `MSYS_ATTESTATION_MALFORMED` or
 *   `MSYS_ATTESTATION_UNSUPPORTED_ALGORITHM` for bad input
 * @example
 * ```ts
 * const pub = parseTpmtPublic(await tpm.readPublic(handle).then((p) => p.public.raw));
 * console.log(pub.parameters.type); // 'rsa' | 'ecc'
 * ```
 */
export function parseTpmtPublic(bytes: Uint8Array): TpmtPublic {
  if (!(bytes instanceof Uint8Array)) {
    throw errors.MSYS_ATTESTATION_INVALID_ARGUMENT({
      path: 'bytes',
      expected: 'a Uint8Array',
      received: typeof bytes,
    });
  }
  let start = 0;
  if (bytes.length >= 2 && ((bytes[0] ?? 0) << 8) + (bytes[1] ?? 0) === bytes.length - 2) start = 2;
  const r = new TpmReader(bytes, 'TPMT_PUBLIC', start);
  const pub = readTpmtPublic(r);
  r.end();
  return pub;
}

/** @internal */
export function writeTpmtPublic(w: TpmWriter, p: Omit<TpmtPublic, 'raw'>): void {
  w.u16(p.typeAlg).u16(p.nameAlg).u32(p.objectAttributes).tpm2b(p.authPolicy);
  const writeSym = (s: TpmSymmetric): void => {
    w.u16(s.algorithm);
    if (s.algorithm !== TpmAlg.NULL) w.u16(s.keyBits).u16(s.mode);
  };
  const writeScheme = (s: TpmScheme): void => {
    w.u16(s.scheme);
    if (s.scheme !== TpmAlg.NULL && s.scheme !== TpmAlg.RSAES) w.u16(s.hashAlg);
    if (s.count !== undefined) w.u16(s.count);
  };
  const params = p.parameters;
  if (params.type === 'rsa') {
    writeSym(params.symmetric);
    writeScheme(params.scheme);
    w.u16(params.keyBits).u32(params.exponent).tpm2b(params.modulus);
  } else if (params.type === 'ecc') {
    writeSym(params.symmetric);
    writeScheme(params.scheme);
    w.u16(params.curveId);
    writeScheme(params.kdf);
    w.tpm2b(params.x).tpm2b(params.y);
  } else {
    throw errors.MSYS_ATTESTATION_UNSUPPORTED_ALGORITHM({
      structure: 'TPMT_PUBLIC template',
      algorithm: params.type,
    });
  }
}

/**
 * Serializes a public area to TPMT_PUBLIC bytes (the inverse of {@link parseTpmtPublic}); `raw` is ignored.
 *
 * @param p - the public area
 * @returns TPMT_PUBLIC bytes
 * @throws SystemError `MSYS_ATTESTATION_UNSUPPORTED_ALGORITHM` for keyed-hash and symmetric objects
 */
export function encodeTpmtPublic(p: Omit<TpmtPublic, 'raw'>): Uint8Array {
  const w = new TpmWriter();
  writeTpmtPublic(w, p);
  return w.finish();
}

/**
 * The TPM Name of an object: nameAlg ‖ H_nameAlg(TPMT_PUBLIC) (Part 1 §16).
 *
 * @param pub - the parsed public area
 * @returns the Name bytes
 * @throws SystemError `MSYS_ATTESTATION_UNSUPPORTED_ALGORITHM` when the name hash is unknown
 */
export function objectName(pub: TpmtPublic): Uint8Array {
  const info = hashInfo(pub.nameAlg);
  if (info === undefined || info.name === 'sm3_256') {
    throw errors.MSYS_ATTESTATION_UNSUPPORTED_ALGORITHM({
      structure: 'TPMT_PUBLIC.nameAlg',
      algorithm: algName(pub.nameAlg),
    });
  }
  const digest = createHash(info.name).update(pub.raw).digest();
  const out = new Uint8Array(2 + digest.length);
  out[0] = pub.nameAlg >> 8;
  out[1] = pub.nameAlg & 0xff;
  out.set(digest, 2);
  return out;
}
