import type { LedgerEntry } from '../intel/entry.js';
import { blockHash, proposalStatement, signHex, verifyHex, voteStatement } from './certificates.js';
import { persist } from './commit.js';
import type { ReplicaCore } from './replica-core.js';
import type { Block, ProposalMessage, VoteMessage } from './types.js';

/*
 * Proposals and votes of chained HotStuff (Algorithm 3): checking a proposal, HotStuff's update(b*) (lock
 * and commit rules) and safeNode vote, collecting votes into certificates, and proposing as leader.
 */

/** Handles a proposal: checks leader, signature, block and certificate, detects equivocation, then processes it. @internal */
export async function onProposal(r: ReplicaCore, m: ProposalMessage, peer: string): Promise<void> {
  const b = m.block;
  if (b.proposer !== r.leader(b.view)) return r.drop('not the leader', peer);
  if (!verifyHex(r.e.validators, b.proposer, proposalStatement(r.e.chain, b.view, b.hash), m.signature)) {
    return r.drop('bad proposal signature', peer, true);
  }
  if (!r.checkBlock(b)) return r.drop('bad block or certificate', peer, true);
  const ev = r.equivocation.proposal(r.e.validators[b.proposer], b.view, b.hash, m.signature);
  if (ev !== undefined) {
    r.counters.equivocations++;
    r.c.logger.warn({ proposer: b.proposer, view: b.view }, 'ledger replica: equivocating proposer');
    submit(r, [ev]);
    return;
  }
  if (b.height <= r.state.committedHeight || r.blocks.has(b.hash)) return;
  const parent = r.blocks.get(b.parent);
  if (parent === undefined) {
    const list = r.waiting.get(b.parent) ?? [];
    if (list.length < 4) list.push(m);
    r.waiting.set(b.parent, list);
    r.send(b.proposer, { t: 'fetch', hash: b.parent, since: r.state.committedHeight });
    return;
  }
  if (b.height !== parent.height + 1 || b.view <= parent.view) return r.drop('bad height or view', peer);
  r.blocks.add(b);
  await processBlock(r, b, true);
  const waiting = r.waiting.get(b.hash);
  if (waiting !== undefined) {
    r.waiting.delete(b.hash);
    for (const w of waiting) await onProposal(r, w, peer);
  }
}

/** HotStuff's update(b*) and, when allowed, its vote; then one synced batch; then the vote is sent. @internal */
export async function processBlock(r: ReplicaCore, b: Block, mayVote: boolean): Promise<void> {
  if (b.epoch !== r.e.number) return;
  const epoch = r.e;
  r.updateHighQC(b.justify);
  const { lock, commit } = r.blocks.update(b);
  if (lock !== undefined && lock.height > r.state.lockedQC.height) r.state = { ...r.state, lockedQC: lock };
  let toCommit: Block[] = [];
  if (commit !== undefined && commit.height > r.state.committedHeight) {
    const chain = r.blocks.chainTo(commit, r.state.committedHeight, r.state.committedHash);
    if (chain === undefined) {
      // Only possible if more than f validators are Byzantine: refuse rather than fork.
      r.c.logger.fatal(
        { height: commit.height },
        'ledger replica: commit does not extend the committed chain',
      );
    } else {
      toCommit = chain;
      if (toCommit.length > 0) r.leaf = b.hash;
    }
  }
  const vote =
    mayVote &&
    epoch.index >= 0 &&
    b.view >= r.state.view &&
    b.view > r.state.lastVotedView &&
    (r.blocks.extends(b, r.state.lockedQC) || b.justify.view > r.state.lockedQC.view);
  if (vote) r.state = { ...r.state, lastVotedView: b.view, view: b.view };
  await persist(r, toCommit, vote ? b : undefined);
  // The commit may have crossed an epoch boundary: the vote belonged to the ended epoch, and the new
  // epoch's first leader may propose at once.
  if (r.e !== epoch) return tryPropose(r);
  if (vote && r.e === epoch) {
    const signature = signHex(voteStatement(r.e.chain, b.view, b.height, b.hash), r.c.secretKey);
    r.send(r.leader(b.view + 1), {
      t: 'vote',
      epoch: r.e.number,
      view: b.view,
      height: b.height,
      blockHash: b.hash,
      vote: { voter: r.e.index, signature },
    });
    r.pacemaker.progressed();
    r.pacemaker.arm(true);
  }
}

/** Handles a vote as the next leader: verifies it, detects equivocation, forms a certificate at 2f+1. @internal */
export async function onVote(r: ReplicaCore, m: VoteMessage, peer: string): Promise<void> {
  if (r.leader(m.view + 1) !== r.e.index) return r.drop('not the next leader', peer);
  if (m.view + 1 < r.state.view - 1) return;
  const statement = voteStatement(r.e.chain, m.view, m.height, m.blockHash);
  if (!verifyHex(r.e.validators, m.vote.voter, statement, m.vote.signature)) {
    return r.drop('bad vote signature', peer, true);
  }
  const ev = r.equivocation.vote(r.e.validators[m.vote.voter], m.view, m.blockHash, m.vote.signature);
  if (ev !== undefined) {
    r.counters.equivocations++;
    submit(r, [ev]);
    return;
  }
  const qc = r.collector.vote(m.view, m.height, m.blockHash, m.vote.voter, m.vote.signature);
  if (qc === undefined) return;
  r.updateHighQC(qc);
  if (r.state.view < m.view + 1) r.state = { ...r.state, view: m.view + 1 };
  await tryPropose(r);
}

/** Proposes a block of mempool entries when this replica leads the view and holds a certificate for it. @internal */
export async function tryPropose(r: ReplicaCore): Promise<void> {
  const view = r.state.view;
  if (r.closed || r.leader(view) !== r.e.index || r.proposedView >= view) return;
  const high = r.state.highQC;
  const ready = high.view === view - 1 || r.collector.newViewCount(view) >= r.e.quorum;
  if (!ready || !r.hasWork()) return;
  const parent = r.blocks.get(high.blockHash);
  if (parent === undefined) return r.fetchFromAll(high.blockHash);
  const inFlight = r.blocks.inFlight(parent.hash, r.state.committedHeight);
  const entries: LedgerEntry[] = [];
  for (const [id, e] of r.mempool) {
    if (entries.length >= r.c.maxBlockEntries) break;
    if (!inFlight.has(id)) entries.push(e);
  }

  r.proposedView = view;
  const header = {
    epoch: r.e.number,
    view,
    height: parent.height + 1,
    parent: parent.hash,
    justify: high,
    proposer: r.e.index,
    timestamp: r.now(),
    entries,
  };
  const block: Block = { ...header, hash: blockHash(header) };
  const signature = signHex(proposalStatement(r.e.chain, view, block.hash), r.c.secretKey);
  r.broadcast({ t: 'proposal', block, signature }, true);
}

/** Adds entries to the mempool and gossips them to every replica; the leader may propose them. @internal */
export function submit(r: ReplicaCore, entries: readonly LedgerEntry[]): void {
  const fresh = entries.filter((e) => r.addToMempool(e));
  if (fresh.length === 0) return;
  r.broadcast({ t: 'submit', entries: fresh }, false);
  r.enqueue(async () => tryPropose(r));
  r.pacemaker.arm();
}
