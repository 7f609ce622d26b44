import { entryId, type LedgerEntry } from '../intel/entry.js';
import { MerkleLog } from '../merkle/log.js';
import { BlockTree } from './block-tree.js';
import { CatchUp, MAX_FETCH_BLOCKS } from './catch-up.js';
import { blockHash, genesisQC } from './certificates.js';
import { type CodecLimits, encodeMessage } from './codec.js';
import { type Epoch, makeEpoch } from './epoch.js';
import { EquivocationDetector } from './equivocation.js';
import { leaderOf, Pacemaker } from './pacemaker.js';
import type { ReplicaConfig } from './replica-types.js';
import type { Checkpoint, SafetyState } from './state.js';
import type { Block, ConsensusMessage, ProposalMessage, QuorumCertificate } from './types.js';
import { VoteCollector } from './vote-collector.js';

/**
 * The state of one replica and the plumbing every part of the protocol shares: the current epoch, the block
 * tree, the mempool, the safety state, the message queue and the transport. The protocol's steps live in
 * their own modules (voting, commit, view change, state transfer) as functions of this state; messages are
 * processed one at a time, in arrival order, through {@link ReplicaCore.enqueue}.
 *
 * @internal
 */
export class ReplicaCore {
  /** The replica's settings. */
  readonly c: ReplicaConfig;
  /** The current epoch. */
  e: Epoch;
  /** Decoder limits (the voter bound follows the epoch's n). */
  limits: CodecLimits;
  /** The committed tip and every known block above it, this epoch. */
  blocks = new BlockTree();
  /** Entries not yet committed, by id. */
  readonly mempool = new Map<string, LedgerEntry>();
  /** Ids of every committed entry (a re-submitted entry is not logged twice). */
  readonly committedIds = new Set<string>();
  /** Votes and NEW-VIEWs gathered as leader. */
  collector: VoteCollector;
  /** Proposals waiting for their parent, by parent hash. */
  waiting = new Map<string, ProposalMessage[]>();
  /** Conflicting signed statements, per view. */
  equivocation = new EquivocationDetector();
  /** Serving and linking state transfer. */
  readonly catchUp: CatchUp;
  /** View timer and heartbeat. */
  readonly pacemaker: Pacemaker;
  /** When this replica last asked a peer of a later epoch to catch it up. */
  lastEpochHint = Number.NEGATIVE_INFINITY;
  /** The Merkle log of committed entries. */
  readonly log = new MerkleLog();
  /** The safety state (persisted with every processed block). */
  state: SafetyState;
  /** The last view this replica proposed in. */
  proposedView = 0;
  /** The block whose processing made the latest commit: replaying the chain to it reproduces that commit. */
  leaf = '';
  /** The tail of the one-at-a-time task queue. */
  queue: Promise<void> = Promise.resolve();
  /** Set by stop(). */
  closed = false;
  /** Message-handling counters. */
  counters = {
    received: 0,
    dropped: 0,
    invalidSignatures: 0,
    committedBlocks: 0,
    timeouts: 0,
    equivocations: 0,
    wrongEpoch: 0,
  };
  /** The latest checkpoint. */
  lastCheckpoint: Checkpoint | undefined;
  /** Processes one message (the replica's dispatcher). */
  readonly handle: (m: ConsensusMessage, peer?: string) => Promise<void>;

  constructor(
    config: ReplicaConfig,
    hooks: {
      readonly handle: (m: ConsensusMessage, peer?: string) => Promise<void>;
      readonly onTimeout: () => Promise<void>;
    },
  ) {
    this.c = config;
    this.handle = hooks.handle;
    this.e = makeEpoch(0, config.validators, config.self);
    this.collector = new VoteCollector(this.e.quorum, 0);
    this.limits = { validators: this.e.n, maxEntries: config.maxBlockEntries, maxBlocks: MAX_FETCH_BLOCKS };
    this.catchUp = new CatchUp(config.store, config.transport, config.self.id);
    this.pacemaker = new Pacemaker({
      clock: config.clock,
      viewTimeoutMs: config.viewTimeoutMs,
      hasWork: () => this.hasWork(),
      onTimeout: () => this.enqueue(hooks.onTimeout),
      onHeartbeat: () =>
        this.broadcast({ t: 'status', epoch: this.e.number, height: this.state.committedHeight }, false),
    });
    this.state = this.enter(this.e);
  }

  /** Installs `epoch` with fresh consensus state (views restart; heights continue); returns its safety state. */
  enter(epoch: Epoch): SafetyState {
    this.e = epoch;
    this.blocks = new BlockTree();
    this.blocks.add(epoch.genesis);
    this.leaf = epoch.genesis.hash;
    this.collector = new VoteCollector(epoch.quorum, epoch.number);
    this.equivocation = new EquivocationDetector();
    this.waiting = new Map();
    this.limits = { ...this.limits, validators: epoch.n };
    this.proposedView = 0;
    this.pacemaker.progressed();
    const g = genesisQC(epoch.genesis);
    return {
      epoch: epoch.number,
      lastVotedView: 0,
      view: 1,
      lockedQC: g,
      highQC: g,
      committedHeight: epoch.startHeight,
      committedHash: epoch.genesis.hash,
    };
  }

  /** This replica's index in the current validator set, -1 when it only follows. */
  get member(): boolean {
    return this.e.index >= 0;
  }

  /** Adds an entry not yet committed nor pending; returns whether it was new. */
  addToMempool(e: LedgerEntry): boolean {
    const id = entryId(e);
    if (this.committedIds.has(id) || this.mempool.has(id)) return false;
    this.mempool.set(id, e);
    return true;
  }

  /** The leader of `view` in the current epoch. */
  leader(view: number): number {
    return leaderOf(view, this.e.n);
  }

  /** Sends to validator `to` of the current epoch (to itself through the queue). */
  send(to: number, m: ConsensusMessage): void {
    if (to === this.e.index) {
      this.enqueue(() => this.handle(m));
      return;
    }
    const v = this.e.validators[to];
    if (v !== undefined) this.c.transport.send(v.id, encodeMessage(m));
  }

  /** Sends to every validator of the current epoch, encoded once. */
  broadcast(m: ConsensusMessage, includeSelf: boolean): void {
    const frame = encodeMessage(m);
    for (const v of this.e.validators) if (v.id !== this.c.self.id) this.c.transport.send(v.id, frame);
    if (includeSelf) this.enqueue(() => this.handle(m));
  }

  /** Runs `task` after every earlier one: messages are processed one at a time. */
  enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(async () => {
      if (this.closed) return;
      try {
        await task();
      } catch (err) {
        this.c.logger.error({ err }, 'ledger replica: task failed');
      }
    });
  }

  /** Counts and logs a dropped message. */
  drop(reason: string, peer: string, bad = false): void {
    this.counters.dropped++;
    if (bad) this.counters.invalidSignatures++;
    this.c.logger.debug({ peer, reason }, 'ledger replica: dropped message');
  }

  /** A block of this epoch whose hash, parent link and certificate check out. */
  checkBlock(b: Block): boolean {
    const { hash, ...rest } = b;
    return (
      b.epoch === this.e.number &&
      blockHash(rest) === hash &&
      b.parent === b.justify.blockHash &&
      this.e.certs.verify(b.justify)
    );
  }

  /** Keeps the highest certificate seen. */
  updateHighQC(qc: QuorumCertificate): void {
    if (qc.view > this.state.highQC.view) this.state = { ...this.state, highQC: qc };
  }

  /** The log root, hex. */
  rootHex(): string {
    return Buffer.from(this.log.root()).toString('hex');
  }

  /** Work remains while the mempool holds entries or an uncommitted certified block carries some. */
  hasWork(): boolean {
    return (
      this.mempool.size > 0 ||
      this.blocks.carriesEntries(this.state.highQC.blockHash, this.state.committedHeight)
    );
  }

  /** The clock, whole ms. */
  now(): number {
    return Math.floor(this.c.clock.now());
  }

  /** Asks every validator for block `hash` and its ancestors. */
  fetchFromAll(hash: string): void {
    this.e.validators.forEach((_, i) => {
      if (i !== this.e.index) this.send(i, { t: 'fetch', hash, since: this.state.committedHeight });
    });
  }
}
