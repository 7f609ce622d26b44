import { CatchUp } from './catch-up.js';
import type { ReplicaCore } from './replica-core.js';
import type { Block } from './types.js';
import { onProposal, processBlock, tryPropose } from './voting.js';

/*
 * State transfer: linking a fetched chain to the block tree and replaying HotStuff's update rule over it.
 */

/** State transfer: link fetched blocks (newest first) to the known tree, then replay update() over them. @internal */
export async function onBlocks(r: ReplicaCore, blocks: readonly Block[], peer: string): Promise<void> {
  const epoch = r.e;
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i] as Block;
    const child = blocks[i - 1];
    if (!r.checkBlock(b) || (child !== undefined && child.parent !== b.hash)) {
      return r.drop('bad fetched chain', peer, true);
    }
  }
  if (blocks.length === 0) return;
  const linked = CatchUp.link(blocks, r.blocks, r.state.committedHeight);
  if (linked.kind === 'forks') return r.drop('fetched chain forks the committed chain', peer);
  if (linked.kind === 'missing') {
    if (r.catchUp.knows(peer, r.e)) r.catchUp.request(peer, linked.parent, r.state.committedHeight);
    return;
  }
  const { ascending } = linked;
  for (const b of ascending) if (r.e === epoch) await processBlock(r, b, false);
  if (r.e !== epoch) return;
  for (const b of ascending) {
    const waiting = r.waiting.get(b.hash);
    if (waiting === undefined) continue;
    r.waiting.delete(b.hash);
    for (const w of waiting) await onProposal(r, w, peer);
  }
  await tryPropose(r);
}
