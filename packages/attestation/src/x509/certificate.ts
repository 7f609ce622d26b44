import 'reflect-metadata';
import { createPublicKey, type KeyObject, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { errors } from '../errors.js';

/** The WebCrypto implementation handed to @peculiar/x509 explicitly, so no global provider is patched. @internal */
export const crypto = webcrypto as unknown as webcrypto.Crypto;

type CryptoKey = webcrypto.CryptoKey;
type Algorithm = webcrypto.Algorithm;
type EcdsaParams = webcrypto.EcdsaParams;

/** A certificate as PEM text, DER bytes or a parsed @peculiar/x509 object. */
export type CertificateInput = string | Uint8Array | x509.X509Certificate;

/**
 * Parses a certificate from PEM or DER.
 *
 * @param input - PEM text, DER bytes, or an already parsed certificate
 * @returns the parsed certificate
 * @throws SystemError `MSYS_ATTESTATION_CERTIFICATE` when the input is not a certificate
 */
export function loadCertificate(input: CertificateInput): x509.X509Certificate {
  if (input instanceof x509.X509Certificate) return input;
  try {
    if (typeof input === 'string') return new x509.X509Certificate(input);
    if (input instanceof Uint8Array) return new x509.X509Certificate(new Uint8Array(input));
  } catch (e) {
    throw errors.MSYS_ATTESTATION_CERTIFICATE(
      { reason: `not a certificate (${(e as Error).message})` },
      { cause: e },
    );
  }
  throw errors.MSYS_ATTESTATION_CERTIFICATE({ reason: 'expected PEM text, DER bytes or an X509Certificate' });
}

/** Extended key usage names accepted wherever EKUs are given (RFC 5280 §4.2.1.12). */
export const EKU_OIDS: Readonly<Record<string, string>> = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  OCSPSigning: '1.3.6.1.5.5.7.3.9',
  // TCG EK Credential Profile §3.2.15 / TCG AK certificates: tcg-kp-AIKCertificate.
  tcgAikCertificate: '2.23.133.8.3',
  anyExtendedKeyUsage: '2.5.29.37.0',
};

/** An EKU name or dotted OID → the OID. @internal */
export function ekuOid(nameOrOid: string): string {
  return EKU_OIDS[nameOrOid] ?? nameOrOid;
}

const CURVES: Record<string, { curve: string; hash: string }> = {
  prime256v1: { curve: 'P-256', hash: 'SHA-256' },
  secp384r1: { curve: 'P-384', hash: 'SHA-384' },
  secp521r1: { curve: 'P-521', hash: 'SHA-512' },
};

/** A private key for signing certificates: a node KeyObject (EC, RSA, Ed25519) or a WebCrypto CryptoKey. */
export type SigningKeyInput = KeyObject | webcrypto.CryptoKey;

/** Converts a signing key to a WebCrypto key and the matching signature algorithm. @internal */
export async function toSigningKey(
  key: SigningKeyInput,
): Promise<{ key: CryptoKey; algorithm: Algorithm | EcdsaParams }> {
  if (isCryptoKey(key)) {
    const alg = key.algorithm as { name: string; namedCurve?: string };
    if (alg.name === 'ECDSA') {
      return {
        key,
        algorithm: { name: 'ECDSA', hash: alg.namedCurve === 'P-384' ? 'SHA-384' : 'SHA-256' } as EcdsaParams,
      };
    }
    return { key, algorithm: { name: alg.name } };
  }
  const k = key as KeyObject;
  if (k.type !== 'private')
    throw errors.MSYS_ATTESTATION_CERTIFICATE({ reason: 'the signing key must be a private key' });
  const der = k.export({ format: 'der', type: 'pkcs8' });
  if (k.asymmetricKeyType === 'ec') {
    const c = CURVES[String(k.asymmetricKeyDetails?.namedCurve)];
    if (c === undefined)
      throw errors.MSYS_ATTESTATION_CERTIFICATE({ reason: 'unsupported EC curve for signing' });
    const ck = await webcrypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve: c.curve }, false, [
      'sign',
    ]);
    return { key: ck as unknown as CryptoKey, algorithm: { name: 'ECDSA', hash: c.hash } as EcdsaParams };
  }
  if (k.asymmetricKeyType === 'rsa') {
    const ck = await webcrypto.subtle.importKey(
      'pkcs8',
      der,
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    return { key: ck as unknown as CryptoKey, algorithm: { name: 'RSASSA-PKCS1-v1_5' } };
  }
  if (k.asymmetricKeyType === 'ed25519') {
    const ck = await webcrypto.subtle.importKey('pkcs8', der, { name: 'Ed25519' }, false, ['sign']);
    return { key: ck as unknown as CryptoKey, algorithm: { name: 'Ed25519' } };
  }
  throw errors.MSYS_ATTESTATION_CERTIFICATE({
    reason: `unsupported signing key type ${String(k.asymmetricKeyType)}`,
  });
}

/** WebCrypto keys carry `algorithm` and `usages`; node KeyObjects do not (Node 20 has no CryptoKey export). */
function isCryptoKey(key: unknown): key is CryptoKey {
  return typeof key === 'object' && key !== null && 'algorithm' in key && 'usages' in key;
}

/** A public key's SubjectPublicKeyInfo DER. @internal */
export async function spkiOf(key: KeyObject | CryptoKey): Promise<Uint8Array> {
  if (isCryptoKey(key)) return new Uint8Array(await webcrypto.subtle.exportKey('spki', key));
  const k = key as KeyObject;
  const pub = k.type === 'public' ? k : createPublicKey(k);
  return new Uint8Array(pub.export({ format: 'der', type: 'spki' }));
}

export { x509 };
