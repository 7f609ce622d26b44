/**
 * The one API over both engines: every argument is checked here, once, so both backends accept and reject
 * exactly the same inputs with the same error codes.
 *
 * @module
 */
import { describeValue } from '../errors/index.js';
import { nobleEngine } from './backend-noble.js';
import { nodeEngine } from './backend-node.js';
import { blake3 } from './blake3.js';
import { fromBase64url, fromHex, toBase64url, toHex } from './codecs.js';
import { isAcceptablePublicKey } from './ed25519-policy.js';
import type { CryptoEngine } from './engine.js';
import { cryptoErrors } from './errors.js';
import { optionalBytes, requireBytes, requireKey, requireLength, requireNonce } from './guards.js';
import type { CryptoBackend, CryptoBackendName } from './types.js';

const SEED_LENGTH = 32;
const PUBLIC_KEY_LENGTH = 32;
const SIGNATURE_LENGTH = 64;
const AES_KEY_LENGTH = 32;
/** SP 800-38D §8.2: 96-bit IVs are used directly as J0's prefix; other lengths go through GHASH. */
const NONCE_LENGTH = 12;
const TAG_LENGTH = 16;

function seedOf(secretKey: unknown): Uint8Array {
  return requireKey(
    secretKey,
    'secretKey',
    SEED_LENGTH,
    'an Ed25519 seed (a 64-byte libsodium secret key holds it in its first 32 bytes)',
  );
}

function aesKeyOf(key: unknown): Uint8Array {
  return requireKey(key, 'key', AES_KEY_LENGTH, 'an AES-256 key');
}

function nonceOf(nonce: unknown): Uint8Array {
  return requireNonce(nonce, 'nonce', NONCE_LENGTH, 'a 96-bit AES-GCM nonce');
}

function build(engine: CryptoEngine): CryptoBackend {
  return Object.freeze({
    name: engine.name,

    generateKeyPair: () => engine.ed25519Generate(),

    getPublicKey: (secretKey: Uint8Array) => engine.ed25519PublicKey(seedOf(secretKey)),

    sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
      requireBytes(message, 'message');
      return engine.ed25519Sign(message, seedOf(secretKey));
    },

    verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
      requireBytes(signature, 'signature');
      requireBytes(message, 'message');
      requireBytes(publicKey, 'publicKey');
      // RFC 8032 §5.1.7: a signature is exactly 64 bytes and a key 32; anything else is simply not valid.
      if (signature.length !== SIGNATURE_LENGTH || publicKey.length !== PUBLIC_KEY_LENGTH) return false;
      if (!isAcceptablePublicKey(publicKey)) return false;
      return engine.ed25519Verify(signature, message, publicKey);
    },

    blake3,

    sha256: (data: Uint8Array) => engine.sha256(requireBytes(data, 'data')),

    encrypt(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array {
      const k = aesKeyOf(key);
      const n = nonceOf(nonce);
      requireBytes(plaintext, 'plaintext');
      return engine.gcmEncrypt(k, n, plaintext, optionalBytes(aad, 'aad'), 0);
    },

    decrypt(key: Uint8Array, nonce: Uint8Array, ciphertextWithTag: Uint8Array, aad?: Uint8Array): Uint8Array {
      const k = aesKeyOf(key);
      const n = nonceOf(nonce);
      requireBytes(ciphertextWithTag, 'ciphertextWithTag');
      const a = optionalBytes(aad, 'aad');
      if (ciphertextWithTag.length < TAG_LENGTH) {
        throw cryptoErrors.MSYS_CRYPTO_DECRYPT_FAILED({ operation: 'decrypt', reason: 'too-short' });
      }
      const plaintext = engine.gcmDecrypt(k, n, ciphertextWithTag, a);
      if (plaintext === undefined) {
        throw cryptoErrors.MSYS_CRYPTO_DECRYPT_FAILED({ operation: 'decrypt', reason: 'authentication' });
      }
      return plaintext;
    },

    seal(key: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array {
      const k = aesKeyOf(key);
      requireBytes(plaintext, 'plaintext');
      const a = optionalBytes(aad, 'aad');
      const nonce = engine.randomFill(new Uint8Array(NONCE_LENGTH));
      const out = engine.gcmEncrypt(k, nonce, plaintext, a, NONCE_LENGTH);
      out.set(nonce, 0);
      return out;
    },

    open(key: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Uint8Array {
      const k = aesKeyOf(key);
      requireBytes(sealed, 'sealed');
      const a = optionalBytes(aad, 'aad');
      if (sealed.length < NONCE_LENGTH + TAG_LENGTH) {
        throw cryptoErrors.MSYS_CRYPTO_DECRYPT_FAILED({ operation: 'open', reason: 'too-short' });
      }
      const plaintext = engine.gcmDecrypt(
        k,
        sealed.subarray(0, NONCE_LENGTH),
        sealed.subarray(NONCE_LENGTH),
        a,
      );
      if (plaintext === undefined) {
        throw cryptoErrors.MSYS_CRYPTO_DECRYPT_FAILED({ operation: 'open', reason: 'authentication' });
      }
      return plaintext;
    },

    randomBytes: (length: number) => engine.randomFill(new Uint8Array(requireLength(length, 'length', 0))),

    timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
      requireBytes(a, 'a');
      requireBytes(b, 'b');
      return a.length === b.length && engine.equal(a, b);
    },

    toHex,
    fromHex,
    toBase64url,
    fromBase64url,
  });
}

const backends: Readonly<Record<CryptoBackendName, CryptoBackend>> = Object.freeze({
  node: build(nodeEngine),
  noble: build(nobleEngine),
});

/**
 * Returns the crypto primitives of one backend. `'node'` runs Ed25519, AES-GCM and SHA-256 on OpenSSL
 * (several times faster); `'noble'` is pure JavaScript and portable. BLAKE3 is `@noble/hashes` in both.
 * Both give identical bytes and identical errors for the same inputs.
 *
 * @param backend - `'node'` or `'noble'`
 * @returns the backend (a frozen object, shared by every caller)
 * @throws SystemError `MSYS_CRYPTO_UNKNOWN_BACKEND` for any other name
 * @example
 * ```ts
 * const portable = createCrypto('noble');
 * const { publicKey, secretKey } = portable.generateKeyPair();
 * const signature = portable.sign(message, secretKey);
 * createCrypto('node').verify(signature, message, publicKey); // true
 * ```
 */
export function createCrypto(backend: CryptoBackendName): CryptoBackend {
  if (backend !== 'node' && backend !== 'noble') {
    throw cryptoErrors.MSYS_CRYPTO_UNKNOWN_BACKEND({ received: describeValue(backend) });
  }
  return backends[backend];
}

/**
 * The backend behind the module's top-level functions.
 *
 * @internal
 */
export const defaultBackend: CryptoBackend = backends.node;
