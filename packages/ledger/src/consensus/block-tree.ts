import { entryId } from '../intel/entry.js';
import type { Block, QuorumCertificate } from './types.js';

/** What HotStuff's update(b*) found: the certificate to lock on, and the block the three-chain commits. */
export interface ChainUpdate {
  /** The certificate of b' (two-chain head), when b' is known. */
  readonly lock?: QuorumCertificate;
  /** b, when b ← b' ← b'' is a direct chain of consecutive views (three-chain). */
  readonly commit?: Block;
}

/**
 * The blocks a replica holds in memory: the committed tip and every known block above it. Committed
 * ancestors are evicted (they remain in storage).
 *
 * @internal
 */
export class BlockTree {
  readonly #blocks = new Map<string, Block>();

  /** The block with `hash`, when held. */
  get(hash: string): Block | undefined {
    return this.#blocks.get(hash);
  }

  /** Whether the block is held. */
  has(hash: string): boolean {
    return this.#blocks.has(hash);
  }

  /** Holds a block. */
  add(b: Block): void {
    this.#blocks.set(b.hash, b);
  }

  /** Drops a block. */
  delete(hash: string): void {
    this.#blocks.delete(hash);
  }

  /** Drops every block below `height` except `keep`. */
  pruneBelow(height: number, keep?: string): void {
    for (const [hash, b] of this.#blocks)
      if (b.height < height && hash !== keep && b.height > 0) this.#blocks.delete(hash);
  }

  /** Whether `b` descends from (or is) the block `ancestor` certifies. */
  extends(b: Block, ancestor: QuorumCertificate): boolean {
    let cur: Block | undefined = b;
    while (cur !== undefined && cur.height > ancestor.height) cur = this.#blocks.get(cur.parent);
    return cur !== undefined && cur.hash === ancestor.blockHash;
  }

  /**
   * The lock and commit rules of chained HotStuff for a new block b*: b'' = b*.justify's block,
   * b' = b''.justify's block (lock), b = b'.justify's block (commit when the chain is direct and its views
   * consecutive).
   */
  update(bStar: Block): ChainUpdate {
    const b2 = this.#blocks.get(bStar.justify.blockHash);
    if (b2 === undefined) return {};
    const b1 = this.#blocks.get(b2.justify.blockHash);
    if (b1 === undefined) return {};
    const b0 = this.#blocks.get(b1.justify.blockHash);
    const direct =
      b0 !== undefined &&
      b2.parent === b1.hash &&
      b1.parent === b0.hash &&
      b2.view === b1.view + 1 &&
      b1.view === b0.view + 1;
    return { lock: b2.justify, ...(direct ? { commit: b0 } : {}) };
  }

  /**
   * The chain from the committed tip (exclusive) up to `b0` (inclusive), oldest first; undefined when it
   * does not reach the tip — impossible unless more than f validators are Byzantine.
   */
  chainTo(b0: Block, committedHeight: number, committedHash: string): Block[] | undefined {
    const out: Block[] = [];
    let cur: Block | undefined = b0;
    while (cur !== undefined && cur.height > committedHeight) {
      out.push(cur);
      cur = this.#blocks.get(cur.parent);
    }
    return cur !== undefined && cur.hash === committedHash ? out.reverse() : undefined;
  }

  /** Whether an uncommitted block from `hash` down to the committed height carries entries. */
  carriesEntries(hash: string, committedHeight: number): boolean {
    for (let cur = this.#blocks.get(hash); cur !== undefined && cur.height > committedHeight; ) {
      if (cur.entries.length > 0) return true;
      cur = this.#blocks.get(cur.parent);
    }
    return false;
  }

  /** The ids of the entries in uncommitted blocks from `hash` down: a proposer must not repeat them. */
  inFlight(hash: string, committedHeight: number): Set<string> {
    const ids = new Set<string>();
    for (let cur = this.#blocks.get(hash); cur !== undefined && cur.height > committedHeight; ) {
      for (const e of cur.entries) ids.add(entryId(e));
      cur = this.#blocks.get(cur.parent);
    }
    return ids;
  }
}
