import type { LedgerStore } from '../storage/store.js';
import type { Transport } from '../transport/transport.js';
import type { BlockTree } from './block-tree.js';
import { encodeMessage } from './codec.js';
import type { Epoch } from './epoch.js';
import { readBlockByHash } from './state.js';
import type { Block } from './types.js';

/** Most blocks in one fetch response. */
export const MAX_FETCH_BLOCKS = 64;

/** An epoch that has ended, kept to bring replicas still in it across the boundary. @internal */
export interface EndedEpoch {
  /** The epoch. */
  readonly epoch: Epoch;
  /** The boundary: the height of the block that committed the reconfiguration. */
  readonly end: number;
  /** The uncommitted blocks above the boundary, newest first, up to the one that made the commit. */
  readonly closing: readonly Block[];
}

/** What linking a fetched chain to the block tree found. @internal */
export type LinkResult =
  | { readonly kind: 'forks' }
  | { readonly kind: 'missing'; readonly parent: string }
  | { readonly kind: 'linked'; readonly ascending: Block[] };

/**
 * Catch-up and state transfer: serving a lagging peer the chain it misses (from memory, from the closing
 * chains of ended epochs, or from storage) and linking a fetched chain to the local tree.
 *
 * @internal
 */
export class CatchUp {
  readonly #store: LedgerStore;
  readonly #transport: Transport;
  readonly #self: string;
  /** Ended epochs, oldest first. */
  readonly ended: EndedEpoch[] = [];

  constructor(store: LedgerStore, transport: Transport, self: string) {
    this.#store = store;
    this.#transport = transport;
    this.#self = self;
  }

  /** Whether `peer` is a validator of `current` or an ended epoch (catch-up is served to them only). */
  knows(peer: string, current: Epoch): boolean {
    return [current, ...this.ended.map((x) => x.epoch)].some((e) => e.validators.some((v) => v.id === peer));
  }

  /** Asks `peer` for the block `hash` and its ancestors above `since`. */
  request(peer: string, hash: string, since: number): void {
    this.#transport.send(peer, encodeMessage({ t: 'fetch', hash, since }));
  }

  /**
   * Sends a peer behind us the chain down to its committed height, from the epoch it is still in: the chain
   * up to our latest commit, or the closing chain of the ended epoch it has not left.
   */
  async push(peer: string, since: number, tree: BlockTree, leaf: string): Promise<void> {
    const ended = this.ended.find((x) => x.end > since);
    const from = ended === undefined ? leaf : ended.closing[0]?.hash;
    if (from !== undefined) await this.serve(peer, from, since, tree);
  }

  /** Answers a fetch: `hash` and its ancestors above `since`, newest first, at most MAX_FETCH_BLOCKS. */
  async serve(peer: string, hash: string, since: number, tree: BlockTree): Promise<void> {
    if (peer === 'self' || peer === this.#self) return;
    const blocks: Block[] = [];
    let next: string | undefined = hash;
    while (next !== undefined && blocks.length < MAX_FETCH_BLOCKS) {
      const b: Block | undefined =
        tree.get(next) ?? this.#closingBlock(next) ?? (await readBlockByHash(this.#store, next));
      // Genesis blocks (view 0) are derived, never sent.
      if (b === undefined || b.height <= since || b.view === 0) break;
      blocks.push(b);
      next = b.parent;
    }
    if (blocks.length > 0) this.#transport.send(peer, encodeMessage({ t: 'blocks', blocks }));
  }

  #closingBlock(hash: string): Block | undefined {
    for (const x of this.ended) for (const b of x.closing) if (b.hash === hash) return b;
    return undefined;
  }

  /** The blocks above `boundary` from `leaf` down, newest first: the closing chain of an epoch. */
  static closingChain(tree: BlockTree, leaf: string, boundary: number): Block[] {
    const closing: Block[] = [];
    for (let cur = tree.get(leaf); cur !== undefined && cur.height > boundary; ) {
      closing.push(cur);
      cur = tree.get(cur.parent);
    }
    return closing;
  }

  /**
   * Links a verified fetched chain (newest first, each the parent of the one before) to the tree: either the
   * unprocessed chain above `committedHeight`, oldest first (earlier partial fetches included), or the parent
   * still missing, or a fork of the committed chain.
   */
  static link(blocks: readonly Block[], tree: BlockTree, committedHeight: number): LinkResult {
    const oldest = blocks[blocks.length - 1] as Block;
    if (!tree.has(oldest.parent)) {
      if (oldest.height <= committedHeight + 1) return { kind: 'forks' };
      for (const b of blocks) tree.add(b);
      return { kind: 'missing', parent: oldest.parent };
    }
    for (const b of blocks) tree.add(b);
    const ascending: Block[] = [];
    for (let cur: Block | undefined = blocks[0]; cur !== undefined && cur.height > committedHeight; ) {
      ascending.push(cur);
      cur = tree.get(cur.parent);
    }
    return { kind: 'linked', ascending: ascending.reverse() };
  }
}
