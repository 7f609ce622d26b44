import { entryId, type LedgerEntry } from '../intel/entry.js';
import type { CommittedEntry } from '../intel/intel-index.js';
import type { MerkleLog } from '../merkle/log.js';
import { newViewStatement, signHex } from './certificates.js';
import { decodeMessage } from './codec.js';
import { boundaryIn, makeEpoch, validatorsOf } from './epoch.js';
import { ReplicaCore } from './replica-core.js';
import type { ReplicaConfig, ReplicaStats } from './replica-types.js';
import { assignIndexes, type Checkpoint, keys, recover } from './state.js';
import { onBlocks } from './state-transfer.js';
import type { Block, ConsensusMessage, Validator } from './types.js';
import { onNewView, onTimeout, otherEpoch } from './view-change.js';
import { onProposal, onVote, submit, tryPropose } from './voting.js';

/**
 * One replica of chained HotStuff (Yin, Malkhi, Reiter, Gueta, Abraham: "HotStuff: BFT Consensus with
 * Linearity and Responsiveness", PODC 2019, Algorithm 3 with the pacemaker of §5). n = 3f+1 validators; a
 * quorum is 2f+1. Each block carries the certificate of its parent; a replica votes for a block when it is
 * the first in its view and extends the locked block or justifies itself with a newer certificate than the
 * lock (safeNode); seeing block b* it locks on b' (two-chain) and commits b when b ← b' ← b'' form a direct
 * chain of consecutive views (three-chain). Messages are processed one at a time, in arrival order.
 *
 * @internal
 */
export class Replica {
  readonly #r: ReplicaCore;

  constructor(config: ReplicaConfig) {
    this.#r = new ReplicaCore(config, {
      handle: (m, peer) => this.#handle(m, peer),
      onTimeout: () => onTimeout(this.#r),
    });
  }

  /** The Merkle log of committed entries. */
  get log(): MerkleLog {
    return this.#r.log;
  }

  /** This replica's index in the current validator set, -1 when it only follows. */
  get member(): boolean {
    return this.#r.member;
  }

  /** The current epoch's number and validators. */
  get epoch(): {
    readonly number: number;
    readonly validators: readonly Validator[];
    readonly chain: string;
  } {
    return { number: this.#r.e.number, validators: this.#r.e.validators, chain: this.#r.e.chain };
  }

  /** Counters. */
  get stats(): ReplicaStats {
    return {
      ...this.#r.counters,
      epoch: this.#r.e.number,
      view: this.#r.state.view,
      committedHeight: this.#r.state.committedHeight,
      highQCView: this.#r.state.highQC.view,
      lockedQCView: this.#r.state.lockedQC.view,
    };
  }

  /** The current view. */
  get view(): number {
    return this.#r.state.view;
  }

  /** The committed height. */
  get committedHeight(): number {
    return this.#r.state.committedHeight;
  }

  /** The latest checkpoint. */
  get checkpoint(): Checkpoint | undefined {
    return this.#r.lastCheckpoint;
  }

  /** Restores from the store and starts listening. */
  async start(): Promise<CommittedEntry[]> {
    const r = await recover(this.#r.c.store);
    // Replaying the committed blocks reproduces the log and every epoch boundary the live replica crossed.
    const entries: CommittedEntry[] = [];
    let fresh = this.#r.state;
    for (const b of r.blocks) {
      const committed = assignIndexes([b], this.#r.committedIds, this.#r.log.size, entryId);
      for (const e of committed) {
        this.#r.log.appendLeafHash(new Uint8Array(Buffer.from(e.id, 'hex')));
        this.#r.committedIds.add(e.id);
        entries.push(e);
      }
      const next = b.epoch === this.#r.e.number ? boundaryIn(this.#r.e, committed) : undefined;
      if (next !== undefined) {
        const raw = await this.#r.c.store.get(keys.closing(this.#r.e.number));
        this.#r.catchUp.ended.push({
          epoch: this.#r.e,
          end: b.height,
          closing: raw === undefined ? [] : (JSON.parse(raw) as Block[]),
        });
        fresh = this.#r.enter(makeEpoch(next.epoch, validatorsOf(next), this.#r.c.self, b.height, b.hash));
      }
    }
    this.#r.state = fresh;
    if (r.state !== undefined && r.state.epoch === this.#r.e.number) {
      this.#r.state = { ...r.state, view: Math.max(r.state.view, r.state.lastVotedView) };
      if (r.tip !== undefined && r.state.committedHash === r.tip.hash) {
        this.#r.blocks.add(r.tip);
        this.#r.leaf = r.tip.hash;
      }
    }
    for (const b of r.voted)
      if (b.epoch === this.#r.e.number && b.height > this.#r.state.committedHeight) this.#r.blocks.add(b);
    this.#r.c.transport.onMessage((peer, frame) => this.#receive(peer, frame));
    this.#r.pacemaker.startHeartbeat();
    if (r.state !== undefined && this.#r.member) {
      // A restarted replica announces itself; peers that are ahead answer with their chain (catch-up).
      const high = this.#r.state.highQC;
      const signature = signHex(
        newViewStatement(this.#r.e.chain, this.#r.state.view, high),
        this.#r.c.secretKey,
      );
      this.#r.broadcast(
        {
          t: 'newview',
          epoch: this.#r.e.number,
          view: this.#r.state.view,
          highQC: high,
          sender: { voter: this.#r.e.index, signature },
        },
        false,
      );
    }
    if (!this.#r.member)
      this.#r.broadcast(
        { t: 'status', epoch: this.#r.e.number, height: this.#r.state.committedHeight },
        false,
      );
    return entries;
  }

  /** Stops timers; pending work is abandoned. */
  async stop(): Promise<void> {
    this.#r.closed = true;
    this.#r.pacemaker.stop();
    await this.#r.queue.catch(() => undefined);
  }

  /** Adds entries to the mempool and gossips them to every replica. */
  submit(entries: readonly LedgerEntry[]): void {
    submit(this.#r, entries);
  }

  #receive(peer: string, frame: Uint8Array): void {
    this.#r.counters.received++;
    const m = decodeMessage(frame, this.#r.limits);
    if (m === undefined) {
      this.#r.drop('malformed', peer);
      return;
    }
    this.#r.enqueue(() => this.#handle(m, peer));
  }

  async #handle(m: ConsensusMessage, peer = 'self'): Promise<void> {
    switch (m.t) {
      case 'proposal':
        if (m.block.epoch !== this.#r.e.number) return otherEpoch(this.#r, m.block.epoch, peer);
        return onProposal(this.#r, m, peer);
      case 'vote':
        if (m.epoch !== this.#r.e.number) return otherEpoch(this.#r, m.epoch, peer);
        return onVote(this.#r, m, peer);
      case 'newview':
        if (m.epoch !== this.#r.e.number) return otherEpoch(this.#r, m.epoch, peer);
        return onNewView(this.#r, m, peer);
      case 'submit':
        for (const e of m.entries) this.#r.addToMempool(e);
        this.#r.pacemaker.arm();
        return tryPropose(this.#r);
      case 'fetch':
        return this.#r.catchUp.serve(peer, m.hash, m.since, this.#r.blocks);
      case 'blocks':
        return onBlocks(this.#r, m.blocks, peer);
      case 'status':
        // A peer behind us that may have nothing to do (so no timeouts, no NEW-VIEWs): push our chain —
        // or, when it is still in an epoch that has ended, the chain that ended it.
        if (
          peer !== 'self' &&
          m.height < this.#r.state.committedHeight &&
          this.#r.catchUp.knows(peer, this.#r.e)
        ) {
          return this.#r.catchUp.push(peer, m.height, this.#r.blocks, this.#r.leaf);
        }
        return;
    }
  }
}
