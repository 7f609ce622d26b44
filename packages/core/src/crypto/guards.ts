/**
 * Argument checks shared by both backends, so that a bad argument fails the same way whichever backend runs.
 *
 * @module
 */
import { invalidCryptoArgument, invalidKey, invalidNonce } from './errors.js';

/**
 * The largest output `blake3` and `randomBytes` produce in one call (1 GiB). BLAKE3 itself allows 2^64 − 1
 * bytes; the bound keeps a typo from asking for an allocation the process cannot make.
 *
 * @internal
 */
export const MAX_OUTPUT_LENGTH = 2 ** 30;

/**
 * Asserts a byte array (a `Buffer` is one).
 *
 * @internal
 */
export function requireBytes(value: unknown, path: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw invalidCryptoArgument(path, 'a Uint8Array', value);
  return value;
}

/**
 * Asserts a byte array when the argument was given.
 *
 * @internal
 */
export function optionalBytes(value: unknown, path: string): Uint8Array | undefined {
  return value === undefined ? undefined : requireBytes(value, path);
}

/**
 * Asserts a key: a byte array (else `validation`) of exactly `length` bytes (else `crypto`).
 *
 * @internal
 */
export function requireKey(value: unknown, path: string, length: number, what: string): Uint8Array {
  const key = requireBytes(value, path);
  if (key.length !== length) throw invalidKey(path, `${what} of ${length} bytes`, key);
  return key;
}

/**
 * Asserts a nonce: a byte array (else `validation`) of exactly `length` bytes (else `crypto`).
 *
 * @internal
 */
export function requireNonce(value: unknown, path: string, length: number, what: string): Uint8Array {
  const nonce = requireBytes(value, path);
  if (nonce.length !== length) throw invalidNonce(path, `${what} of ${length} bytes`, nonce);
  return nonce;
}

/**
 * Asserts an integer length in `[min, MAX_OUTPUT_LENGTH]`.
 *
 * @internal
 */
export function requireLength(value: unknown, path: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > MAX_OUTPUT_LENGTH) {
    throw invalidCryptoArgument(path, `an integer from ${min} to ${MAX_OUTPUT_LENGTH}`, value);
  }
  return value;
}
