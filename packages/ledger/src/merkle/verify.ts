import { bytesEqual, emptyRoot, HASH_SIZE, hashChildren } from './hash.js';

/** What {@link verifyInclusion} checks: that `leafHash` is leaf `leafIndex` of the tree of `treeSize` with `root`. */
export interface InclusionCheck {
  /** The zero-based index of the leaf. */
  readonly leafIndex: number | bigint;
  /** The size of the tree the proof was made for. */
  readonly treeSize: number | bigint;
  /** The leaf hash, `hashLeaf(entryBytes)`. */
  readonly leafHash: Uint8Array;
  /** The audit path, from the leaf's sibling up (RFC 9162 §2.1.3.1). */
  readonly proof: readonly Uint8Array[];
  /** The root hash of the tree of `treeSize`. */
  readonly root: Uint8Array;
}

/** What {@link verifyConsistency} checks: that the tree of `size2` with `root2` extends the tree of `size1` with `root1`. */
export interface ConsistencyCheck {
  /** The older tree size. */
  readonly size1: number | bigint;
  /** The newer tree size. */
  readonly size2: number | bigint;
  /** The consistency proof (RFC 9162 §2.1.4.1). */
  readonly proof: readonly Uint8Array[];
  /** The root of the older tree. */
  readonly root1: Uint8Array;
  /** The root of the newer tree. */
  readonly root2: Uint8Array;
}

const MAX_SIZE = (1n << 64n) - 1n;

function toSize(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value >= 0n && value <= MAX_SIZE ? value : undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  return undefined;
}

function isHash(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length === HASH_SIZE;
}

function isPath(value: unknown): value is readonly Uint8Array[] {
  return Array.isArray(value) && value.length <= 64 && value.every(isHash);
}

/**
 * Verifies an inclusion proof with the algorithm of RFC 9162 §2.1.3.2. Needs no ledger: an auditor holding a
 * signed tree head and a receipt can run it offline.
 *
 * @param check - leaf index, tree size, leaf hash, audit path and expected root
 * @returns true when the proof is valid; false for a wrong proof and for any malformed input (never throws)
 * @example
 * ```ts
 * const ok = verifyInclusion({ leafIndex: 3, treeSize: 8, leafHash: hashLeaf(bytes), proof, root });
 * ```
 */
export function verifyInclusion(check: InclusionCheck): boolean {
  try {
    if (typeof check !== 'object' || check === null) return false;
    const { leafHash, proof, root } = check;
    const index = toSize(check.leafIndex);
    const size = toSize(check.treeSize);
    if (index === undefined || size === undefined || !isHash(leafHash) || !isHash(root) || !isPath(proof))
      return false;
    if (index >= size) return false;
    let fn = index;
    let sn = size - 1n;
    let r = leafHash;
    for (const p of proof) {
      if (sn === 0n) return false;
      if ((fn & 1n) === 1n || fn === sn) {
        r = hashChildren(p, r);
        if ((fn & 1n) === 0n) {
          while ((fn & 1n) === 0n && fn !== 0n) {
            fn >>= 1n;
            sn >>= 1n;
          }
        }
      } else {
        r = hashChildren(r, p);
      }
      fn >>= 1n;
      sn >>= 1n;
    }
    return sn === 0n && bytesEqual(r, root);
  } catch {
    return false;
  }
}

/**
 * Verifies a consistency proof with the algorithm of RFC 9162 §2.1.4.2: the tree of `size2` is an append-only
 * extension of the tree of `size1`. Equal sizes need an empty proof and equal roots; `size1 = 0` needs an empty
 * proof and `root1` equal to the empty-tree hash.
 *
 * @param check - both sizes, the proof and both roots
 * @returns true when the proof is valid; false for a wrong proof and for any malformed input (never throws)
 * @example
 * ```ts
 * const ok = verifyConsistency({ size1: 4, size2: 8, proof, root1: oldHead.rootHash, root2: newHead.rootHash });
 * ```
 */
export function verifyConsistency(check: ConsistencyCheck): boolean {
  try {
    if (typeof check !== 'object' || check === null) return false;
    const { proof, root1, root2 } = check;
    const size1 = toSize(check.size1);
    const size2 = toSize(check.size2);
    if (size1 === undefined || size2 === undefined || !isHash(root1) || !isHash(root2) || !isPath(proof))
      return false;
    if (size1 > size2) return false;
    if (size1 === size2) return proof.length === 0 && bytesEqual(root1, root2);
    if (size1 === 0n) return proof.length === 0 && bytesEqual(root1, emptyRoot());
    if (proof.length === 0) return false;
    // Step 2: when size1 is an exact power of two the old root is itself a node of the new tree.
    const path = (size1 & (size1 - 1n)) === 0n ? [root1, ...proof] : [...proof];
    let fn = size1 - 1n;
    let sn = size2 - 1n;
    while ((fn & 1n) === 1n) {
      fn >>= 1n;
      sn >>= 1n;
    }
    let fr = path[0] as Uint8Array;
    let sr = fr;
    for (let i = 1; i < path.length; i++) {
      const c = path[i] as Uint8Array;
      if (sn === 0n) return false;
      if ((fn & 1n) === 1n || fn === sn) {
        fr = hashChildren(c, fr);
        sr = hashChildren(c, sr);
        if ((fn & 1n) === 0n) {
          while ((fn & 1n) === 0n && fn !== 0n) {
            fn >>= 1n;
            sn >>= 1n;
          }
        }
      } else {
        sr = hashChildren(sr, c);
      }
      fn >>= 1n;
      sn >>= 1n;
    }
    return sn === 0n && bytesEqual(fr, root1) && bytesEqual(sr, root2);
  } catch {
    return false;
  }
}
