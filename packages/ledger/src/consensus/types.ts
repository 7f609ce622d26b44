import type { LedgerEntry } from '../intel/entry.js';

/** A validator of the current epoch: its id on the transport and its Ed25519 public key. */
export interface Validator {
  /** Transport address / replica id. */
  readonly id: string;
  /** 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;
}

/** One validator's signature inside a {@link QuorumCertificate}. */
export interface VoteSignature {
  /** The voter's index in the validator list. */
  readonly voter: number;
  /** Ed25519 signature, hex. */
  readonly signature: string;
}

/**
 * A quorum certificate: 2f+1 distinct validators' signed votes for one block in one view (HotStuff §4).
 * The genesis certificate alone carries no votes.
 */
export interface QuorumCertificate {
  /** The epoch (validator set) whose validators signed it. */
  readonly epoch: number;
  /** The view in which the block was proposed. */
  readonly view: number;
  /** The block's height. */
  readonly height: number;
  /** The block's hash, hex. */
  readonly blockHash: string;
  /** The votes, at least 2f+1 with distinct voters. */
  readonly votes: readonly VoteSignature[];
}

/** A block of the chained-HotStuff tree: a batch of entries extending the block its `justify` certifies. */
export interface Block {
  /** The epoch it belongs to. */
  readonly epoch: number;
  /** The view it was proposed in. */
  readonly view: number;
  /** Distance from genesis. */
  readonly height: number;
  /** The parent's hash (always `justify.blockHash`), hex. */
  readonly parent: string;
  /** The certificate of the parent. */
  readonly justify: QuorumCertificate;
  /** The proposer's validator index (the leader of `view`). */
  readonly proposer: number;
  /** The proposer's clock at proposal, epoch ms (informational; not trusted for ordering). */
  readonly timestamp: number;
  /** The batch of entries. */
  readonly entries: readonly LedgerEntry[];
  /** SHA-256 of the header fields and the entry ids, hex. */
  readonly hash: string;
}

/** A proposal: a block signed by its proposer. */
export interface ProposalMessage {
  /** Discriminator. */
  readonly t: 'proposal';
  /** The block. */
  readonly block: Block;
  /** The proposer's signature over the proposal statement, hex. */
  readonly signature: string;
}

/** A vote for a block, sent to the next view's leader. */
export interface VoteMessage {
  /** Discriminator. */
  readonly t: 'vote';
  /** The epoch of the vote; a replica in another epoch drops it. */
  readonly epoch: number;
  /** The block's view. */
  readonly view: number;
  /** The block's height. */
  readonly height: number;
  /** The block's hash, hex. */
  readonly blockHash: string;
  /** The voter's index and signature. */
  readonly vote: VoteSignature;
}

/** A replica's move to `view` after a timeout, carrying its highest certificate (the pacemaker's NEW-VIEW). */
export interface NewViewMessage {
  /** Discriminator. */
  readonly t: 'newview';
  /** The sender's epoch. */
  readonly epoch: number;
  /** The view being entered. */
  readonly view: number;
  /** The sender's highest quorum certificate. */
  readonly highQC: QuorumCertificate;
  /** The sender's index and signature over the view and certificate. */
  readonly sender: VoteSignature;
}

/** Client entries gossiped to every replica's mempool. */
export interface SubmitMessage {
  /** Discriminator. */
  readonly t: 'submit';
  /** Canonical entries. */
  readonly entries: readonly LedgerEntry[];
}

/** A request for a block and its ancestors (state transfer). */
export interface FetchRequestMessage {
  /** Discriminator. */
  readonly t: 'fetch';
  /** The newest block wanted, hex. */
  readonly hash: string;
  /** The requester's committed height; older blocks are not sent. */
  readonly since: number;
}

/** Blocks answering a {@link FetchRequestMessage}, newest first. */
export interface FetchResponseMessage {
  /** Discriminator. */
  readonly t: 'blocks';
  /** The blocks, newest first, each the parent of the one before. */
  readonly blocks: readonly Block[];
}

/** A replica's periodic heartbeat: its committed height, so peers ahead of it push their chain. */
export interface StatusMessage {
  /** Discriminator. */
  readonly t: 'status';
  /** The sender's epoch. */
  readonly epoch: number;
  /** The sender's committed height. */
  readonly height: number;
}

/** Every message replicas exchange. */
export type ConsensusMessage =
  | ProposalMessage
  | VoteMessage
  | NewViewMessage
  | SubmitMessage
  | FetchRequestMessage
  | FetchResponseMessage
  | StatusMessage;
