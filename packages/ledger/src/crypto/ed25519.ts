import { getPublicKey, sign, verify } from '@msys/core/crypto';

/*
 * Ed25519 through @msys/core/crypto (node:crypto backend, KeyObjects cached per key). The ledger's own
 * wrappers only add the guarantee its verifiers promise: any malformed input is a `false`, never a throw.
 */

/**
 * Signs `message` with a 32-byte Ed25519 seed.
 *
 * @internal
 */
export function ed25519Sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
  return sign(message, secretKey);
}

/**
 * Verifies an Ed25519 signature; false (never a throw) for any malformed signature, key or message.
 *
 * @internal
 */
export function ed25519Verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (!(signature instanceof Uint8Array) || signature.length !== 64) return false;
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) return false;
  if (!(message instanceof Uint8Array)) return false;
  try {
    return verify(signature, message, publicKey);
  } catch {
    return false;
  }
}

/**
 * Derives the 32-byte public key of a 32-byte seed.
 *
 * @internal
 */
export function ed25519PublicKey(secretKey: Uint8Array): Uint8Array {
  return getPublicKey(secretKey);
}
