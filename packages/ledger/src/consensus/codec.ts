import { canonicalJson, type LedgerEntry, rememberEntryId, validateEntry } from '../intel/entry.js';
import type { Block, ConsensusMessage, QuorumCertificate, VoteSignature } from './types.js';

/** Limits a decoder enforces on peer input. */
export interface CodecLimits {
  /** Validators in the set (voter indices must be below it). */
  readonly validators: number;
  /** Most entries in one block or submit message. */
  readonly maxEntries: number;
  /** Most blocks in one fetch response. */
  readonly maxBlocks: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const HEX64 = /^[0-9a-f]{64}$/;

/*
 * Wire form: UTF-8 JSON, except that every entry travels as a JSON string holding its canonical JSON. The
 * receiver then has the exact bytes it must hash and the key of its validation cache without re-serialising
 * the parsed entry, and an entry it already validated (first gossiped, then proposed) costs one string rather
 * than an object graph to parse and collect. Storage keeps blocks with entries as objects (`blockJson`).
 */
const wireEntries = (list: readonly LedgerEntry[]): string[] => list.map((e) => canonicalJson(e));
const wireBlock = (b: Block) => ({ ...b, entries: wireEntries(b.entries) });

/** Encodes a message for the wire (UTF-8 JSON; each entry as a string of its canonical JSON). */
export function encodeMessage(message: ConsensusMessage): Uint8Array {
  switch (message.t) {
    case 'proposal':
      return encoder.encode(JSON.stringify({ ...message, block: wireBlock(message.block) }));
    case 'submit':
      return encoder.encode(JSON.stringify({ ...message, entries: wireEntries(message.entries) }));
    case 'blocks':
      return encoder.encode(JSON.stringify({ ...message, blocks: message.blocks.map(wireBlock) }));
    default:
      return encoder.encode(JSON.stringify(message));
  }
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isHash = (v: unknown): v is string => typeof v === 'string' && HEX64.test(v);

function vote(v: unknown, limits: CodecLimits): VoteSignature | undefined {
  if (!isObj(v) || !isCount(v.voter) || v.voter >= limits.validators) return undefined;
  if (typeof v.signature !== 'string' || !/^[0-9a-f]{128}$/.test(v.signature)) return undefined;
  return { voter: v.voter, signature: v.signature };
}

function qc(v: unknown, limits: CodecLimits): QuorumCertificate | undefined {
  if (!isObj(v) || !isCount(v.epoch) || !isCount(v.view) || !isCount(v.height) || !isHash(v.blockHash))
    return undefined;
  if (!Array.isArray(v.votes) || v.votes.length > limits.validators) return undefined;
  const votes: VoteSignature[] = [];
  for (const x of v.votes) {
    const s = vote(x, limits);
    if (s === undefined) return undefined;
    votes.push(s);
  }
  return { epoch: v.epoch, view: v.view, height: v.height, blockHash: v.blockHash, votes };
}

/**
 * Entries already validated, by canonical JSON (as received): an entry reaches a replica first in a client's
 * gossip and again in a proposal, and re-validating or re-hashing it costs more than everything else
 * consensus does with it. A hit returns the same object, whose id (leaf hash) is already remembered.
 */
const validated = new Map<string, LedgerEntry>();
const VALIDATED_LIMIT = 100_000;

/**
 * Records entries this replica validated itself (a client's submissions): they come back in other leaders'
 * proposals, and would otherwise be validated and hashed a second time there. Only `validateEntry` output
 * may be passed, as the decoder serves these objects without checking them again. @internal
 */
export function rememberValidated(list: readonly LedgerEntry[]): void {
  for (const e of list) {
    const canonical = canonicalJson(e);
    if (validated.has(canonical)) continue;
    if (validated.size >= VALIDATED_LIMIT) validated.clear();
    validated.set(canonical, e);
  }
}

function entries(v: unknown, limits: CodecLimits): LedgerEntry[] | undefined {
  if (!Array.isArray(v) || v.length > limits.maxEntries) return undefined;
  const out: LedgerEntry[] = [];
  for (const raw of v) {
    if (typeof raw !== 'string') return undefined;
    const known = validated.get(raw);
    if (known !== undefined) {
      out.push(known);
      continue;
    }
    try {
      const valid = validateEntry(JSON.parse(raw) as LedgerEntry, 0);
      // Only canonical entries are accepted: every replica must hash exactly the bytes it stores.
      const canonical = canonicalJson(valid);
      if (canonical !== raw) return undefined;
      rememberEntryId(valid, canonical);
      if (validated.size >= VALIDATED_LIMIT) validated.clear();
      validated.set(canonical, valid);
      out.push(valid);
    } catch {
      return undefined;
    }
  }
  return out;
}

function block(v: unknown, limits: CodecLimits): Block | undefined {
  if (
    !isObj(v) ||
    !isCount(v.epoch) ||
    !isCount(v.view) ||
    !isCount(v.height) ||
    !isCount(v.proposer) ||
    !isCount(v.timestamp)
  ) {
    return undefined;
  }
  if (v.proposer >= limits.validators || !isHash(v.parent) || !isHash(v.hash)) return undefined;
  const justify = qc(v.justify, limits);
  const list = entries(v.entries, limits);
  if (justify === undefined || list === undefined) return undefined;
  return {
    epoch: v.epoch,
    view: v.view,
    height: v.height,
    parent: v.parent,
    justify,
    proposer: v.proposer,
    timestamp: v.timestamp,
    entries: list,
    hash: v.hash,
  };
}

/**
 * Decodes and structurally validates a peer's message. Anything malformed — not UTF-8, not JSON, an unknown
 * type, a field of the wrong shape, an out-of-range index, a non-canonical entry — yields undefined so the
 * caller can drop and count it; it never throws.
 *
 * @param bytes - the frame payload
 * @param limits - the decoder's limits
 * @returns the message, or undefined
 */
export function decodeMessage(bytes: Uint8Array, limits: CodecLimits): ConsensusMessage | undefined {
  let v: unknown;
  try {
    v = JSON.parse(decoder.decode(bytes));
  } catch {
    return undefined;
  }
  if (!isObj(v)) return undefined;
  switch (v.t) {
    case 'proposal': {
      const b = block(v.block, limits);
      if (b === undefined || typeof v.signature !== 'string' || !/^[0-9a-f]{128}$/.test(v.signature))
        return undefined;
      return { t: 'proposal', block: b, signature: v.signature };
    }
    case 'vote': {
      const s = vote(v.vote, limits);
      if (
        s === undefined ||
        !isCount(v.epoch) ||
        !isCount(v.view) ||
        !isCount(v.height) ||
        !isHash(v.blockHash)
      )
        return undefined;
      return { t: 'vote', epoch: v.epoch, view: v.view, height: v.height, blockHash: v.blockHash, vote: s };
    }
    case 'newview': {
      const s = vote(v.sender, limits);
      const high = qc(v.highQC, limits);
      if (s === undefined || high === undefined || !isCount(v.view) || !isCount(v.epoch)) return undefined;
      return { t: 'newview', epoch: v.epoch, view: v.view, highQC: high, sender: s };
    }
    case 'submit': {
      const list = entries(v.entries, limits);
      return list === undefined ? undefined : { t: 'submit', entries: list };
    }
    case 'status':
      return isCount(v.height) && isCount(v.epoch)
        ? { t: 'status', epoch: v.epoch, height: v.height }
        : undefined;
    case 'fetch':
      return isHash(v.hash) && isCount(v.since) ? { t: 'fetch', hash: v.hash, since: v.since } : undefined;
    case 'blocks': {
      if (!Array.isArray(v.blocks) || v.blocks.length > limits.maxBlocks) return undefined;
      const out: Block[] = [];
      for (const x of v.blocks) {
        const b = block(x, limits);
        if (b === undefined) return undefined;
        out.push(b);
      }
      return { t: 'blocks', blocks: out };
    }
    default:
      return undefined;
  }
}
