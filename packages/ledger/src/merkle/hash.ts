import { createHash } from 'node:crypto';

/** Size in bytes of every node hash of the log (SHA-256, RFC 9162 §2.1). */
export const HASH_SIZE = 32;

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/**
 * The hash of a log leaf: `SHA-256(0x00 || data)` (RFC 9162 §2.1.1). The 0x00/0x01 prefixes keep a leaf from
 * ever being mistaken for an interior node (second-preimage resistance).
 *
 * @param data - the leaf input (the canonical bytes of a ledger entry)
 * @returns the 32-byte leaf hash
 * @example
 * ```ts
 * const h = hashLeaf(new TextEncoder().encode('hello'));
 * ```
 */
export function hashLeaf(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(LEAF_PREFIX).update(data).digest());
}

/**
 * The hash of an interior node: `SHA-256(0x01 || left || right)` (RFC 9162 §2.1.1).
 *
 * @param left - the left child's hash
 * @param right - the right child's hash
 * @returns the 32-byte node hash
 */
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest());
}

/**
 * The root of the empty tree: `SHA-256()` of no input (RFC 9162 §2.1.1).
 *
 * @returns the 32-byte hash of the empty string
 */
export function emptyRoot(): Uint8Array {
  return new Uint8Array(createHash('sha256').digest());
}

/** @internal */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}
