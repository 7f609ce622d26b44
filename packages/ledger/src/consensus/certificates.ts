import { createHash } from 'node:crypto';
import { ed25519Sign, ed25519Verify } from '../crypto/ed25519.js';
import { entryId } from '../intel/entry.js';
import type { Block, QuorumCertificate, Validator } from './types.js';

const encoder = new TextEncoder();

/**
 * The chain id of an epoch: a hash of its number, its validator set and the block it starts after, so a
 * signature from one cluster — or from another epoch of this one — cannot be replayed.
 */
export function chainId(validators: readonly Validator[], epoch = 0, startHash = ''): string {
  const h = createHash('sha256').update(`msys-ledger/chain/v2|${epoch}|${startHash}|`);
  for (const v of validators) h.update(v.id).update('\0').update(v.publicKey);
  return h.digest('hex');
}

/** The genesis block of an epoch: a virtual block at the height the epoch starts from. */
export function genesisBlock(chain: string, epoch = 0, height = 0): Block {
  const hash = createHash('sha256').update(`msys-ledger/genesis/v1|${chain}`).digest('hex');
  return {
    epoch,
    view: 0,
    height,
    parent: '',
    justify: { epoch, view: 0, height, blockHash: '', votes: [] },
    proposer: 0,
    timestamp: 0,
    entries: [],
    hash,
  };
}

/** The certificate of genesis (no votes: every replica derives genesis itself). */
export function genesisQC(genesis: Block): QuorumCertificate {
  return { epoch: genesis.epoch, view: 0, height: genesis.height, blockHash: genesis.hash, votes: [] };
}

/** The hash of a block: its header fields and the ids (leaf hashes) of its entries, in order. */
export function blockHash(b: Omit<Block, 'hash'>): string {
  const h = createHash('sha256').update(
    `msys-ledger/block/v2|${b.epoch}|${b.justify.epoch}|${b.view}|${b.height}|${b.parent}|${b.justify.view}|${b.justify.height}|${b.justify.blockHash}|${b.proposer}|${b.timestamp}|${b.entries.length}`,
  );
  for (const e of b.entries) h.update(entryId(e));
  return h.digest('hex');
}

/** The statement a vote signs (the chain id names the epoch). */
export function voteStatement(chain: string, view: number, height: number, hash: string): Uint8Array {
  return encoder.encode(`msys-ledger/vote/v2|${chain}|${view}|${height}|${hash}`);
}

/** The statement a proposer signs. */
export function proposalStatement(chain: string, view: number, hash: string): Uint8Array {
  return encoder.encode(`msys-ledger/proposal/v1|${chain}|${view}|${hash}`);
}

/** The statement a NEW-VIEW signs. */
export function newViewStatement(chain: string, view: number, qc: QuorumCertificate): Uint8Array {
  return encoder.encode(`msys-ledger/newview/v1|${chain}|${view}|${qc.view}|${qc.blockHash}`);
}

/** Signs a statement; returns hex. */
export function signHex(statement: Uint8Array, secretKey: Uint8Array): string {
  return Buffer.from(ed25519Sign(statement, secretKey)).toString('hex');
}

/** Verifies a hex signature by validator `index`; false for anything malformed. */
export function verifyHex(
  validators: readonly Validator[],
  index: number,
  statement: Uint8Array,
  signatureHex: string,
): boolean {
  const v = validators[index];
  if (v === undefined || typeof signatureHex !== 'string' || signatureHex.length !== 128) return false;
  return ed25519Verify(new Uint8Array(Buffer.from(signatureHex, 'hex')), statement, v.publicKey);
}

/**
 * Checks a quorum certificate: 2f+1 distinct known voters with valid signatures (or the genesis certificate).
 * Results are cached by content, since one certificate arrives in a proposal, its NEW-VIEWs and fetches.
 */
export class CertificateVerifier {
  readonly #validators: readonly Validator[];
  readonly #chain: string;
  readonly #quorum: number;
  readonly #genesis: Block;
  readonly #valid = new Set<string>();

  constructor(validators: readonly Validator[], chain: string, quorum: number, genesis: Block) {
    this.#validators = validators;
    this.#chain = chain;
    this.#quorum = quorum;
    this.#genesis = genesis;
  }

  /** Whether `qc` is a valid certificate of this epoch. */
  verify(qc: QuorumCertificate): boolean {
    if (qc.epoch !== this.#genesis.epoch) return false;
    if (qc.view === 0) {
      return (
        qc.height === this.#genesis.height && qc.blockHash === this.#genesis.hash && qc.votes.length === 0
      );
    }
    const key = `${qc.view}|${qc.height}|${qc.blockHash}|${qc.votes.map((v) => `${v.voter}:${v.signature}`).join(',')}`;
    if (this.#valid.has(key)) return true;
    const seen = new Set<number>();
    const statement = voteStatement(this.#chain, qc.view, qc.height, qc.blockHash);
    for (const v of qc.votes) {
      if (seen.has(v.voter)) return false;
      if (!verifyHex(this.#validators, v.voter, statement, v.signature)) return false;
      seen.add(v.voter);
    }
    if (seen.size < this.#quorum) return false;
    if (this.#valid.size > 10_000) this.#valid.clear();
    this.#valid.add(key);
    return true;
  }
}
