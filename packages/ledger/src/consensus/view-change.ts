import { newViewStatement, signHex, verifyHex } from './certificates.js';
import { encodeMessage } from './codec.js';
import { nextTerm } from './pacemaker.js';
import type { ReplicaCore } from './replica-core.js';
import { keys } from './state.js';
import type { NewViewMessage } from './types.js';
import { tryPropose } from './voting.js';

/*
 * View change (HotStuff §5 pacemaker): NEW-VIEW messages, view synchronisation, timeouts — and messages of
 * another epoch, which a replica must drop but which tell it that it missed a boundary.
 */

/**
 * A message of another epoch is dropped: its signatures are over another chain id and its voter indexes
 * name another set. One from a later epoch means this replica missed a boundary: ask that peer for it.
 *
 * @internal
 */
export function otherEpoch(r: ReplicaCore, epoch: number, peer: string): void {
  r.counters.wrongEpoch++;
  r.drop('wrong epoch', peer);
  const now = r.c.clock.now();
  if (epoch > r.e.number && peer !== 'self' && now - r.lastEpochHint >= r.c.viewTimeoutMs) {
    r.lastEpochHint = now;
    r.c.transport.send(
      peer,
      encodeMessage({ t: 'status', epoch: r.e.number, height: r.state.committedHeight }),
    );
  }
}

/** Handles a NEW-VIEW: pushes our chain to a replica behind us, follows f+1 replicas to a later view. @internal */
export async function onNewView(r: ReplicaCore, m: NewViewMessage, peer: string): Promise<void> {
  if (
    !verifyHex(
      r.e.validators,
      m.sender.voter,
      newViewStatement(r.e.chain, m.view, m.highQC),
      m.sender.signature,
    )
  ) {
    return r.drop('bad new-view signature', peer, true);
  }
  if (!r.e.certs.verify(m.highQC)) return r.drop('bad certificate', peer, true);
  // A replica behind us (its highest certificate is older): push it our chain so it can catch up even
  // when no new proposals are coming (state transfer without a request round trip).
  const leaf = r.blocks.get(r.leaf);
  if (leaf !== undefined && m.highQC.view <= leaf.view && m.sender.voter !== r.e.index) {
    const to = r.e.validators[m.sender.voter];
    if (to !== undefined) await r.catchUp.serve(to.id, r.leaf, Math.max(0, m.highQC.height - 1), r.blocks);
  }
  if (m.view <= r.state.view - 1 && r.leader(m.view) !== r.e.index) return;
  r.updateHighQC(m.highQC);
  const senders = r.collector.newView(m.view, m.sender.voter, m.highQC);
  // f+1 replicas moved on: at least one honest one timed out, so follow (view synchronization).
  if (senders > r.e.f && m.view > r.state.view) {
    r.state = { ...r.state, view: m.view };
    r.pacemaker.arm(true);
  }
  if (!r.blocks.has(r.state.highQC.blockHash)) {
    r.send(m.sender.voter, {
      t: 'fetch',
      hash: r.state.highQC.blockHash,
      since: r.state.committedHeight,
    });
  }
  await tryPropose(r);
}

/** The view timer fired: skip the failed leader's term and broadcast a NEW-VIEW. @internal */
export async function onTimeout(r: ReplicaCore): Promise<void> {
  if (!r.hasWork()) return;
  if (!r.member) {
    // A learner has no view to change: it re-announces pending entries and asks to be caught up.
    const pending = [...r.mempool.values()].slice(0, r.c.maxBlockEntries);
    if (pending.length > 0) r.broadcast({ t: 'submit', entries: pending }, false);
    r.broadcast({ t: 'status', epoch: r.e.number, height: r.state.committedHeight }, false);
    r.pacemaker.arm(true);
    return;
  }
  if (!r.blocks.has(r.state.highQC.blockHash)) r.fetchFromAll(r.state.highQC.blockHash);
  r.counters.timeouts++;
  r.pacemaker.timedOut();
  // A timeout means the leader failed: skip the rest of its term.
  const view = nextTerm(r.state.view);
  r.state = { ...r.state, view };
  await r.c.store.write([{ key: keys.state, value: JSON.stringify(r.state) }]);
  const high = r.state.highQC;
  const signature = signHex(newViewStatement(r.e.chain, view, high), r.c.secretKey);
  // Sent to everyone (not only the next leader) so that lagging replicas synchronise their views too.
  r.broadcast(
    {
      t: 'newview',
      epoch: r.e.number,
      view,
      highQC: high,
      sender: { voter: r.e.index, signature },
    },
    true,
  );
  // Gossip is lossy: re-announce pending entries so every replica knows there is work to agree on.
  const pending = [...r.mempool.values()].slice(0, r.c.maxBlockEntries);
  if (pending.length > 0) r.broadcast({ t: 'submit', entries: pending }, false);
  r.pacemaker.arm(true);
}
