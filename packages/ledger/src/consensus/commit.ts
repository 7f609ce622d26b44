import { entryId } from '../intel/entry.js';
import type { StoreWrite } from '../storage/store.js';
import { CatchUp, type EndedEpoch } from './catch-up.js';
import { planCommit } from './epoch.js';
import type { ReplicaCore } from './replica-core.js';
import { blockJson, type Checkpoint, commitWrites, keys } from './state.js';
import type { Block } from './types.js';

/*
 * Committing: one synced write batch per processed block (blocks, checkpoint, safety state, and at an epoch
 * boundary the closing chain and the next epoch's fresh state), then log compaction at checkpoints.
 */

/** Commits `chain` (cut at an epoch boundary) and records the vote for `voted` in one synced batch. @internal */
export async function persist(r: ReplicaCore, chain: Block[], voted: Block | undefined): Promise<void> {
  const { blocks, committed, next } = planCommit(
    r.e,
    chain,
    (id) => r.committedIds.has(id),
    r.log.size,
    r.c.self,
    entryId,
  );
  const tip = blocks[blocks.length - 1];
  if (tip !== undefined) r.state = { ...r.state, committedHeight: tip.height, committedHash: tip.hash };
  const writes: StoreWrite[] = commitWrites(blocks);
  if (voted !== undefined && next === undefined && blocks.every((b) => b.hash !== voted.hash)) {
    writes.push({ key: keys.voted(voted.hash), value: blockJson(voted) });
  }
  // The log copies each leaf hash into its own buffer: one decoded view per id is enough.
  for (const e of committed) r.log.appendLeafHash(Buffer.from(e.id, 'hex'));
  // A checkpoint when the commit crosses a checkpoint interval, and always at an epoch's last block.
  let checkpoint: Checkpoint | undefined;
  if (
    tip !== undefined &&
    (next !== undefined ||
      Math.floor(tip.height / r.c.checkpointInterval) >
        Math.floor((tip.height - blocks.length) / r.c.checkpointInterval))
  ) {
    checkpoint = {
      height: tip.height,
      blockHash: tip.hash,
      treeSize: r.log.size,
      root: r.rootHex(),
    };
    writes.push({ key: keys.checkpoint(tip.height), value: JSON.stringify(checkpoint) });
  }
  let ended: EndedEpoch | undefined;
  if (next !== undefined && tip !== undefined) {
    // Keep the blocks above the boundary up to the one whose processing committed it: replicas still in
    // this epoch need them to see the commit (state transfer across the boundary).
    const closing = CatchUp.closingChain(r.blocks, r.leaf, tip.height);
    ended = { epoch: r.e, end: tip.height, closing };
    writes.push({ key: keys.closing(r.e.number), value: JSON.stringify(closing) });
    r.state = r.enter(next);
  }
  writes.push({ key: keys.state, value: JSON.stringify(r.state) });
  await r.c.store.write(writes);
  if (ended !== undefined) {
    r.catchUp.ended.push(ended);
    r.c.logger.info({ epoch: r.e.number, height: ended.end, member: r.member }, 'ledger replica: new epoch');
  }
  for (const e of committed) {
    r.committedIds.add(e.id);
    r.mempool.delete(e.id);
  }
  for (const b of blocks) for (const e of b.entries) r.mempool.delete(entryId(e));
  if (tip !== undefined) {
    // Committed ancestors live on in storage (fetches read them there); memory keeps the tip and above.
    if (ended === undefined) r.blocks.pruneBelow(tip.height, tip.hash);
    r.counters.committedBlocks += blocks.length;
    r.c.onCommit(committed, r.log, tip);
    if (checkpoint !== undefined) compact(r, checkpoint);
    r.pacemaker.arm(true);
  }
}

/** Log compaction at a checkpoint: forget consensus state (blocks, votes, NEW-VIEWs) below it. @internal */
export function compact(r: ReplicaCore, cp: Checkpoint): void {
  r.lastCheckpoint = cp;
  r.blocks.pruneBelow(cp.height, r.state.committedHash);
  const horizon = r.state.view - 8;
  r.collector.forgetBelow(horizon);
  r.equivocation.forgetBelow(horizon);
}
