/**
 * The error codes of the crypto module, declared once. Codes are stable: callers branch on them.
 *
 * @module
 */
import { defineErrors, describeValue, invalidArgument, type SystemError } from '../errors/index.js';

/** @internal */
export const cryptoErrors = defineErrors({
  MSYS_CRYPTO_INVALID_KEY: {
    category: 'crypto',
    message: (d: { path: string; expected: string; received: string }) =>
      `${d.path} must be ${d.expected}, received ${d.received}`,
  },
  MSYS_CRYPTO_INVALID_NONCE: {
    category: 'crypto',
    message: (d: { path: string; expected: string; received: string }) =>
      `${d.path} must be ${d.expected}, received ${d.received}`,
  },
  MSYS_CRYPTO_DECRYPT_FAILED: {
    category: 'crypto',
    message: (d: { operation: 'decrypt' | 'open'; reason: 'too-short' | 'authentication' }) =>
      d.reason === 'too-short'
        ? `${d.operation}: the input is shorter than the authentication tag, so it cannot be an AES-256-GCM ciphertext`
        : `${d.operation}: authentication failed (wrong key, nonce or associated data, or the ciphertext was altered)`,
  },
  MSYS_CRYPTO_INVALID_HEX: {
    category: 'serialization',
    message: (d: { received: string; reason: string }) =>
      `fromHex: ${d.reason}; expected an even number of the characters 0-9, a-f, A-F, received ${d.received}`,
  },
  MSYS_CRYPTO_INVALID_BASE64URL: {
    category: 'serialization',
    message: (d: { received: string; reason: string }) =>
      `fromBase64url: ${d.reason}; expected unpadded base64url (RFC 4648 §5: A-Z a-z 0-9 - _), received ${d.received}`,
  },
  MSYS_CRYPTO_UNKNOWN_BACKEND: {
    category: 'validation',
    message: (d: { received: string }) => `backend must be 'node' or 'noble', received ${d.received}`,
  },
});

/**
 * A `validation` error for an argument of the wrong type or an out-of-range option.
 *
 * @internal
 */
export function invalidCryptoArgument(path: string, expected: string, received: unknown): SystemError {
  return invalidArgument('MSYS_CRYPTO_INVALID_ARGUMENT', path, expected, received);
}

/**
 * A `crypto` error for a key of the right type but the wrong size.
 *
 * @internal
 */
export function invalidKey(path: string, expected: string, received: unknown): SystemError {
  return cryptoErrors.MSYS_CRYPTO_INVALID_KEY({ path, expected, received: describeValue(received) });
}

/**
 * A `crypto` error for a nonce of the right type but the wrong size.
 *
 * @internal
 */
export function invalidNonce(path: string, expected: string, received: unknown): SystemError {
  return cryptoErrors.MSYS_CRYPTO_INVALID_NONCE({ path, expected, received: describeValue(received) });
}
