import { ledgerErrors } from '../errors.js';
import { emptyRoot, HASH_SIZE, hashChildren, hashLeaf } from './hash.js';

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function toIndex(path: string, value: unknown, max: number): number {
  const n = typeof value === 'bigint' && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0 || n > max) {
    throw ledgerErrors.MSYS_LEDGER_OUT_OF_RANGE({
      path,
      value: String(value),
      limit: `an integer in [0, ${max}]`,
    });
  }
  return n;
}

/**
 * An append-only Merkle log (RFC 9162 §2.1): leaves are kept as hashes, and every complete, aligned subtree
 * hash is kept as well so that roots and proofs of any past size cost O(log² n) hashes at most.
 *
 * @example
 * ```ts
 * const log = new MerkleLog();
 * log.append(new TextEncoder().encode('a'));
 * const root = log.root();
 * ```
 */
export class MerkleLog {
  /**
   * levels[k] holds, back to back, the hash of every complete subtree of 2^k leaves (the i-th starts at leaf
   * i·2^k). One growable buffer per level rather than an object per hash: a million leaves cost ~64 MB.
   */
  readonly #levels: HashRow[] = [new HashRow()];

  /** The number of leaves. */
  get size(): number {
    return (this.#levels[0] as HashRow).length;
  }

  /**
   * Appends a leaf from its input bytes.
   *
   * @param data - the leaf input
   * @returns the leaf's index
   */
  append(data: Uint8Array): number {
    return this.appendLeafHash(hashLeaf(data));
  }

  /**
   * Appends a leaf by its leaf hash (used when reloading a log from storage).
   *
   * @param leafHash - `hashLeaf(data)`, 32 bytes
   * @returns the leaf's index
   * @throws SystemError `MSYS_LEDGER_INVALID_ARGUMENT` when the hash is not 32 bytes
   */
  appendLeafHash(leafHash: Uint8Array): number {
    if (!(leafHash instanceof Uint8Array) || leafHash.length !== HASH_SIZE) {
      throw ledgerErrors.MSYS_LEDGER_INVALID_ARGUMENT({
        path: 'leafHash',
        expected: 'a 32-byte Uint8Array',
        received: String(leafHash),
      });
    }
    const index = this.size;
    (this.#levels[0] as HashRow).push(leafHash);
    let level = 0;
    let position = index;
    // Each time the new leaf completes a right sibling, the parent subtree becomes complete too.
    while ((position & 1) === 1) {
      const row = this.#levels[level] as HashRow;
      const parent = hashChildren(row.at(position - 1), row.at(position));
      level += 1;
      position >>= 1;
      if (this.#levels.length <= level) this.#levels.push(new HashRow());
      (this.#levels[level] as HashRow).push(parent);
    }
    return index;
  }

  /**
   * The leaf hash at `index`.
   *
   * @param index - leaf index
   * @returns the leaf hash
   * @throws SystemError `MSYS_LEDGER_OUT_OF_RANGE` when the index is past the end
   */
  leafHash(index: number | bigint): Uint8Array {
    const i = toIndex('index', index, this.size - 1);
    return (this.#levels[0] as HashRow).at(i).slice();
  }

  /**
   * The Merkle Tree Hash of the first `size` leaves (RFC 9162 §2.1.1).
   *
   * @param size - tree size; defaults to the current size
   * @returns the 32-byte root
   * @throws SystemError `MSYS_LEDGER_OUT_OF_RANGE` when `size` exceeds the log
   */
  root(size: number | bigint = this.size): Uint8Array {
    const n = toIndex('size', size, this.size);
    return n === 0 ? emptyRoot() : this.#subtree(0, n).slice();
  }

  /**
   * The inclusion proof (audit path) of leaf `index` in the tree of `treeSize` (RFC 9162 §2.1.3.1).
   *
   * @param index - leaf index
   * @param treeSize - tree size, greater than `index`
   * @returns the audit path, from the leaf's sibling up
   * @throws SystemError `MSYS_LEDGER_OUT_OF_RANGE` when the sizes do not fit the log
   */
  proveInclusion(index: number | bigint, treeSize: number | bigint = this.size): Uint8Array[] {
    const n = toIndex('treeSize', treeSize, this.size);
    const m = toIndex('index', index, n - 1);
    const out: Uint8Array[] = [];
    this.#path(m, 0, n, out);
    return out;
  }

  /**
   * The consistency proof between the trees of `oldSize` and `newSize` (RFC 9162 §2.1.4.1).
   *
   * @param oldSize - the older size
   * @param newSize - the newer size, at least `oldSize`
   * @returns the proof (empty when the sizes are equal or `oldSize` is 0)
   * @throws SystemError `MSYS_LEDGER_OUT_OF_RANGE` when the sizes do not fit the log
   */
  proveConsistency(oldSize: number | bigint, newSize: number | bigint = this.size): Uint8Array[] {
    const n = toIndex('newSize', newSize, this.size);
    const m = toIndex('oldSize', oldSize, n);
    const out: Uint8Array[] = [];
    if (m === 0 || m === n) return out;
    this.#subproof(m, 0, n, true, out);
    return out;
  }

  /** MTH(D[lo:hi]) using the stored complete subtrees. */
  #subtree(lo: number, hi: number): Uint8Array {
    const n = hi - lo;
    if ((n & (n - 1)) === 0 && lo % n === 0) {
      return (this.#levels[Math.log2(n)] as HashRow).at(lo / n);
    }
    const k = largestPowerOfTwoBelow(n);
    return hashChildren(this.#subtree(lo, lo + k), this.#subtree(lo + k, hi));
  }

  /** PATH(m, D[lo:hi]) of RFC 9162 §2.1.3.1, appended bottom-up. */
  #path(m: number, lo: number, hi: number, out: Uint8Array[]): void {
    const n = hi - lo;
    if (n <= 1) return;
    const k = largestPowerOfTwoBelow(n);
    if (m - lo < k) {
      this.#path(m, lo, lo + k, out);
      out.push(this.#subtree(lo + k, hi).slice());
    } else {
      this.#path(m, lo + k, hi, out);
      out.push(this.#subtree(lo, lo + k).slice());
    }
  }

  /** SUBPROOF(m, D[lo:hi], b) of RFC 9162 §2.1.4.1. */
  #subproof(m: number, lo: number, hi: number, complete: boolean, out: Uint8Array[]): void {
    const n = hi - lo;
    if (m === n) {
      if (!complete) out.push(this.#subtree(lo, hi).slice());
      return;
    }
    const k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      this.#subproof(m, lo, lo + k, complete, out);
      out.push(this.#subtree(lo + k, hi).slice());
    } else {
      this.#subproof(m - k, lo + k, hi, false, out);
      out.push(this.#subtree(lo, lo + k).slice());
    }
  }
}

/** A growable array of 32-byte hashes in one buffer; `at` returns a view (callers copy what they hand out). */
class HashRow {
  #buffer = new Uint8Array(HASH_SIZE * 64);
  length = 0;

  push(hash: Uint8Array): void {
    if ((this.length + 1) * HASH_SIZE > this.#buffer.length) {
      const grown = new Uint8Array(this.#buffer.length * 2);
      grown.set(this.#buffer);
      this.#buffer = grown;
    }
    this.#buffer.set(hash, this.length * HASH_SIZE);
    this.length += 1;
  }

  at(i: number): Uint8Array {
    return this.#buffer.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE);
  }
}
