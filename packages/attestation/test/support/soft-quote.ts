/**
 * A software model of the TPM's quote format for unit tests: it signs TPMS_ATTEST bytes with node:crypto keys
 * exactly as TPM2_Quote does (Part 3 §18.4), so the verifier can be exercised without a TPM.
 */
import { constants, createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import {
  encodeTpmsAttest,
  encodeTpmtPublic,
  encodeTpmtSignature,
  type HashAlgorithmName,
  TPM_GENERATED_VALUE,
  TpmAlg,
  TpmaObject,
  TpmEccCurve,
  TpmSt,
} from '../../src/index.js';

export type SoftKind = 'rsassa' | 'rsapss' | 'ecdsa-p256' | 'ecdsa-p384';

export interface SoftAk {
  readonly kind: SoftKind;
  readonly privateKey: KeyObject;
  readonly publicArea: Uint8Array;
}

const AK_ATTRS =
  TpmaObject.fixedTPM |
  TpmaObject.fixedParent |
  TpmaObject.sensitiveDataOrigin |
  TpmaObject.userWithAuth |
  TpmaObject.restricted |
  TpmaObject.sign;

export function softAk(kind: SoftKind, attrs = AK_ATTRS): SoftAk {
  if (kind === 'rsassa' || kind === 'rsapss') {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = publicKey.export({ format: 'jwk' });
    const publicArea = encodeTpmtPublic({
      typeAlg: TpmAlg.RSA,
      nameAlg: TpmAlg.SHA256,
      objectAttributes: attrs,
      authPolicy: new Uint8Array(),
      parameters: {
        type: 'rsa',
        symmetric: { algorithm: TpmAlg.NULL, keyBits: 0, mode: 0 },
        scheme: { scheme: kind === 'rsassa' ? TpmAlg.RSASSA : TpmAlg.RSAPSS, hashAlg: TpmAlg.SHA256 },
        keyBits: 2048,
        exponent: 0,
        modulus: new Uint8Array(Buffer.from(String(jwk.n), 'base64url')),
      },
    });
    return { kind, privateKey, publicArea };
  }
  const p384 = kind === 'ecdsa-p384';
  const { privateKey, publicKey } = generateKeyPairSync('ec', {
    namedCurve: p384 ? 'secp384r1' : 'prime256v1',
  });
  const jwk = publicKey.export({ format: 'jwk' });
  const publicArea = encodeTpmtPublic({
    typeAlg: TpmAlg.ECC,
    nameAlg: TpmAlg.SHA256,
    objectAttributes: attrs,
    authPolicy: new Uint8Array(),
    parameters: {
      type: 'ecc',
      symmetric: { algorithm: TpmAlg.NULL, keyBits: 0, mode: 0 },
      scheme: { scheme: TpmAlg.ECDSA, hashAlg: p384 ? TpmAlg.SHA384 : TpmAlg.SHA256 },
      curveId: p384 ? TpmEccCurve.NIST_P384 : TpmEccCurve.NIST_P256,
      kdf: { scheme: TpmAlg.NULL, hashAlg: 0 },
      x: new Uint8Array(Buffer.from(String(jwk.x), 'base64url')),
      y: new Uint8Array(Buffer.from(String(jwk.y), 'base64url')),
    },
  });
  return { kind, privateKey, publicArea };
}

export interface SoftQuoteOptions {
  readonly nonce: Uint8Array;
  readonly pcrs: { readonly [K in HashAlgorithmName]?: Record<number, Uint8Array> };
  readonly magic?: number;
  readonly type?: number;
  readonly firmwareVersion?: bigint;
}

export function softQuote(ak: SoftAk, o: SoftQuoteOptions): { quote: Uint8Array; signature: Uint8Array } {
  const hash = ak.kind === 'ecdsa-p384' ? 'sha384' : 'sha256';
  const hashAlg = hash === 'sha384' ? TpmAlg.SHA384 : TpmAlg.SHA256;
  const h = createHash(hash);
  const pcrSelect = [];
  for (const [bank, values] of Object.entries(o.pcrs)) {
    const indices = Object.keys(values ?? {})
      .map(Number)
      .sort((a, b) => a - b);
    for (const i of indices) h.update(values?.[i] ?? new Uint8Array());
    const alg = { sha1: TpmAlg.SHA1, sha256: TpmAlg.SHA256, sha384: TpmAlg.SHA384, sha512: TpmAlg.SHA512 }[
      bank as 'sha1'
    ];
    pcrSelect.push({ hashAlg: alg, hash: bank as HashAlgorithmName, pcrs: indices, sizeofSelect: 3 });
  }
  const quote = encodeTpmsAttest({
    magic: o.magic ?? TPM_GENERATED_VALUE,
    type: o.type ?? TpmSt.ATTEST_QUOTE,
    qualifiedSigner: new Uint8Array(34),
    extraData: o.nonce,
    clockInfo: { clock: 1000n, resetCount: 1, restartCount: 0, safe: true },
    firmwareVersion: o.firmwareVersion ?? 0x2000300000000n,
    attested: { kind: 'quote', pcrSelect, pcrDigest: new Uint8Array(h.digest()) },
  });
  let signature: Uint8Array;
  if (ak.kind === 'rsassa' || ak.kind === 'rsapss') {
    const sig = sign('sha256', quote, {
      key: ak.privateKey,
      padding: ak.kind === 'rsassa' ? constants.RSA_PKCS1_PADDING : constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 32,
    });
    signature = encodeTpmtSignature({
      kind: ak.kind,
      sigAlg: ak.kind === 'rsassa' ? TpmAlg.RSASSA : TpmAlg.RSAPSS,
      hashAlg,
      signature: new Uint8Array(sig),
    });
  } else {
    const size = hash === 'sha384' ? 48 : 32;
    const rs = sign(hash, quote, { key: ak.privateKey, dsaEncoding: 'ieee-p1363' });
    signature = encodeTpmtSignature({
      kind: 'ecdsa',
      sigAlg: TpmAlg.ECDSA,
      hashAlg,
      r: new Uint8Array(rs.subarray(0, size)),
      s: new Uint8Array(rs.subarray(size)),
    });
  }
  return { quote, signature };
}
