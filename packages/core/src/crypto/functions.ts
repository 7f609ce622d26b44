/**
 * The module's top-level functions: the `node` backend, for callers that do not choose one.
 *
 * @module
 */
import { defaultBackend as node } from './api.js';
import type { Blake3Options, KeyPair } from './types.js';

/**
 * Creates an Ed25519 key pair from fresh randomness (RFC 8032 §5.1.5).
 *
 * @returns the 32-byte seed (`secretKey`) and the 32-byte public key
 * @example
 * ```ts
 * const { publicKey, secretKey } = generateKeyPair();
 * ```
 */
export function generateKeyPair(): KeyPair {
  return node.generateKeyPair();
}

/**
 * Derives the Ed25519 public key of a 32-byte seed.
 *
 * @param secretKey - the 32-byte seed
 * @returns the 32-byte public key
 * @throws SystemError `MSYS_CRYPTO_INVALID_KEY` when the seed is not 32 bytes;
 *   `MSYS_CRYPTO_INVALID_ARGUMENT` when it is not a Uint8Array
 */
export function getPublicKey(secretKey: Uint8Array): Uint8Array {
  return node.getPublicKey(secretKey);
}

/**
 * Signs a message with Ed25519 (deterministic, RFC 8032 §5.1.6). Pass the same seed array each time: its
 * OpenSSL key is cached per array, and importing a new one costs about half a millisecond.
 *
 * @param message - the message, any length
 * @param secretKey - the 32-byte seed
 * @returns the 64-byte signature
 * @throws SystemError `MSYS_CRYPTO_INVALID_KEY` when the seed is not 32 bytes;
 *   `MSYS_CRYPTO_INVALID_ARGUMENT` when an argument is not a Uint8Array
 * @example
 * ```ts
 * const { publicKey, secretKey } = generateKeyPair();
 * const message = new TextEncoder().encode('hello');
 * const signature = sign(message, secretKey);
 * verify(signature, message, publicKey); // true
 * ```
 */
export function sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
  return node.sign(message, secretKey);
}

/**
 * Verifies an Ed25519 signature strictly (RFC 8032 §5.1.7; non-canonical encodings, `S ≥ L` and small-order
 * public keys are rejected).
 *
 * @param signature - the signature (any length other than 64 is invalid)
 * @param message - the message
 * @param publicKey - the public key (any length other than 32 is invalid)
 * @returns whether the signature is valid; `false`, never a throw, for malformed signatures and keys
 * @throws SystemError `MSYS_CRYPTO_INVALID_ARGUMENT` only when an argument is not a Uint8Array
 * @example
 * ```ts
 * if (!verify(signature, message, publicKey)) throw new Error('forged');
 * ```
 */
export function verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  return node.verify(signature, message, publicKey);
}

/**
 * Hashes with BLAKE3: plain, keyed (a MAC under a 32-byte key) or derive-key (under a context string), with
 * any output length (extended output past 32 bytes).
 *
 * @param data - the input
 * @param options - `dkLen` (default 32), and `key` or `context` (not both)
 * @returns `dkLen` bytes
 * @throws SystemError `MSYS_CRYPTO_INVALID_KEY` when `key` is not 32 bytes;
 *   `MSYS_CRYPTO_INVALID_ARGUMENT` for a bad `dkLen`, both `key` and `context`, or a wrong type
 * @example
 * ```ts
 * const digest = blake3(data);
 * const mac = blake3(data, { key: macKey });
 * const subkey = blake3(masterKey, { context: 'msys 2026-11-25 ledger record encryption', dkLen: 32 });
 * ```
 */
export function blake3(data: Uint8Array, options?: Blake3Options): Uint8Array {
  return node.blake3(data, options);
}

/**
 * Hashes with SHA-256 (FIPS 180-4).
 *
 * @param data - the input
 * @returns the 32-byte digest
 * @throws SystemError `MSYS_CRYPTO_INVALID_ARGUMENT` when `data` is not a Uint8Array
 */
export function sha256(data: Uint8Array): Uint8Array {
  return node.sha256(data);
}

/**
 * Encrypts with AES-256-GCM under a caller-chosen 96-bit nonce. A nonce must never repeat under one key
 * (SP 800-38D §8); {@link seal} picks a random one for you.
 *
 * @param key - the 32-byte key
 * @param nonce - the 12-byte nonce
 * @param plaintext - the data
 * @param aad - associated data: authenticated, not encrypted
 * @returns the ciphertext followed by the 16-byte tag
 * @throws SystemError `MSYS_CRYPTO_INVALID_KEY` / `MSYS_CRYPTO_INVALID_NONCE` for a wrong size;
 *   `MSYS_CRYPTO_INVALID_ARGUMENT` for a wrong type
 * @example
 * ```ts
 * const nonce = randomBytes(12);
 * const ciphertext = encrypt(key, nonce, plaintext, header);
 * decrypt(key, nonce, ciphertext, header); // plaintext
 * ```
 */
export function encrypt(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  aad?: Uint8Array,
): Uint8Array {
  return node.encrypt(key, nonce, plaintext, aad);
}

/**
 * Decrypts and authenticates AES-256-GCM output; no plaintext is returned unless the tag matches.
 *
 * @param key - the 32-byte key
 * @param nonce - the 12-byte nonce used to encrypt
 * @param ciphertextWithTag - the ciphertext followed by the 16-byte tag
 * @param aad - the associated data given to encrypt
 * @returns the plaintext
 * @throws SystemError `MSYS_CRYPTO_DECRYPT_FAILED` when authentication fails or the input is shorter than a
 *   tag; `MSYS_CRYPTO_INVALID_KEY` / `MSYS_CRYPTO_INVALID_NONCE` for a wrong size
 */
export function decrypt(
  key: Uint8Array,
  nonce: Uint8Array,
  ciphertextWithTag: Uint8Array,
  aad?: Uint8Array,
): Uint8Array {
  return node.decrypt(key, nonce, ciphertextWithTag, aad);
}

/**
 * Encrypts with AES-256-GCM under a fresh random 96-bit nonce, prefixed to the output. Random nonces stay
 * safe for about 2^32 messages per key (SP 800-38D §8.3); rotate keys well before that.
 *
 * @param key - the 32-byte key
 * @param plaintext - the data
 * @param aad - associated data: authenticated, not encrypted
 * @returns `nonce (12) ‖ ciphertext ‖ tag (16)`
 * @throws SystemError `MSYS_CRYPTO_INVALID_KEY` when the key is not 32 bytes
 * @example
 * ```ts
 * const key = randomBytes(32);
 * const sealed = seal(key, new TextEncoder().encode('secret'));
 * new TextDecoder().decode(open(key, sealed)); // 'secret'
 * ```
 */
export function seal(key: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array {
  return node.seal(key, plaintext, aad);
}

/**
 * Opens the output of {@link seal}.
 *
 * @param key - the 32-byte key
 * @param sealed - `nonce ‖ ciphertext ‖ tag`
 * @param aad - the associated data given to seal
 * @returns the plaintext
 * @throws SystemError `MSYS_CRYPTO_DECRYPT_FAILED` when authentication fails or the input is too short
 */
export function open(key: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Uint8Array {
  return node.open(key, sealed, aad);
}

/**
 * Draws bytes from the operating system's CSPRNG.
 *
 * @param length - how many bytes, 0 to 2^30
 * @returns fresh random bytes
 * @throws SystemError `MSYS_CRYPTO_INVALID_ARGUMENT` when `length` is not such an integer
 */
export function randomBytes(length: number): Uint8Array {
  return node.randomBytes(length);
}

/**
 * Compares two byte arrays in time that depends only on their length (use it for tags, MACs and tokens).
 *
 * @param a - one array
 * @param b - the other
 * @returns whether they hold the same bytes; arrays of different lengths are unequal (lengths are not secret)
 * @throws SystemError `MSYS_CRYPTO_INVALID_ARGUMENT` when an argument is not a Uint8Array
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return node.timingSafeEqual(a, b);
}
