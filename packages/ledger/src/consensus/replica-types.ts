import type { Clock } from '@msys/core/governor';
import type { Logger } from '@msys/core/logging';
import type { CommittedEntry } from '../intel/intel-index.js';
import type { MerkleLog } from '../merkle/log.js';
import type { LedgerStore } from '../storage/store.js';
import type { Transport } from '../transport/transport.js';
import type { Block, Validator } from './types.js';

/** Settings of a replica. @internal */
export interface ReplicaConfig {
  /** This replica's id and public key. */
  readonly self: { readonly id: string; readonly publicKey: Uint8Array };
  /** The validators of epoch 0. */
  readonly validators: readonly Validator[];
  /** This replica's 32-byte Ed25519 seed. */
  readonly secretKey: Uint8Array;
  /** Its storage. */
  readonly store: LedgerStore;
  /** Its transport. */
  readonly transport: Transport;
  /** Time source. */
  readonly clock: Clock;
  /** Logger. */
  readonly logger: Logger;
  /** Base view timeout, ms. */
  readonly viewTimeoutMs: number;
  /** Most entries per block. */
  readonly maxBlockEntries: number;
  /** Committed blocks between checkpoints. */
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
  /** Messages dropped because they belong to another epoch. */
  readonly wrongEpoch: number;
  /** The current epoch. */
  readonly epoch: number;
  /** The current view. */
  readonly view: number;
  /** The committed height. */
  readonly committedHeight: number;
  /** The view of the highest quorum certificate. */
  readonly highQCView: number;
  /** The view of the locked certificate. */
  readonly lockedQCView: number;
}
