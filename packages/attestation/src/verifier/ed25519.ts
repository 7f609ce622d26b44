import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { invalidArgument } from '../errors.js';

// RFC 8410 §7 / §10.3: fixed DER prefixes around a raw Ed25519 seed or public key.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** An Ed25519 private key from a 32-byte seed (the @msys/core/crypto convention) or a KeyObject. @internal */
export function ed25519PrivateKey(key: Uint8Array | KeyObject, path: string): KeyObject {
  if (key instanceof Uint8Array) {
    if (key.length !== 32) throw invalidArgument(path, 'a 32-byte Ed25519 seed or a KeyObject', key);
    return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, key]), format: 'der', type: 'pkcs8' });
  }
  if (
    typeof key === 'object' &&
    key !== null &&
    (key as KeyObject).type === 'private' &&
    (key as KeyObject).asymmetricKeyType === 'ed25519'
  ) {
    return key;
  }
  throw invalidArgument(path, 'a 32-byte Ed25519 seed or an Ed25519 private KeyObject', key);
}

/** An Ed25519 public key from 32 raw bytes or a KeyObject. @internal */
export function ed25519PublicKey(key: Uint8Array | KeyObject, path: string): KeyObject {
  if (key instanceof Uint8Array) {
    if (key.length !== 32) throw invalidArgument(path, 'a 32-byte Ed25519 public key or a KeyObject', key);
    return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, key]), format: 'der', type: 'spki' });
  }
  if (typeof key === 'object' && key !== null && (key as KeyObject).asymmetricKeyType === 'ed25519') {
    return (key as KeyObject).type === 'private' ? createPublicKey(key) : key;
  }
  throw invalidArgument(path, 'a 32-byte Ed25519 public key or an Ed25519 KeyObject', key);
}

/** The raw 32 bytes of an Ed25519 public key. @internal */
export function rawEd25519(key: KeyObject): Uint8Array {
  return new Uint8Array(key.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length));
}
