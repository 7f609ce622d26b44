import type { Clock, TimerHandle } from '@msys/core/governor';
import type { Logger } from '@msys/core/logging';
import { entryId, type LedgerEntry } from '../intel/entry.js';
import type { CommittedEntry } from '../intel/intel-index.js';
import { MerkleLog } from '../merkle/log.js';
import type { LedgerStore, StoreWrite } from '../storage/store.js';
import type { Transport } from '../transport/transport.js';
import { BlockTree } from './block-tree.js';
import {
  blockHash,
  CertificateVerifier,
  chainId,
  genesisBlock,
  genesisQC,
  newViewStatement,
  proposalStatement,
  signHex,
  verifyHex,
  voteStatement,
} from './certificates.js';
import { type CodecLimits, decodeMessage, encodeMessage } from './codec.js';
import { EquivocationDetector } from './equivocation.js';
import {
  assignIndexes,
  type Checkpoint,
  commitWrites,
  keys,
  readBlockByHash,
  recover,
  type SafetyState,
} from './state.js';
import type {
  Block,
  ConsensusMessage,
  NewViewMessage,
  ProposalMessage,
  QuorumCertificate,
  Validator,
  VoteMessage,
} from './types.js';
import { VoteCollector } from './vote-collector.js';

/** Consecutive views led by one replica. */
const LEADER_TERM = 4;

/** Settings of a replica. @internal */
export interface ReplicaConfig {
  readonly index: number;
  readonly validators: readonly Validator[];
  readonly secretKey: Uint8Array;
  readonly store: LedgerStore;
  readonly transport: Transport;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly viewTimeoutMs: number;
  readonly maxBlockEntries: number;
  readonly checkpointInterval: number;
  /** Called after each durable commit, in log order. */
  readonly onCommit: (entries: readonly CommittedEntry[], log: MerkleLog, block: Block) => void;
}

/** Counters of a replica's message handling. */
export interface ReplicaStats {
  /** Frames received. */
  readonly received: number;
  /** Frames dropped: undecodable, bad signature, wrong leader, stale. */
  readonly dropped: number;
  /** Of those, frames with an invalid signature or certificate. */
  readonly invalidSignatures: number;
  /** Blocks committed. */
  readonly committedBlocks: number;
  /** Views left by timeout. */
  readonly timeouts: number;
  /** Equivocations detected. */
  readonly equivocations: number;
  /** The current view. */
  readonly view: number;
  /** The committed height. */
  readonly committedHeight: number;
  /** The view of the highest quorum certificate. */
  readonly highQCView: number;
  /** The view of the locked certificate. */
  readonly lockedQCView: number;
}

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
  readonly #c: ReplicaConfig;
  readonly #n: number;
  readonly #f: number;
  readonly #quorum: number;
  readonly #chain: string;
  readonly #certs: CertificateVerifier;
  readonly #limits: CodecLimits;
  readonly #blocks = new BlockTree();
  readonly #mempool = new Map<string, LedgerEntry>();
  readonly #committedIds = new Set<string>();
  readonly #collector: VoteCollector;
  readonly #waiting = new Map<string, ProposalMessage[]>();
  readonly #equivocation = new EquivocationDetector();
  readonly log = new MerkleLog();
  #state: SafetyState;
  #proposedView = 0;
  /** The block whose processing made the latest commit: replaying the chain to it reproduces that commit. */
  #leaf = '';
  #timer: TimerHandle | undefined;
  #heartbeat: TimerHandle | undefined;
  #timeouts = 0;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;
  #stats = {
    received: 0,
    dropped: 0,
    invalidSignatures: 0,
    committedBlocks: 0,
    timeouts: 0,
    equivocations: 0,
  };
  #lastCheckpoint: Checkpoint | undefined;

  constructor(config: ReplicaConfig) {
    this.#c = config;
    this.#n = config.validators.length;
    this.#f = Math.floor((this.#n - 1) / 3);
    this.#quorum = this.#n - this.#f;
    this.#collector = new VoteCollector(this.#quorum);
    this.#chain = chainId(config.validators);
    const genesis = genesisBlock(this.#chain);
    this.#blocks.add(genesis);
    this.#leaf = genesis.hash;
    this.#certs = new CertificateVerifier(config.validators, this.#chain, this.#quorum, genesis.hash);
    this.#limits = { validators: this.#n, maxEntries: config.maxBlockEntries, maxBlocks: 64 };
    const g = genesisQC(genesis);
    this.#state = {
      lastVotedView: 0,
      view: 1,
      lockedQC: g,
      highQC: g,
      committedHeight: 0,
      committedHash: genesis.hash,
    };
  }

  /** Counters. */
  get stats(): ReplicaStats {
    return {
      ...this.#stats,
      view: this.#state.view,
      committedHeight: this.#state.committedHeight,
      highQCView: this.#state.highQC.view,
      lockedQCView: this.#state.lockedQC.view,
    };
  }

  /** The current view. */
  get view(): number {
    return this.#state.view;
  }

  /** The committed height. */
  get committedHeight(): number {
    return this.#state.committedHeight;
  }

  /** The latest checkpoint. */
  get checkpoint(): Checkpoint | undefined {
    return this.#lastCheckpoint;
  }

  /** Restores from the store and starts listening. */
  async start(): Promise<CommittedEntry[]> {
    const r = await recover(this.#c.store);
    const entries = assignIndexes(r.blocks, this.#committedIds, 0, entryId);
    for (const e of entries) {
      this.log.appendLeafHash(new Uint8Array(Buffer.from(e.id, 'hex')));
      this.#committedIds.add(e.id);
    }
    if (r.state !== undefined) {
      this.#state = { ...r.state, view: Math.max(r.state.view, r.state.lastVotedView) };
      if (r.tip !== undefined) {
        this.#blocks.add(r.tip);
        this.#leaf = r.tip.hash;
      }
    }
    for (const b of r.voted) if (b.height > this.#state.committedHeight) this.#blocks.add(b);
    this.#c.transport.onMessage((peer, frame) => this.#receive(peer, frame));
    this.#armHeartbeat();
    if (r.state !== undefined) {
      // A restarted replica announces itself; peers that are ahead answer with their chain (catch-up).
      const high = this.#state.highQC;
      const signature = signHex(newViewStatement(this.#chain, this.#state.view, high), this.#c.secretKey);
      this.#broadcast(
        { t: 'newview', view: this.#state.view, highQC: high, sender: { voter: this.#c.index, signature } },
        false,
      );
    }
    return entries;
  }

  /** Stops timers; pending work is abandoned. */
  async stop(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) this.#c.clock.clearTimeout(this.#timer);
    if (this.#heartbeat !== undefined) this.#c.clock.clearTimeout(this.#heartbeat);
    await this.#queue.catch(() => undefined);
  }

  /** Adds entries to the mempool and gossips them to every replica. */
  submit(entries: readonly LedgerEntry[]): void {
    const fresh = entries.filter((e) => this.#addToMempool(e));
    if (fresh.length === 0) return;
    this.#broadcast({ t: 'submit', entries: fresh }, false);
    this.#enqueue(async () => this.#tryPropose());
    this.#armTimer();
  }

  #addToMempool(e: LedgerEntry): boolean {
    const id = entryId(e);
    if (this.#committedIds.has(id) || this.#mempool.has(id)) return false;
    this.#mempool.set(id, e);
    return true;
  }

  /**
   * Leaders rotate in terms of LEADER_TERM consecutive views. Plain round robin would never commit with one
   * Byzantine replica among four: a commit needs a direct chain b ← b' ← b'' of consecutive views plus the
   * next view's leader to certify b'' — four honest leaders in a row, which n = 4 round robin never has.
   */
  #leader(view: number): number {
    return Math.floor(view / LEADER_TERM) % this.#n;
  }

  #send(to: number, m: ConsensusMessage): void {
    if (to === this.#c.index) {
      this.#enqueue(() => this.#handle(this.#c.index, m));
      return;
    }
    const v = this.#c.validators[to];
    if (v !== undefined) this.#c.transport.send(v.id, encodeMessage(m));
  }

  #broadcast(m: ConsensusMessage, includeSelf: boolean): void {
    const frame = encodeMessage(m);
    this.#c.validators.forEach((v, i) => {
      if (i !== this.#c.index) this.#c.transport.send(v.id, frame);
    });
    if (includeSelf) this.#enqueue(() => this.#handle(this.#c.index, m));
  }

  #enqueue(task: () => Promise<void>): void {
    this.#queue = this.#queue.then(async () => {
      if (this.#closed) return;
      try {
        await task();
      } catch (err) {
        this.#c.logger.error({ err }, 'ledger replica: task failed');
      }
    });
  }

  #drop(reason: string, peer: string, bad = false): void {
    this.#stats.dropped++;
    if (bad) this.#stats.invalidSignatures++;
    this.#c.logger.debug({ peer, reason }, 'ledger replica: dropped message');
  }

  #receive(peer: string, frame: Uint8Array): void {
    this.#stats.received++;
    const m = decodeMessage(frame, this.#limits);
    if (m === undefined) {
      this.#drop('malformed', peer);
      return;
    }
    const sender = this.#c.validators.findIndex((v) => v.id === peer);
    this.#enqueue(() => this.#handle(sender, m, peer));
  }

  async #handle(sender: number, m: ConsensusMessage, peer = 'self'): Promise<void> {
    switch (m.t) {
      case 'proposal':
        return this.#onProposal(m, peer);
      case 'vote':
        return this.#onVote(m, peer);
      case 'newview':
        return this.#onNewView(m, peer);
      case 'submit':
        for (const e of m.entries) this.#addToMempool(e);
        this.#armTimer();
        return this.#tryPropose();
      case 'fetch':
        return this.#onFetch(sender, m.hash, m.since);
      case 'blocks':
        return this.#onBlocks(m.blocks, peer);
      case 'status':
        // A peer behind us that may have nothing to do (so no timeouts, no NEW-VIEWs): push our chain.
        if (sender >= 0 && sender !== this.#c.index && m.height < this.#state.committedHeight) {
          return this.#onFetch(sender, this.#leaf, m.height);
        }
        return;
    }
  }

  #checkBlock(b: Block): boolean {
    const { hash, ...rest } = b;
    return blockHash(rest) === hash && b.parent === b.justify.blockHash && this.#certs.verify(b.justify);
  }

  async #onProposal(m: ProposalMessage, peer: string): Promise<void> {
    const b = m.block;
    if (b.proposer !== this.#leader(b.view)) return this.#drop('not the leader', peer);
    if (
      !verifyHex(this.#c.validators, b.proposer, proposalStatement(this.#chain, b.view, b.hash), m.signature)
    ) {
      return this.#drop('bad proposal signature', peer, true);
    }
    if (!this.#checkBlock(b)) return this.#drop('bad block or certificate', peer, true);
    const ev = this.#equivocation.proposal(this.#c.validators[b.proposer], b.view, b.hash, m.signature);
    if (ev !== undefined) {
      this.#stats.equivocations++;
      this.#c.logger.warn({ proposer: b.proposer, view: b.view }, 'ledger replica: equivocating proposer');
      this.submit([ev]);
      return;
    }
    if (b.height <= this.#state.committedHeight || this.#blocks.has(b.hash)) return;
    const parent = this.#blocks.get(b.parent);
    if (parent === undefined) {
      const list = this.#waiting.get(b.parent) ?? [];
      if (list.length < 4) list.push(m);
      this.#waiting.set(b.parent, list);
      this.#send(b.proposer, { t: 'fetch', hash: b.parent, since: this.#state.committedHeight });
      return;
    }
    if (b.height !== parent.height + 1 || b.view <= parent.view)
      return this.#drop('bad height or view', peer);
    this.#blocks.add(b);
    await this.#process(b, true);
    const waiting = this.#waiting.get(b.hash);
    if (waiting !== undefined) {
      this.#waiting.delete(b.hash);
      for (const w of waiting) await this.#onProposal(w, peer);
    }
  }

  #updateHighQC(qc: QuorumCertificate): void {
    if (qc.view > this.#state.highQC.view) this.#state = { ...this.#state, highQC: qc };
  }

  /** HotStuff's update(b*) and, when allowed, its vote; then one synced batch; then the vote is sent. */
  async #process(b: Block, mayVote: boolean): Promise<void> {
    this.#updateHighQC(b.justify);
    const { lock, commit } = this.#blocks.update(b);
    if (lock !== undefined && lock.height > this.#state.lockedQC.height)
      this.#state = { ...this.#state, lockedQC: lock };
    let toCommit: Block[] = [];
    if (commit !== undefined && commit.height > this.#state.committedHeight) {
      const chain = this.#blocks.chainTo(commit, this.#state.committedHeight, this.#state.committedHash);
      if (chain === undefined) {
        // Only possible if more than f validators are Byzantine: refuse rather than fork.
        this.#c.logger.fatal(
          { height: commit.height },
          'ledger replica: commit does not extend the committed chain',
        );
      } else {
        toCommit = chain;
        if (toCommit.length > 0) this.#leaf = b.hash;
      }
    }
    const vote =
      mayVote &&
      b.view >= this.#state.view &&
      b.view > this.#state.lastVotedView &&
      (this.#blocks.extends(b, this.#state.lockedQC) || b.justify.view > this.#state.lockedQC.view);
    if (vote) this.#state = { ...this.#state, lastVotedView: b.view, view: b.view };
    await this.#persist(toCommit, vote ? b : undefined);
    if (vote) {
      const signature = signHex(voteStatement(this.#chain, b.view, b.height, b.hash), this.#c.secretKey);
      this.#send(this.#leader(b.view + 1), {
        t: 'vote',
        view: b.view,
        height: b.height,
        blockHash: b.hash,
        vote: { voter: this.#c.index, signature },
      });
      this.#timeouts = 0;
      this.#armTimer(true);
    }
  }

  async #persist(blocks: Block[], voted: Block | undefined): Promise<void> {
    const committed = assignIndexes(blocks, this.#committedIds, this.log.size, entryId);
    const tip = blocks[blocks.length - 1];
    if (tip !== undefined)
      this.#state = { ...this.#state, committedHeight: tip.height, committedHash: tip.hash };
    const writes: StoreWrite[] = commitWrites(blocks);
    if (voted !== undefined && blocks.every((b) => b.hash !== voted.hash)) {
      writes.push({ key: keys.voted(voted.hash), value: JSON.stringify(voted) });
    }
    for (const e of committed) this.log.appendLeafHash(new Uint8Array(Buffer.from(e.id, 'hex')));
    let checkpoint: Checkpoint | undefined;
    if (
      tip !== undefined &&
      Math.floor(tip.height / this.#c.checkpointInterval) >
        Math.floor((tip.height - blocks.length) / this.#c.checkpointInterval)
    ) {
      checkpoint = {
        height: tip.height,
        blockHash: tip.hash,
        treeSize: this.log.size,
        root: Buffer.from(this.log.root()).toString('hex'),
      };
      writes.push({ key: keys.checkpoint(tip.height), value: JSON.stringify(checkpoint) });
    }
    writes.push({ key: keys.state, value: JSON.stringify(this.#state) });
    await this.#c.store.write(writes);
    for (const e of committed) {
      this.#committedIds.add(e.id);
      this.#mempool.delete(e.id);
    }
    for (const b of blocks) for (const e of b.entries) this.#mempool.delete(entryId(e));
    if (tip !== undefined) {
      // Committed ancestors live on in storage (fetches read them there); memory keeps the tip and above.
      this.#blocks.pruneBelow(tip.height, tip.hash);
      this.#stats.committedBlocks += blocks.length;
      this.#c.onCommit(committed, this.log, tip);
      if (checkpoint !== undefined) this.#compact(checkpoint);
      this.#armTimer(true);
    }
  }

  /** Log compaction at a checkpoint: forget consensus state (blocks, votes, NEW-VIEWs) below it. */
  #compact(cp: Checkpoint): void {
    this.#lastCheckpoint = cp;
    this.#blocks.pruneBelow(cp.height, this.#state.committedHash);
    const horizon = this.#state.view - 8;
    this.#collector.forgetBelow(horizon);
    this.#equivocation.forgetBelow(horizon);
  }

  async #onVote(m: VoteMessage, peer: string): Promise<void> {
    if (this.#leader(m.view + 1) !== this.#c.index) return this.#drop('not the next leader', peer);
    if (m.view + 1 < this.#state.view - 1) return;
    const statement = voteStatement(this.#chain, m.view, m.height, m.blockHash);
    if (!verifyHex(this.#c.validators, m.vote.voter, statement, m.vote.signature)) {
      return this.#drop('bad vote signature', peer, true);
    }
    const ev = this.#equivocation.vote(
      this.#c.validators[m.vote.voter],
      m.view,
      m.blockHash,
      m.vote.signature,
    );
    if (ev !== undefined) {
      this.#stats.equivocations++;
      this.submit([ev]);
      return;
    }
    const qc = this.#collector.vote(m.view, m.height, m.blockHash, m.vote.voter, m.vote.signature);
    if (qc === undefined) return;
    this.#updateHighQC(qc);
    if (this.#state.view < m.view + 1) this.#state = { ...this.#state, view: m.view + 1 };
    await this.#tryPropose();
  }

  async #onNewView(m: NewViewMessage, peer: string): Promise<void> {
    if (
      !verifyHex(
        this.#c.validators,
        m.sender.voter,
        newViewStatement(this.#chain, m.view, m.highQC),
        m.sender.signature,
      )
    ) {
      return this.#drop('bad new-view signature', peer, true);
    }
    if (!this.#certs.verify(m.highQC)) return this.#drop('bad certificate', peer, true);
    // A replica behind us (its highest certificate is older): push it our chain so it can catch up even
    // when no new proposals are coming (state transfer without a request round trip).
    const leaf = this.#blocks.get(this.#leaf);
    if (leaf !== undefined && m.highQC.view <= leaf.view && m.sender.voter !== this.#c.index) {
      await this.#onFetch(m.sender.voter, this.#leaf, Math.max(0, m.highQC.height - 1));
    }
    if (m.view <= this.#state.view - 1 && this.#leader(m.view) !== this.#c.index) return;
    this.#updateHighQC(m.highQC);
    const senders = this.#collector.newView(m.view, m.sender.voter, m.highQC);
    // f+1 replicas moved on: at least one honest one timed out, so follow (view synchronization).
    if (senders > this.#f && m.view > this.#state.view) {
      this.#state = { ...this.#state, view: m.view };
      this.#armTimer(true);
    }
    if (!this.#blocks.has(this.#state.highQC.blockHash)) {
      this.#send(m.sender.voter, {
        t: 'fetch',
        hash: this.#state.highQC.blockHash,
        since: this.#state.committedHeight,
      });
    }
    await this.#tryPropose();
  }

  /** Work remains while the mempool holds entries or an uncommitted certified block carries some. */
  #hasWork(): boolean {
    return (
      this.#mempool.size > 0 ||
      this.#blocks.carriesEntries(this.#state.highQC.blockHash, this.#state.committedHeight)
    );
  }

  async #tryPropose(): Promise<void> {
    const view = this.#state.view;
    if (this.#closed || this.#leader(view) !== this.#c.index || this.#proposedView >= view) return;
    const high = this.#state.highQC;
    const ready = high.view === view - 1 || this.#collector.newViewCount(view) >= this.#quorum;
    if (!ready || !this.#hasWork()) return;
    const parent = this.#blocks.get(high.blockHash);
    if (parent === undefined) return this.#fetchFromAll(high.blockHash);
    const inFlight = this.#blocks.inFlight(parent.hash, this.#state.committedHeight);
    const entries: LedgerEntry[] = [];
    for (const [id, e] of this.#mempool) {
      if (entries.length >= this.#c.maxBlockEntries) break;
      if (!inFlight.has(id)) entries.push(e);
    }

    this.#proposedView = view;
    const header = {
      view,
      height: parent.height + 1,
      parent: parent.hash,
      justify: high,
      proposer: this.#c.index,
      timestamp: this.#now(),
      entries,
    };
    const block: Block = { ...header, hash: blockHash(header) };
    const signature = signHex(proposalStatement(this.#chain, view, block.hash), this.#c.secretKey);
    this.#broadcast({ t: 'proposal', block, signature }, true);
  }

  #now(): number {
    return Math.floor(this.#c.clock.now());
  }

  /** (Re)arms the view timer while there is work; `reset` restarts it after progress. */
  #armTimer(reset = false): void {
    if (this.#closed) return;
    if (this.#timer !== undefined) {
      if (!reset) return;
      this.#c.clock.clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (!this.#hasWork()) return;
    const delay = this.#c.viewTimeoutMs * 2 ** Math.min(this.#timeouts, 5);
    this.#timer = this.#c.clock.setTimeout(() => {
      this.#timer = undefined;
      this.#enqueue(async () => this.#onTimeout());
    }, delay);
  }

  /**
   * Every 5 view timeouts, tell the peers our committed height. Without it a replica that missed commits
   * while partitioned, and has no pending entries of its own, would never hear of them once the cluster idles.
   */
  #armHeartbeat(): void {
    if (this.#closed) return;
    this.#heartbeat = this.#c.clock.setTimeout(() => {
      this.#heartbeat = undefined;
      this.#broadcast({ t: 'status', height: this.#state.committedHeight }, false);
      this.#armHeartbeat();
    }, this.#c.viewTimeoutMs * 5);
  }

  #fetchFromAll(hash: string): void {
    this.#c.validators.forEach((_, i) => {
      if (i !== this.#c.index) this.#send(i, { t: 'fetch', hash, since: this.#state.committedHeight });
    });
  }

  async #onTimeout(): Promise<void> {
    if (!this.#hasWork()) return;
    if (!this.#blocks.has(this.#state.highQC.blockHash)) this.#fetchFromAll(this.#state.highQC.blockHash);
    this.#stats.timeouts++;
    this.#timeouts++;
    // A timeout means the leader failed: skip the rest of its term.
    const view = (Math.floor(this.#state.view / LEADER_TERM) + 1) * LEADER_TERM;
    this.#state = { ...this.#state, view };
    await this.#c.store.write([{ key: keys.state, value: JSON.stringify(this.#state) }]);
    const high = this.#state.highQC;
    const signature = signHex(newViewStatement(this.#chain, view, high), this.#c.secretKey);
    // Sent to everyone (not only the next leader) so that lagging replicas synchronise their views too.
    this.#broadcast({ t: 'newview', view, highQC: high, sender: { voter: this.#c.index, signature } }, true);
    // Gossip is lossy: re-announce pending entries so every replica knows there is work to agree on.
    const pending = [...this.#mempool.values()].slice(0, this.#c.maxBlockEntries);
    if (pending.length > 0) this.#broadcast({ t: 'submit', entries: pending }, false);
    this.#armTimer(true);
  }

  async #onFetch(sender: number, hash: string, since: number): Promise<void> {
    if (sender < 0) return;
    const blocks: Block[] = [];
    let next: string | undefined = hash;
    while (next !== undefined && blocks.length < this.#limits.maxBlocks) {
      const b: Block | undefined = this.#blocks.get(next) ?? (await readBlockByHash(this.#c.store, next));
      if (b === undefined || b.height <= since || b.height === 0) break;
      blocks.push(b);
      next = b.parent;
    }
    if (blocks.length > 0) this.#send(sender, { t: 'blocks', blocks });
  }

  /** State transfer: link fetched blocks (newest first) to the known tree, then replay update() over them. */
  async #onBlocks(blocks: readonly Block[], peer: string): Promise<void> {
    for (let i = 0; i < blocks.length; i++) {
      const b = blocks[i] as Block;
      const child = blocks[i - 1];
      if (!this.#checkBlock(b) || (child !== undefined && child.parent !== b.hash)) {
        return this.#drop('bad fetched chain', peer, true);
      }
    }
    const oldest = blocks[blocks.length - 1];
    if (oldest === undefined) return;
    if (!this.#blocks.has(oldest.parent)) {
      if (oldest.height <= this.#state.committedHeight + 1)
        return this.#drop('fetched chain forks the committed chain', peer);
      for (const b of blocks) this.#blocks.add(b);
      const sender = this.#c.validators.findIndex((v) => v.id === peer);
      if (sender >= 0)
        this.#send(sender, { t: 'fetch', hash: oldest.parent, since: this.#state.committedHeight });
      return;
    }
    for (const b of blocks) this.#blocks.add(b);
    const ascending: Block[] = [];
    // Walk down from the newest block to collect the unprocessed chain (earlier partial fetches included).
    for (
      let cur: Block | undefined = blocks[0];
      cur !== undefined && cur.height > this.#state.committedHeight;
    ) {
      ascending.push(cur);
      cur = this.#blocks.get(cur.parent);
    }
    ascending.reverse();
    for (const b of ascending) await this.#process(b, false);
    for (const b of ascending) {
      const waiting = this.#waiting.get(b.hash);
      if (waiting === undefined) continue;
      this.#waiting.delete(b.hash);
      for (const w of waiting) await this.#onProposal(w, peer);
    }
    await this.#tryPropose();
  }
}
