/**
 * The raw primitives a backend supplies. Arguments arrive already checked by `api.ts` (types, sizes, the
 * Ed25519 public-key policy), so an engine only computes.
 *
 * @module
 */
import type { CryptoBackendName, KeyPair } from './types.js';

/**
 * One implementation of the primitives.
 *
 * @internal
 */
export interface CryptoEngine {
  /** Which implementation this is. */
  readonly name: CryptoBackendName;
  /** A fresh key pair. */
  ed25519Generate(): KeyPair;
  /** The public key of a 32-byte seed. */
  ed25519PublicKey(seed: Uint8Array): Uint8Array;
  /** The 64-byte signature of `message`. */
  ed25519Sign(message: Uint8Array, seed: Uint8Array): Uint8Array;
  /** Strict verification of a 64-byte signature under a 32-byte public key; never throws. */
  ed25519Verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  /** SHA-256 digest. */
  sha256(data: Uint8Array): Uint8Array;
  /**
   * AES-256-GCM encryption of `plaintext`; the result has `prefix` unwritten leading bytes (room for a
   * nonce), then the ciphertext and the 16-byte tag.
   */
  gcmEncrypt(
    key: Uint8Array,
    nonce: Uint8Array,
    plaintext: Uint8Array,
    aad: Uint8Array | undefined,
    prefix: number,
  ): Uint8Array;
  /** AES-256-GCM decryption; `undefined` when the tag does not match (no plaintext escapes). */
  gcmDecrypt(
    key: Uint8Array,
    nonce: Uint8Array,
    ciphertextWithTag: Uint8Array,
    aad: Uint8Array | undefined,
  ): Uint8Array | undefined;
  /** Fills `out` from the CSPRNG and returns it. */
  randomFill(out: Uint8Array): Uint8Array;
  /** Constant-time equality of two arrays of the same length. */
  equal(a: Uint8Array, b: Uint8Array): boolean;
}
