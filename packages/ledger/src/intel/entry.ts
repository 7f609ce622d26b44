import { createHash } from 'node:crypto';
import { badArgument } from '../errors.js';
import { hashLeaf } from '../merkle/hash.js';
import { INDICATOR_KINDS, type Indicator, type IndicatorKind, normalizeIndicator } from './indicator.js';
import {
  type ReconfigurationEntry,
  type ReconfigurationEntryInput,
  validateReconfiguration,
} from './reconfiguration.js';

/** What an entry asks for: `block` it, `allow` it (overrides blocks), or `watch` it (record, no effect). */
export type IntelAction = 'block' | 'allow' | 'watch';

/** One domain's assertion about an indicator. */
export interface IntelEntry {
  /** Discriminator. */
  readonly type: 'intel';
  /** The indicator, canonical. */
  readonly indicator: Indicator;
  /** What the source asks for. */
  readonly action: IntelAction;
  /** Confidence 0–100 (the STIX 2.1 §4.14 scale). */
  readonly confidence: number;
  /** The asserting organisation ("domain"), e.g. `soc.example.org`. */
  readonly source: string;
  /** Why, in the source's words. */
  readonly reason: string;
  /** Supporting evidence: log lines, ticket links, sample hashes. */
  readonly evidence?: readonly string[];
  /** When the source observed it, epoch ms. */
  readonly observedAt: number;
  /** When the assertion lapses, epoch ms. */
  readonly expiresAt?: number;
  /** The STIX 2.1 indicator id it came from or maps to. */
  readonly stixId?: string;
}

/** A domain withdrawing one of its own earlier entries. */
export interface RevocationEntry {
  /** Discriminator. */
  readonly type: 'revoke';
  /** The id (leaf hash, hex) of the entry withdrawn. */
  readonly target: string;
  /** The withdrawing domain; must equal the target's source to take effect. */
  readonly source: string;
  /** Why. */
  readonly reason: string;
  /** When, epoch ms. */
  readonly observedAt: number;
}

/** One signed statement inside equivocation evidence. */
export interface EquivocationStatement {
  /** The block hash the statement names, hex. */
  readonly blockHash: string;
  /** The offender's Ed25519 signature over it, hex. */
  readonly signature: string;
}

/** Proof that a replica signed two conflicting messages for one view; kept on the ledger for everyone to see. */
export interface EquivocationEntry {
  /** Discriminator. */
  readonly type: 'equivocation';
  /** The offending replica's public key, hex. */
  readonly replica: string;
  /** The view both messages claim. */
  readonly view: number;
  /** `proposal` or `vote`. */
  readonly message: 'proposal' | 'vote';
  /** The two signed statements: block hash hex and signature hex of each. */
  readonly statements: readonly EquivocationStatement[];
  /** When it was detected, epoch ms. */
  readonly observedAt: number;
}

/** Anything the ledger records. */
export type LedgerEntry = IntelEntry | RevocationEntry | EquivocationEntry | ReconfigurationEntry;

/** An indicator as a caller writes it: validated and canonicalised on submit. */
export interface IndicatorInput {
  /** The kind of value. */
  readonly kind: IndicatorKind;
  /** The value in any accepted spelling (e.g. compressed IPv6, upper-case digest). */
  readonly value: string;
}

/** The input form of a {@link RevocationEntry}: `observedAt` defaults to the ledger's clock. */
export interface RevocationEntryInput {
  /** Discriminator. */
  readonly type: 'revoke';
  /** See {@link RevocationEntry.target}. */
  readonly target: string;
  /** See {@link RevocationEntry.source}. */
  readonly source: string;
  /** See {@link RevocationEntry.reason}. */
  readonly reason: string;
  /** See {@link RevocationEntry.observedAt}. */
  readonly observedAt?: number;
}

/** The input form of an {@link IntelEntry}: the indicator need not be canonical yet. */
export interface IntelEntryInput {
  /** Discriminator (optional on input). */
  readonly type?: 'intel';
  /** The indicator, in any accepted spelling. */
  readonly indicator: IndicatorInput;
  /** See {@link IntelEntry.action}. */
  readonly action: IntelAction;
  /** See {@link IntelEntry.confidence}; default 50. */
  readonly confidence?: number;
  /** See {@link IntelEntry.source}. */
  readonly source: string;
  /** See {@link IntelEntry.reason}. */
  readonly reason: string;
  /** See {@link IntelEntry.evidence}. */
  readonly evidence?: readonly string[];
  /** See {@link IntelEntry.observedAt}; default: the ledger's clock. */
  readonly observedAt?: number;
  /** See {@link IntelEntry.expiresAt}. */
  readonly expiresAt?: number;
  /** See {@link IntelEntry.stixId}. */
  readonly stixId?: string;
}

/** What `submit` accepts: any entry, with `observedAt` optional (default: the ledger's clock). */
export type LedgerEntryInput =
  | IntelEntryInput
  | RevocationEntryInput
  | EquivocationEntry
  | ReconfigurationEntryInput;

const ACTIONS: readonly IntelAction[] = ['block', 'allow', 'watch'];
const STIX_ID = /^indicator--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HEX64 = /^[0-9a-f]{64}$/;

function text(path: string, v: unknown, max: number): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > max)
    badArgument(path, `a string of 1–${max} chars`, v);
  return v;
}

function time(path: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) badArgument(path, 'epoch milliseconds', v);
  return v;
}

/**
 * Validates an entry and returns its canonical form (the form that is hashed and replicated).
 *
 * @param input - the entry as given by a caller or decoded from a peer
 * @param now - epoch ms used when `observedAt` is missing
 * @param path - the option path named in errors
 * @returns the canonical entry
 * @throws SystemError `MSYS_LEDGER_INVALID_ARGUMENT` / `MSYS_LEDGER_INVALID_INDICATOR` (validation)
 */
export function validateEntry(input: LedgerEntryInput, now: number, path = 'entry'): LedgerEntry {
  if (typeof input !== 'object' || input === null) badArgument(path, 'an entry object', input);
  const type = input.type ?? 'intel';
  if (type === 'revoke') {
    const r = input as Partial<RevocationEntry>;
    if (typeof r.target !== 'string' || !HEX64.test(r.target))
      badArgument(`${path}.target`, '64 hex digits', r.target);
    const source = text(`${path}.source`, r.source, 253);
    const reason = text(`${path}.reason`, r.reason, 4096);
    const observedAt = time(`${path}.observedAt`, r.observedAt ?? now);
    return sorted({ observedAt, reason, source, target: r.target, type });
  }
  if (type === 'equivocation') {
    const e = input as EquivocationEntry;
    if (!Array.isArray(e.statements) || e.statements.length !== 2) {
      badArgument(`${path}.statements`, 'two signed statements', e.statements);
    }
    const replica = text(`${path}.replica`, e.replica, 64);
    const view = time(`${path}.view`, e.view);
    const statements = e.statements.map((s, i) => ({
      blockHash: text(`${path}.statements[${i}].blockHash`, s.blockHash, 64),
      signature: text(`${path}.statements[${i}].signature`, s.signature, 128),
    }));
    const observedAt = time(`${path}.observedAt`, e.observedAt ?? now);
    const message = e.message === 'vote' ? 'vote' : 'proposal';
    return sorted({ message, observedAt, replica, statements, type, view });
  }
  if (type === 'reconfigure') {
    const r = input as ReconfigurationEntryInput;
    return sorted(validateReconfiguration(r, time(`${path}.observedAt`, r.observedAt ?? now), path, text));
  }
  if (type !== 'intel')
    badArgument(`${path}.type`, "'intel', 'revoke', 'equivocation' or 'reconfigure'", type);
  const e = input as IntelEntryInput;
  if (typeof e.indicator !== 'object' || e.indicator === null)
    badArgument(`${path}.indicator`, '{ kind, value }', e.indicator);
  if (!INDICATOR_KINDS.includes(e.indicator.kind)) {
    badArgument(`${path}.indicator.kind`, `one of ${INDICATOR_KINDS.join(', ')}`, e.indicator.kind);
  }
  const indicator = normalizeIndicator(e.indicator.kind, e.indicator.value, `${path}.indicator`);
  if (!ACTIONS.includes(e.action)) badArgument(`${path}.action`, "'block', 'allow' or 'watch'", e.action);
  const confidence = e.confidence ?? 50;
  if (typeof confidence !== 'number' || !Number.isInteger(confidence) || confidence < 0 || confidence > 100) {
    badArgument(`${path}.confidence`, 'an integer in [0, 100]', confidence);
  }
  if (
    e.evidence !== undefined &&
    (!Array.isArray(e.evidence) || e.evidence.some((x) => typeof x !== 'string'))
  ) {
    badArgument(`${path}.evidence`, 'an array of strings', e.evidence);
  }
  if (e.stixId !== undefined && (typeof e.stixId !== 'string' || !STIX_ID.test(e.stixId))) {
    badArgument(`${path}.stixId`, 'a STIX 2.1 indicator id (indicator--<uuid>)', e.stixId);
  }
  const observedAt = time(`${path}.observedAt`, e.observedAt ?? now);
  const expiresAt = e.expiresAt === undefined ? undefined : time(`${path}.expiresAt`, e.expiresAt);
  const source = text(`${path}.source`, e.source, 253);
  const reason = text(`${path}.reason`, e.reason, 4096);
  // Keys in sorted order (see `sorted`).
  return sorted({
    action: e.action,
    confidence,
    ...(e.evidence === undefined ? {} : { evidence: [...e.evidence] }),
    ...(expiresAt === undefined ? {} : { expiresAt }),
    indicator: { kind: indicator.kind, value: indicator.value },
    observedAt,
    reason,
    source,
    ...(e.stixId === undefined ? {} : { stixId: e.stixId }),
    type: 'intel',
  });
}

/**
 * Validated entries are built with their keys in sorted order at every level, so `JSON.stringify` of one
 * is already its canonical JSON; they are remembered so that the fast path is taken only for them.
 */
const canonicalObjects = new WeakSet<object>();

function sorted<T extends LedgerEntry>(entry: T): T {
  canonicalObjects.add(entry);
  return entry;
}

/** JSON with keys sorted at every level: one byte string per entry, so every replica hashes the same leaf. */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'object' && value !== null && canonicalObjects.has(value))
    return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(k)}:${canonicalJson(v)}`;
    first = false;
  }
  return `${out}}`;
}

/**
 * The leaf input of an entry: its canonical JSON in UTF-8.
 *
 * @param entry - a canonical entry
 * @returns the bytes appended to the Merkle log
 */
export function encodeEntry(entry: LedgerEntry): Uint8Array {
  return new TextEncoder().encode(canonicalJson(entry));
}

/**
 * The id of an entry: the hex of its RFC 9162 leaf hash, so an id is also the key to its inclusion proof.
 *
 * @param entry - a canonical entry
 * @returns 64 hex digits
 */
export function entryId(entry: LedgerEntry): string {
  const cached = ids.get(entry);
  if (cached !== undefined) return cached;
  return rememberEntryId(entry, canonicalJson(entry));
}

/**
 * Entries are immutable once validated, and one entry's id is needed many times on its way through the
 * mempool, a block, its hash and the log: the id is computed once per entry object.
 */
const ids = new WeakMap<object, string>();

/** Records the id of an entry whose canonical JSON is already known. @internal */
export function rememberEntryId(entry: LedgerEntry, canonical: string): string {
  const id = Buffer.from(hashLeaf(new TextEncoder().encode(canonical))).toString('hex');
  ids.set(entry, id);
  return id;
}

/** @internal */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
