/**
 * The public shapes of the crypto module: the backend object and its option and result types.
 *
 * @module
 */

/** Which implementation runs the primitives: OpenSSL through `node:crypto`, or the portable `@noble` libraries. */
export type CryptoBackendName = 'node' | 'noble';

/** An Ed25519 key pair (RFC 8032 §5.1.5). */
export interface KeyPair {
  /** The 32-byte encoded public key `A`. */
  readonly publicKey: Uint8Array;
  /** The 32-byte private seed (RFC 8032 calls it the private key `k`); keep it secret. */
  readonly secretKey: Uint8Array;
}

/**
 * Options of {@link CryptoBackend.blake3}. `key` and `context` pick BLAKE3's keyed-hash and derive-key modes
 * (BLAKE3 paper §5.1.2); they exclude each other.
 */
export interface Blake3Options {
  /** Output length in bytes (extended output when above 32); default 32. */
  readonly dkLen?: number;
  /** A 32-byte key: the output is a MAC of the data under this key. */
  readonly key?: Uint8Array;
  /**
   * A context string (UTF-8 encoded when a string): the output is key material derived from the data for
   * this context. The BLAKE3 authors advise a hard-coded, globally unique string such as
   * `"[application] [commit timestamp] [purpose]"`.
   */
  readonly context?: string | Uint8Array;
}

/**
 * The crypto primitives of `@msys` behind one interface. Both backends return identical bytes for the same
 * inputs and throw identical errors; they differ in speed and in what they depend on.
 */
export interface CryptoBackend {
  /** Which implementation this is. */
  readonly name: CryptoBackendName;

  /**
   * Creates an Ed25519 key pair from fresh randomness.
   *
   * @returns the 32-byte seed and the 32-byte public key
   */
  generateKeyPair(): KeyPair;

  /**
   * Derives the Ed25519 public key of a seed (RFC 8032 §5.1.5).
   *
   * @param secretKey - the 32-byte seed
   * @returns the 32-byte public key
   * @throws SystemError `MSYS_CRYPTO_INVALID_KEY` when the seed is not 32 bytes
   */
  getPublicKey(secretKey: Uint8Array): Uint8Array;

  /**
   * Signs a message with Ed25519 (RFC 8032 §5.1.6; deterministic: the same inputs give the same signature).
   * On the `node` backend, pass the same seed array each time: its OpenSSL key is cached per array, and
   * importing a new one costs about as much as signing with `noble`.
   *
   * @param message - the message, any length
   * @param secretKey - the 32-byte seed
   * @returns the 64-byte signature `R ‖ S`
   * @throws SystemError `MSYS_CRYPTO_INVALID_KEY` when the seed is not 32 bytes
   */
  sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array;

  /**
   * Verifies an Ed25519 signature strictly (RFC 8032 §5.1.7): non-canonical encodings, `S ≥ L`, and
   * small-order public keys are rejected.
   *
   * @param signature - the signature; any length other than 64 is simply invalid
   * @param message - the message
   * @param publicKey - the public key; any length other than 32 is simply invalid
   * @returns whether the signature is valid — malformed signatures and keys give `false`, never a throw
   * @throws SystemError `MSYS_CRYPTO_INVALID_ARGUMENT` only when an argument is not a Uint8Array
   */
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;

  /**
   * Hashes with BLAKE3: plain, keyed (MAC) or derive-key mode, any output length.
   *
   * @param data - the input
   * @param options - output length, and a key or a context
   * @returns `dkLen` bytes (32 by default)
   * @throws SystemError `MSYS_CRYPTO_INVALID_KEY` when `key` is not 32 bytes;
   *   `MSYS_CRYPTO_INVALID_ARGUMENT` for a bad `dkLen`, both `key` and `context`, or a wrong type
   */
  blake3(data: Uint8Array, options?: Blake3Options): Uint8Array;

  /**
   * Hashes with SHA-256 (FIPS 180-4).
   *
   * @param data - the input
   * @returns the 32-byte digest
   */
  sha256(data: Uint8Array): Uint8Array;

  /**
   * Encrypts with AES-256-GCM (NIST SP 800-38D) under a caller-chosen nonce. Never reuse a nonce under one
   * key: a repeat reveals the XOR of the plaintexts and lets an attacker forge tags. Prefer {@link seal}.
   *
   * @param key - the 32-byte key
   * @param nonce - the 12-byte nonce (the 96-bit IV of SP 800-38D §8.2)
   * @param plaintext - the data
   * @param aad - associated data: authenticated, not encrypted
   * @returns the ciphertext followed by the 16-byte tag
   * @throws SystemError `MSYS_CRYPTO_INVALID_KEY` / `MSYS_CRYPTO_INVALID_NONCE` for a wrong size
   */
  encrypt(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array;

  /**
   * Decrypts and authenticates AES-256-GCM output. Nothing of the plaintext is returned unless the tag matches.
   *
   * @param key - the 32-byte key
   * @param nonce - the 12-byte nonce used to encrypt
   * @param ciphertextWithTag - the ciphertext followed by the 16-byte tag
   * @param aad - the associated data given to encrypt
   * @returns the plaintext
   * @throws SystemError `MSYS_CRYPTO_DECRYPT_FAILED` when authentication fails or the input is shorter than
   *   a tag; `MSYS_CRYPTO_INVALID_KEY` / `MSYS_CRYPTO_INVALID_NONCE` for a wrong size
   */
  decrypt(key: Uint8Array, nonce: Uint8Array, ciphertextWithTag: Uint8Array, aad?: Uint8Array): Uint8Array;

  /**
   * Encrypts with AES-256-GCM under a fresh random 96-bit nonce, which is prefixed to the output. Random
   * nonces are safe for about 2^32 messages per key (SP 800-38D §8.3).
   *
   * @param key - the 32-byte key
   * @param plaintext - the data
   * @param aad - associated data: authenticated, not encrypted
   * @returns `nonce (12) ‖ ciphertext ‖ tag (16)`
   * @throws SystemError `MSYS_CRYPTO_INVALID_KEY` when the key is not 32 bytes
   */
  seal(key: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array;

  /**
   * Opens the output of {@link seal}.
   *
   * @param key - the 32-byte key
   * @param sealed - `nonce ‖ ciphertext ‖ tag`
   * @param aad - the associated data given to seal
   * @returns the plaintext
   * @throws SystemError `MSYS_CRYPTO_DECRYPT_FAILED` when authentication fails or the input is too short
   */
  open(key: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Uint8Array;

  /**
   * Draws bytes from the operating system's CSPRNG.
   *
   * @param length - how many bytes, 0 to 2^30
   * @returns fresh random bytes
   */
  randomBytes(length: number): Uint8Array;

  /**
   * Compares two byte arrays in time that depends on their length only, not on where they differ.
   *
   * @param a - one array
   * @param b - the other
   * @returns whether they hold the same bytes (arrays of different lengths are unequal; lengths are not secret)
   */
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;

  /**
   * Encodes bytes as lower-case hexadecimal.
   *
   * @param bytes - the bytes
   * @returns the hex text
   */
  toHex(bytes: Uint8Array): string;

  /**
   * Decodes hexadecimal strictly.
   *
   * @param hex - an even number of hex characters
   * @returns the bytes
   * @throws SystemError `MSYS_CRYPTO_INVALID_HEX` for malformed text
   */
  fromHex(hex: string): Uint8Array;

  /**
   * Encodes bytes as unpadded base64url.
   *
   * @param bytes - the bytes
   * @returns the text
   */
  toBase64url(bytes: Uint8Array): string;

  /**
   * Decodes unpadded, canonical base64url strictly.
   *
   * @param text - the text
   * @returns the bytes
   * @throws SystemError `MSYS_CRYPTO_INVALID_BASE64URL` for malformed text
   */
  fromBase64url(text: string): Uint8Array;
}
