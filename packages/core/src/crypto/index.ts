/**
 * Crypto for `@msys`: Ed25519 signatures, BLAKE3 and SHA-256, AES-256-GCM, randomness and byte codecs, on two
 * interchangeable backends — `node:crypto` (OpenSSL, the default) and `@noble` (portable JavaScript) —
 * chosen with {@link createCrypto}. Keys, messages and outputs are `Uint8Array`s (a `Buffer` is accepted).
 *
 * @module
 */
export { createCrypto } from './api.js';
export { fromBase64url, fromHex, toBase64url, toHex } from './codecs.js';
export {
  blake3,
  decrypt,
  encrypt,
  generateKeyPair,
  getPublicKey,
  open,
  randomBytes,
  seal,
  sha256,
  sign,
  timingSafeEqual,
  verify,
} from './functions.js';
export type { Blake3Options, CryptoBackend, CryptoBackendName, KeyPair } from './types.js';
