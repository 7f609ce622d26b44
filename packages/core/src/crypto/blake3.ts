/**
 * BLAKE3 for both backends: Node's OpenSSL has no BLAKE3, so `@noble/hashes` runs it everywhere.
 *
 * @module
 */
import { blake3 as nobleBlake3 } from '@noble/hashes/blake3.js';
import { invalidCryptoArgument } from './errors.js';
import { requireBytes, requireKey, requireLength } from './guards.js';
import type { Blake3Options } from './types.js';

const utf8 = new TextEncoder();

/**
 * Checks the arguments and hashes.
 *
 * @internal
 */
export function blake3(data: Uint8Array, options?: Blake3Options): Uint8Array {
  requireBytes(data, 'data');
  if (options === undefined) return nobleBlake3(data);
  if (typeof options !== 'object' || options === null) {
    throw invalidCryptoArgument('options', 'an object { dkLen?, key?, context? }', options);
  }
  const dkLen = options.dkLen === undefined ? 32 : requireLength(options.dkLen, 'options.dkLen', 1);
  const { key, context } = options;
  if (key !== undefined && context !== undefined) {
    throw invalidCryptoArgument('options', 'either options.key or options.context, not both', options);
  }
  if (key !== undefined) {
    return nobleBlake3(data, { dkLen, key: requireKey(key, 'options.key', 32, 'a BLAKE3 key') });
  }
  if (context !== undefined) {
    let contextBytes: Uint8Array;
    if (typeof context === 'string') contextBytes = utf8.encode(context);
    else if (context instanceof Uint8Array) contextBytes = context;
    else throw invalidCryptoArgument('options.context', 'a string or a Uint8Array', context);
    return nobleBlake3(data, { dkLen, context: contextBytes });
  }
  return nobleBlake3(data, { dkLen });
}
