/**
 * The portable engine on `@noble/curves`, `@noble/ciphers` and `@noble/hashes`: audited pure JavaScript that runs
 * wherever `crypto.getRandomValues` exists.
 *
 * @module
 */
import { gcm } from '@noble/ciphers/aes.js';
import { equalBytes } from '@noble/ciphers/utils.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { CryptoEngine } from './engine.js';
import type { KeyPair } from './types.js';

/** Web Crypto's getRandomValues refuses more than 65 536 bytes per call (W3C Web Crypto §10.1.1). */
const RANDOM_CHUNK = 65_536;

/**
 * noble accepts ZIP-215 encodings by default (lenient decoding made for consensus systems); RFC 8032 §5.1.3
 * requires canonical `y` and rejects `x = 0` with the sign bit set, which Wycheproof's ed25519 tc 151 checks.
 * `zip215: false` also rejects small-order public keys, matching the check in `ed25519-policy.ts`.
 */
const STRICT = { zip215: false } as const;

function fill(out: Uint8Array): Uint8Array {
  for (let at = 0; at < out.length; at += RANDOM_CHUNK) {
    globalThis.crypto.getRandomValues(out.subarray(at, Math.min(out.length, at + RANDOM_CHUNK)));
  }
  return out;
}

/**
 * The `@noble` engine.
 *
 * @internal
 */
export const nobleEngine: CryptoEngine = {
  name: 'noble',

  ed25519Generate(): KeyPair {
    const secretKey = fill(new Uint8Array(32));
    return { publicKey: ed25519.getPublicKey(secretKey), secretKey };
  },

  ed25519PublicKey(seed: Uint8Array): Uint8Array {
    return ed25519.getPublicKey(seed);
  },

  ed25519Sign(message: Uint8Array, seed: Uint8Array): Uint8Array {
    return ed25519.sign(message, seed);
  },

  ed25519Verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
    try {
      return ed25519.verify(signature, message, publicKey, STRICT);
    } catch {
      return false;
    }
  },

  sha256(data: Uint8Array): Uint8Array {
    return sha256(data);
  },

  gcmEncrypt(key, nonce, plaintext, aad, prefix): Uint8Array {
    const sealed = gcm(key, nonce, aad).encrypt(plaintext);
    if (prefix === 0) return sealed;
    const out = new Uint8Array(prefix + sealed.length);
    out.set(sealed, prefix);
    return out;
  },

  gcmDecrypt(key, nonce, ciphertextWithTag, aad): Uint8Array | undefined {
    try {
      // noble checks the tag before it decrypts, so a failure has produced no plaintext.
      return gcm(key, nonce, aad).decrypt(ciphertextWithTag);
    } catch {
      return undefined;
    }
  },

  randomFill: fill,

  equal(a: Uint8Array, b: Uint8Array): boolean {
    return equalBytes(a, b);
  },
};
