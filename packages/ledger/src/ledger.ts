import { type Clock, RealClock } from '@msys/core/governor';
import { type Logger, silentLogger } from '@msys/core/logging';
import { EventEmitter } from 'eventemitter3';
import { signHex } from './consensus/certificates.js';
import { rememberValidated } from './consensus/codec.js';
import { reconfigurationStatement } from './consensus/epoch.js';
import { Replica } from './consensus/replica.js';
import type { ReplicaStats } from './consensus/replica-types.js';
import type { Checkpoint } from './consensus/state.js';
import type { Validator } from './consensus/types.js';
import { badArgument, ledgerErrors } from './errors.js';
import { entryId, type LedgerEntryInput, validateEntry } from './intel/entry.js';
import { type CommittedEntry, type Decision, IntelIndex } from './intel/intel-index.js';
import type { IntelPolicy } from './intel/policy.js';
import type {
  ReconfigurationApproval,
  ReconfigurationEntry,
  ReconfigurationEntryInput,
} from './intel/reconfiguration.js';
import type { MerkleLog } from './merkle/log.js';
import { type SignedTreeHead, signTreeHead } from './merkle/tree-head.js';
import { LevelStore } from './storage/level-store.js';
import type { LedgerStore } from './storage/store.js';
import type { Transport } from './transport/transport.js';

/** An Ed25519 key pair (the shape `generateKeyPair` of `@msys/core/crypto` returns). */
export interface LedgerKeyPair {
  /** 32-byte public key. */
  readonly publicKey: Uint8Array;
  /** 32-byte seed. */
  readonly secretKey: Uint8Array;
}

/** Durable storage: a LevelDB directory owned by this replica. */
export interface PathStorageOptions {
  /** The directory (created if missing). */
  readonly path: string;
}

/** Any {@link LedgerStore}, e.g. a {@link MemoryStore} for simulations. */
export interface CustomStorageOptions {
  /** The store. */
  readonly store: LedgerStore;
}

/** Where the ledger takes time from: a ResourceGovernor, or anything with a `clock`. */
export interface LedgerTimeSource {
  /** The clock (virtual in deterministic simulations). */
  readonly clock: Clock;
}

/** Options of {@link Ledger.open}. */
export interface LedgerOptions {
  /** This replica's id: one of `validators[].id`, unless `joining`. */
  readonly id: string;
  /** This replica's Ed25519 keys (32-byte seed as `secretKey`); `publicKey` must match its validator entry. */
  readonly keyPair: LedgerKeyPair;
  /**
   * The validator set of epoch 0 (the ledger's genesis), in the same order on every replica; n = 3f+1
   * tolerates f faults. Later epochs follow from committed reconfiguration entries.
   */
  readonly validators: readonly Validator[];
  /**
   * Set on a replica that is not in `validators`: it replays the chain as a learner (no votes) and joins
   * consensus in the first epoch whose validator set lists its id and public key. Keep it set when such a
   * replica restarts: `validators` always names the genesis set, and the epoch is recovered from disk.
   */
  readonly joining?: boolean;
  /** How this replica reaches the others. */
  readonly transport: Transport;
  /** `{ path }`: a LevelDB directory (durable); or `{ store }`: any {@link LedgerStore} (e.g. for simulation). */
  readonly storage: PathStorageOptions | CustomStorageOptions;
  /** Cross-domain blocking policy for `check`. */
  readonly policy?: IntelPolicy;
  /** Time source; a deterministic ResourceGovernor's `clock` makes a simulated run replayable. */
  readonly governor?: LedgerTimeSource;
  /** pino-compatible logger. */
  readonly logger?: Logger;
  /** Aborting closes the ledger. */
  readonly signal?: AbortSignal;
  /** Base view timeout of the pacemaker, ms; doubles per consecutive timeout (default 1000). */
  readonly viewTimeoutMs?: number;
  /** Most entries per block (default 2000). */
  readonly maxBlockEntries?: number;
  /** Committed blocks between checkpoints (default 100). */
  readonly checkpointInterval?: number;
}

/** Proof that an entry was committed: where it is, and everything an auditor needs to check it offline. */
export interface Receipt {
  /** The entry id (its leaf hash, hex). */
  readonly entryId: string;
  /** Its index in the Merkle log. */
  readonly index: number;
  /** The height of the block that committed it. */
  readonly height: number;
  /** A tree head signed by this replica that includes the entry. */
  readonly treeHead: SignedTreeHead;
  /** The inclusion proof of the entry in `treeHead` (RFC 9162 §2.1.3). */
  readonly inclusionProof: Uint8Array[];
}

/** An epoch: a number and its static validator set. */
export interface LedgerEpoch {
  /** 0 at genesis, +1 per effective reconfiguration. */
  readonly number: number;
  /** The validators, in index order. */
  readonly validators: readonly Validator[];
}

/** Counters of a ledger replica. */
export interface LedgerStats extends ReplicaStats {
  /** Committed entries. */
  readonly entries: number;
  /** The latest checkpoint, when one was taken. */
  readonly checkpoint?: Checkpoint;
}

interface Waiter {
  resolve: (r: Receipt) => void;
  reject: (e: unknown) => void;
}

/**
 * One replica of the BFT-replicated autoblocker ledger: chained HotStuff over a {@link Transport}, LevelDB
 * storage, an RFC 9162 Merkle log of every committed entry, and the threat-intel index behind `check`.
 *
 * @example
 * ```ts
 * const ledger = await Ledger.open({ id: 'r0', keyPair, validators, transport, storage: { path: dir } });
 * const receipt = await ledger.submit({ indicator: { kind: 'ipv4', value: '203.0.113.7' }, action: 'block',
 *   source: 'soc.example', reason: 'ssh brute force' });
 * ledger.check('203.0.113.7'); // { decision: 'block', rule: 'quorum', domains: ['soc.example'], ... }
 * ```
 */
export class Ledger {
  readonly #replica: Replica;
  readonly #store: LedgerStore;
  readonly #index: IntelIndex;
  readonly #clock: Clock;
  readonly #keyPair: LedgerOptions['keyPair'];
  readonly #entries: CommittedEntry[] = [];
  readonly #byId = new Map<string, CommittedEntry>();
  readonly #waiters = new Map<string, Waiter[]>();
  readonly #events = new EventEmitter<{ commit: []; close: [] }>();
  readonly #transport: Transport;
  readonly #id: string;
  #log: MerkleLog | undefined;
  #head: SignedTreeHead | undefined;
  #closed = false;

  private constructor(o: LedgerOptions, store: LedgerStore, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
    this.#keyPair = o.keyPair;
    this.#transport = o.transport;
    this.#id = o.id;
    this.#index = new IntelIndex(o.policy);
    this.#replica = new Replica({
      self: { id: o.id, publicKey: o.keyPair.publicKey },
      validators: o.validators,
      secretKey: o.keyPair.secretKey,
      store,
      transport: o.transport,
      clock,
      logger: (o.logger ?? silentLogger).child({ ledger: o.id }),
      viewTimeoutMs: o.viewTimeoutMs ?? 1000,
      maxBlockEntries: o.maxBlockEntries ?? 2000,
      checkpointInterval: o.checkpointInterval ?? 100,
      onCommit: (entries, log) => this.#onCommit(entries, log),
    });
  }

  /**
   * Opens a replica: validates the options, opens storage, recovers committed state from disk and joins
   * consensus.
   *
   * @param options - see {@link LedgerOptions}
   * @returns the running replica
   * @throws SystemError `MSYS_LEDGER_INVALID_ARGUMENT` (validation) for bad options; `MSYS_LEDGER_STORAGE` (io)
   */
  static async open(options: LedgerOptions): Promise<Ledger> {
    if (typeof options !== 'object' || options === null) badArgument('options', 'an options object', options);
    const { id, keyPair, validators, transport } = options;
    if (typeof id !== 'string' || id.length === 0) badArgument('options.id', 'a non-empty string', id);
    if (!Array.isArray(validators) || validators.length < 1)
      badArgument('options.validators', 'a non-empty array', validators);
    const ids = new Set<string>();
    validators.forEach((v, i) => {
      if (typeof v?.id !== 'string' || ids.has(v.id))
        badArgument(`options.validators[${i}].id`, 'a unique string', v?.id);
      if (!(v.publicKey instanceof Uint8Array) || v.publicKey.length !== 32) {
        badArgument(`options.validators[${i}].publicKey`, 'a 32-byte Uint8Array', v.publicKey);
      }
      ids.add(v.id);
    });
    const index = validators.findIndex((v) => v.id === id);
    if (index < 0 && options.joining !== true)
      badArgument('options.id', `one of the validator ids (${[...ids].join(', ')})`, id);
    if (index >= 0 && options.joining === true)
      badArgument('options.joining', 'unset for a validator of epoch 0', options.joining);
    if (!(keyPair?.secretKey instanceof Uint8Array) || keyPair.secretKey.length !== 32) {
      badArgument('options.keyPair.secretKey', 'a 32-byte Ed25519 seed', keyPair?.secretKey);
    }
    if (!(keyPair.publicKey instanceof Uint8Array) || keyPair.publicKey.length !== 32)
      badArgument('options.keyPair.publicKey', 'a 32-byte Ed25519 public key', keyPair.publicKey);
    const listed = validators[index];
    if (listed !== undefined && !Buffer.from(keyPair.publicKey).equals(Buffer.from(listed.publicKey))) {
      badArgument(
        'options.keyPair.publicKey',
        `the public key listed for validator ${id}`,
        keyPair.publicKey,
      );
    }
    if (typeof transport?.send !== 'function') badArgument('options.transport', 'a Transport', transport);
    for (const k of ['viewTimeoutMs', 'maxBlockEntries', 'checkpointInterval'] as const) {
      const v = options[k];
      if (v !== undefined && (!Number.isInteger(v) || v < 1))
        badArgument(`options.${k}`, 'a positive integer', v);
    }
    if (options.signal?.aborted) throw ledgerErrors.MSYS_LEDGER_ABORTED({ operation: 'Ledger.open' });
    const storage = options.storage;
    let store: LedgerStore;
    if (typeof storage === 'object' && storage !== null && 'store' in storage) store = storage.store;
    else if (typeof storage === 'object' && storage !== null && typeof storage.path === 'string') {
      store = await LevelStore.open(storage.path);
    } else return badArgument('options.storage', '{ path } or { store }', storage);
    const ledger = new Ledger(options, store, options.governor?.clock ?? new RealClock());
    const recovered = await ledger.#replica.start();
    ledger.#log = ledger.#replica.log;
    for (const e of recovered) ledger.#record(e);
    options.signal?.addEventListener('abort', () => void ledger.close(), { once: true });
    return ledger;
  }

  #record(e: CommittedEntry): void {
    this.#entries.push(e);
    this.#byId.set(e.id, e);
    this.#index.add(e);
  }

  #onCommit(entries: readonly CommittedEntry[], log: MerkleLog): void {
    this.#log = log;
    this.#head = undefined;
    for (const e of entries) this.#record(e);
    for (const e of entries) {
      const waiters = this.#waiters.get(e.id);
      if (waiters === undefined) continue;
      this.#waiters.delete(e.id);
      const receipt = this.#receipt(e);
      for (const w of waiters) w.resolve(receipt);
    }
    this.#events.emit('commit');
  }

  #receipt(e: CommittedEntry): Receipt {
    const treeHead = this.treeHead();
    const log = this.#log as MerkleLog;
    return {
      entryId: e.id,
      index: e.index,
      height: e.height,
      treeHead,
      inclusionProof: log.proveInclusion(e.index, treeHead.treeSize),
    };
  }

  #assertOpen(operation: string): void {
    if (this.#closed) throw ledgerErrors.MSYS_LEDGER_CLOSED({ operation });
  }

  /**
   * Submits an entry; resolves once it is committed by consensus and durable on this replica.
   *
   * @param entry - an intel entry, a revocation or equivocation evidence
   * @returns the receipt: index, height, signed tree head and inclusion proof
   * @throws SystemError `MSYS_LEDGER_INVALID_ARGUMENT` / `MSYS_LEDGER_INVALID_INDICATOR` (validation),
   *   `MSYS_LEDGER_CLOSED` when the ledger closes first
   */
  async submit(entry: LedgerEntryInput): Promise<Receipt> {
    const [receipt] = await this.submitMany([entry]);
    return receipt as Receipt;
  }

  /**
   * Submits several entries at once (one gossip message); resolves when all are committed.
   *
   * @param entries - the entries
   * @returns one receipt per entry, in order
   * @throws SystemError as {@link Ledger.submit}
   */
  async submitMany(entries: readonly LedgerEntryInput[]): Promise<Receipt[]> {
    this.#assertOpen('submit');
    if (!Array.isArray(entries)) badArgument('entries', 'an array of entries', entries);
    const now = Math.floor(this.#clock.now());
    const valid = entries.map((e, i) =>
      validateEntry(e, now, entries.length === 1 ? 'entry' : `entries[${i}]`),
    );
    const promises = valid.map((e) => {
      const id = entryId(e);
      const done = this.#byId.get(id);
      if (done !== undefined) return Promise.resolve(this.#receipt(done));
      return new Promise<Receipt>((resolve, reject) => {
        const list = this.#waiters.get(id) ?? [];
        list.push({ resolve, reject });
        this.#waiters.set(id, list);
      });
    });
    rememberValidated(valid);
    this.#replica.submit(valid);
    return Promise.all(promises);
  }

  /**
   * This replica's approval of a reconfiguration, for the entry's `approvals`: a signature over the new epoch
   * number and validator set, bound to the current epoch's chain id. A reconfiguration takes effect only with
   * approvals from 2f+1 validators of the current epoch.
   *
   * @param change - the reconfiguration (its `approvals` are ignored)
   * @returns `{ id, signature }`
   * @throws SystemError `MSYS_LEDGER_INVALID_ARGUMENT` (validation) for a malformed reconfiguration;
   *   `MSYS_LEDGER_NOT_A_VALIDATOR` (permission) when this replica is not in the current validator set
   * @example
   * ```ts
   * const change = { type: 'reconfigure', epoch: 1, validators, source: 'ops.example', reason: 'rotate r3' } as const;
   * const approvals = [a, b, c].map((l) => l.approveReconfiguration(change));
   * await a.submit({ ...change, approvals });
   * ```
   */
  approveReconfiguration(change: ReconfigurationEntryInput): ReconfigurationApproval {
    this.#assertOpen('approveReconfiguration');
    const valid = validateEntry({ ...change, type: 'reconfigure' }, 0, 'change') as ReconfigurationEntry;
    const epoch = this.#replica.epoch;
    if (!this.#replica.member)
      throw ledgerErrors.MSYS_LEDGER_NOT_A_VALIDATOR({ id: this.#id, epoch: epoch.number });
    const signature = signHex(reconfigurationStatement(epoch.chain, valid), this.#keyPair.secretKey);
    return { id: this.#id, signature };
  }

  /** The current epoch: its number and validator set. */
  get epoch(): LedgerEpoch {
    const e = this.#replica.epoch;
    return { number: e.number, validators: e.validators };
  }

  /**
   * Decides about a value from the in-memory index (see {@link IntelIndex.check}).
   *
   * @param value - an IP, network, domain, URL or digest
   * @returns the decision and its provenance
   */
  check(value: string): Decision {
    return this.#index.check(value, this.#clock.now());
  }

  /**
   * The current tree head, signed by this replica.
   *
   * @returns the signed tree head of all committed entries
   */
  treeHead(): SignedTreeHead {
    if (this.#head === undefined) {
      const log = this.#log as MerkleLog;
      this.#head = signTreeHead(
        { treeSize: log.size, rootHash: log.root(), timestamp: Math.floor(this.#clock.now()) },
        this.#keyPair,
      );
    }
    return this.#head;
  }

  /**
   * The inclusion proof of entry `index` in the tree of `treeSize`.
   *
   * @param index - log index
   * @param treeSize - tree size (default: current)
   * @returns the audit path
   * @throws SystemError `MSYS_LEDGER_OUT_OF_RANGE`
   */
  proveInclusion(index: number, treeSize?: number): Uint8Array[] {
    const log = this.#log as MerkleLog;
    return log.proveInclusion(index, treeSize ?? log.size);
  }

  /**
   * The consistency proof between two tree sizes.
   *
   * @param oldSize - the older size
   * @param newSize - the newer size (default: current)
   * @returns the proof
   * @throws SystemError `MSYS_LEDGER_OUT_OF_RANGE`
   */
  proveConsistency(oldSize: number, newSize?: number): Uint8Array[] {
    const log = this.#log as MerkleLog;
    return log.proveConsistency(oldSize, newSize ?? log.size);
  }

  /**
   * The committed entry at `index`.
   *
   * @param index - log index
   * @returns the entry, or undefined past the end
   */
  entry(index: number): CommittedEntry | undefined {
    return this.#entries[index];
  }

  /** The number of committed entries. */
  get size(): number {
    return this.#entries.length;
  }

  /** Counters of the replica. */
  get stats(): LedgerStats {
    const cp = this.#replica.checkpoint;
    return {
      ...this.#replica.stats,
      entries: this.#entries.length,
      ...(cp === undefined ? {} : { checkpoint: cp }),
    };
  }

  /**
   * Iterates committed entries from log index `from`, then waits for new ones until the ledger closes or the
   * signal aborts.
   *
   * @param options - `from` (default 0) and an optional `signal`
   * @returns an async iterator of committed entries, in log order
   */
  async *subscribe(
    options: { readonly from?: number; readonly signal?: AbortSignal } = {},
  ): AsyncGenerator<CommittedEntry> {
    let next = options.from ?? 0;
    if (!Number.isInteger(next) || next < 0) badArgument('options.from', 'an integer ≥ 0', next);
    for (;;) {
      while (next < this.#entries.length) yield this.#entries[next++] as CommittedEntry;
      if (this.#closed || options.signal?.aborted) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          this.#events.off('commit', done);
          this.#events.off('close', done);
          options.signal?.removeEventListener('abort', done);
          resolve();
        };
        this.#events.on('commit', done);
        this.#events.on('close', done);
        options.signal?.addEventListener('abort', done, { once: true });
      });
    }
  }

  /** Stops consensus, closes the transport and the database; pending submits reject with `MSYS_LEDGER_CLOSED`. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#replica.stop();
    await this.#transport.close();
    await this.#store.close();
    for (const list of this.#waiters.values()) {
      for (const w of list) w.reject(ledgerErrors.MSYS_LEDGER_CLOSED({ operation: 'submit' }));
    }
    this.#waiters.clear();
    this.#events.emit('close');
  }
}
