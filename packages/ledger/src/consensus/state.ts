import type { CommittedEntry } from '../intel/intel-index.js';
import type { LedgerStore, StoreWrite } from '../storage/store.js';
import type { Block, QuorumCertificate } from './types.js';

/** The safety state a replica must never forget across a crash (HotStuff's vheight, b_lock and qc_high). */
export interface SafetyState {
  /** The epoch the replica is in (views, votes and locks are per epoch). */
  readonly epoch: number;
  /** The highest view voted in: never vote twice in one view. */
  readonly lastVotedView: number;
  /** The view the replica was in. */
  readonly view: number;
  /** The lock (certificate of the locked block). */
  readonly lockedQC: QuorumCertificate;
  /** The highest certificate known. */
  readonly highQC: QuorumCertificate;
  /** The committed tip. */
  readonly committedHeight: number;
  /** Hash of the committed tip. */
  readonly committedHash: string;
}

/** A checkpoint: the committed tip and the log's size and root at a height. */
export interface Checkpoint {
  /** Block height. */
  readonly height: number;
  /** Block hash, hex. */
  readonly blockHash: string;
  /** Log size after that block. */
  readonly treeSize: number;
  /** Log root after that block, hex. */
  readonly root: string;
}

const pad = (n: number) => n.toString(16).padStart(16, '0');

/** Storage keys (fixed-width hex numbers so that LevelDB's byte order is numeric order). */
export const keys = {
  state: 'm/state',
  block: (height: number) => `b/${pad(height)}`,
  blockIndex: (hash: string) => `h/${hash}`,
  voted: (hash: string) => `u/${hash}`,
  checkpoint: (height: number) => `c/${pad(height)}`,
  closing: (epoch: number) => `x/${pad(epoch)}`,
} as const;

/**
 * The stored form of a block, JSON. A block is immutable once built or decoded, and the same block is
 * written twice — as the uncommitted block a replica voted for, then as a committed one — so its JSON (the
 * largest string a replica builds per block) is made once per block object.
 */
const blockJsonCache = new WeakMap<Block, string>();

/** The JSON a block is stored as, made once per block object. @internal */
export function blockJson(b: Block): string {
  let json = blockJsonCache.get(b);
  if (json === undefined) {
    json = JSON.stringify(b);
    blockJsonCache.set(b, json);
  }
  return json;
}

/**
 * The writes that commit blocks: each block (entries inside, stored once) and its hash index. Log positions
 * are not stored: they follow from replaying the committed blocks in height order, skipping entries already
 * seen — exactly what the live replica did — so a block costs two keys, not one key per entry.
 */
export function commitWrites(blocks: readonly Block[]): StoreWrite[] {
  const out: StoreWrite[] = [];
  for (const b of blocks) {
    out.push({ key: keys.block(b.height), value: blockJson(b) });
    out.push({ key: keys.blockIndex(b.hash), value: String(b.height) });
    out.push({ key: keys.voted(b.hash) });
  }
  return out;
}

/** Log positions of the new entries of committed blocks, in order, skipping ids already committed. */
export function assignIndexes(
  blocks: readonly Block[],
  committed: { has(id: string): boolean },
  start: number,
  idOf: (e: Block['entries'][number]) => string,
): CommittedEntry[] {
  const out: CommittedEntry[] = [];
  const fresh = new Set<string>();
  let index = start;
  for (const b of blocks) {
    for (const entry of b.entries) {
      const id = idOf(entry);
      if (committed.has(id) || fresh.has(id)) continue;
      fresh.add(id);
      out.push({ id, index: index++, height: b.height, committedAt: b.timestamp, entry });
    }
  }
  return out;
}

/** What a replica recovers from its store at start. */
export interface Recovered {
  /** The safety state, when the store is not fresh. */
  readonly state?: SafetyState;
  /** The committed tip block. */
  readonly tip?: Block;
  /** The committed blocks, by height (genesis excluded). */
  readonly blocks: Block[];
  /** Uncommitted blocks it had voted for. */
  readonly voted: Block[];
  /** Every committed entry, in log order. */
  readonly entries: CommittedEntry[];
}

/** Reads everything a replica needs to resume. */
export async function recover(store: LedgerStore): Promise<Omit<Recovered, 'entries'>> {
  const raw = await store.get(keys.state);
  const blocks: Block[] = [];
  for await (const [, v] of store.scan('b/')) blocks.push(JSON.parse(v) as Block);
  const voted: Block[] = [];
  for await (const [, v] of store.scan('u/')) voted.push(JSON.parse(v) as Block);
  if (raw === undefined) return { voted, blocks };
  const state = JSON.parse(raw) as SafetyState;
  const tip = blocks.find((b) => b.height === state.committedHeight);
  return { state, voted, blocks, ...(tip === undefined ? {} : { tip }) };
}

/** Reads a committed block by hash (for answering fetches of blocks no longer in memory). */
export async function readBlockByHash(store: LedgerStore, hash: string): Promise<Block | undefined> {
  const h = await store.get(keys.blockIndex(hash));
  if (h === undefined) return undefined;
  const raw = await store.get(keys.block(Number(h)));
  return raw === undefined ? undefined : (JSON.parse(raw) as Block);
}
