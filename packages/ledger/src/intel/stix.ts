import { ledgerErrors } from '../errors.js';
import type { IndicatorInput, IntelAction, IntelEntry, IntelEntryInput } from './entry.js';
import { sha256Hex } from './entry.js';
import { type IndicatorKind, parsePrefix } from './indicator.js';

/** A STIX 2.1 Indicator SDO (§4.7), the properties this ledger reads and writes. */
export interface StixIndicator {
  /** Always `indicator`. */
  readonly type: 'indicator';
  /** Always `2.1`. */
  readonly spec_version: '2.1';
  /** `indicator--<uuid>`. */
  readonly id: string;
  /** Creation time, RFC 3339. */
  readonly created: string;
  /** Modification time, RFC 3339. */
  readonly modified: string;
  /** The STIX pattern, e.g. `[ipv4-addr:value = '198.51.100.1']`. */
  readonly pattern: string;
  /** Always `stix`. */
  readonly pattern_type: 'stix';
  /** Start of validity, RFC 3339. */
  readonly valid_from: string;
  /** End of validity, RFC 3339. */
  readonly valid_until?: string;
  /** 0–100. */
  readonly confidence?: number;
  /** Free text; carries the reason. */
  readonly description?: string;
  /** Short name. */
  readonly name?: string;
  /** Open vocabulary labels; `allow`/`watch` set the action, anything else means block. */
  readonly labels?: readonly string[];
  /** The producer, as `identity--…` (kept as the source when no source is given). */
  readonly created_by_ref?: string;
}

/** One refused STIX object. */
export interface StixRefusal {
  /** Its position in the input's object list. */
  readonly index: number;
  /** Its id, when it had one. */
  readonly id?: string;
  /** Why it was refused. */
  readonly reason: string;
}

/** A STIX 2.1 bundle of indicators, as {@link exportStix} writes it. */
export interface StixBundle {
  /** Always `bundle`. */
  readonly type: 'bundle';
  /** `bundle--<uuid>`, derived from the exported entries. */
  readonly id: string;
  /** The indicators. */
  readonly objects: StixIndicator[];
}

/** The outcome of a STIX import: entries ready to submit and the objects refused. */
export interface StixImport {
  /** Entry inputs, one per accepted indicator. */
  readonly entries: IntelEntryInput[];
  /** Each refused object: its position in the input, its id when present, and why. */
  readonly refused: StixRefusal[];
}

const OBJECT_TYPES: Record<string, IndicatorKind> = {
  'ipv4-addr': 'ipv4',
  'ipv6-addr': 'ipv6',
  'domain-name': 'domain',
  url: 'url',
};
const HASH_KINDS: Record<string, IndicatorKind> = { 'SHA-256': 'sha256', 'SHA-1': 'sha1', MD5: 'md5' };
const VALUE_PATTERN = /^\[\s*(ipv4-addr|ipv6-addr|domain-name|url):value\s*=\s*'((?:[^'\\]|\\.)*)'\s*\]$/;
const HASH_PATTERN =
  /^\[\s*file:hashes\.(?:'(SHA-256|SHA-1|MD5)'|(SHA-256|SHA-1|MD5))\s*=\s*'([0-9a-fA-F]+)'\s*\]$/;

/**
 * Parses the supported STIX pattern subset (one comparison): `[ipv4-addr:value = '…']` (address or CIDR),
 * `[ipv6-addr:value = '…']`, `[domain-name:value = '…']`, `[url:value = '…']`, `[file:hashes.'SHA-256' = '…']`.
 *
 * @param pattern - a STIX 2.1 pattern
 * @returns the indicator kind and value, or undefined for anything outside the subset
 */
export function parseStixPattern(pattern: string): IndicatorInput | undefined {
  const m = VALUE_PATTERN.exec(pattern.trim());
  if (m) {
    const value = (m[2] as string).replace(/\\(.)/g, '$1');
    let kind = OBJECT_TYPES[m[1] as string] as IndicatorKind;
    if ((kind === 'ipv4' || kind === 'ipv6') && value.includes('/')) kind = 'cidr';
    return { kind, value };
  }
  const h = HASH_PATTERN.exec(pattern.trim());
  if (h) return { kind: HASH_KINDS[(h[1] ?? h[2]) as string] as IndicatorKind, value: h[3] as string };
  return undefined;
}

function stixPattern(kind: IndicatorKind, value: string): string {
  const quoted = value.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
  switch (kind) {
    case 'ipv4':
      return `[ipv4-addr:value = '${quoted}']`;
    case 'ipv6':
      return `[ipv6-addr:value = '${quoted}']`;
    case 'cidr':
      return `[${parsePrefix(value)?.family === 6 ? 'ipv6-addr' : 'ipv4-addr'}:value = '${quoted}']`;
    case 'domain':
      return `[domain-name:value = '${quoted}']`;
    case 'url':
      return `[url:value = '${quoted}']`;
    default:
      return `[file:hashes.'${kind === 'sha256' ? 'SHA-256' : kind === 'sha1' ? 'SHA-1' : 'MD5'}' = '${quoted}']`;
  }
}

function parseTime(s: unknown): number | undefined {
  if (typeof s !== 'string') return undefined;
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : undefined;
}

/**
 * Imports STIX 2.1 indicators from a bundle, an array or a single object. Objects that are not indicators
 * (identities, relationships…) are skipped silently; indicators outside the pattern subset are refused.
 *
 * @param input - parsed JSON or JSON text
 * @param options - the asserting domain (`source`), and defaults for action and reason
 * @returns the entries and the refusals
 * @throws SystemError `MSYS_LEDGER_INVALID_STIX` when the input is not JSON or holds no object list
 */
export function importStix(
  input: unknown,
  options: { readonly source: string; readonly action?: IntelAction; readonly reason?: string },
): StixImport {
  let doc = input;
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc);
    } catch {
      throw ledgerErrors.MSYS_LEDGER_INVALID_STIX({ path: 'input', reason: 'not JSON' });
    }
  }
  const objects: unknown[] = Array.isArray(doc)
    ? doc
    : typeof doc === 'object' && doc !== null && (doc as { type?: unknown }).type === 'bundle'
      ? ((doc as { objects?: unknown[] }).objects ?? [])
      : [doc];
  if (!Array.isArray(objects))
    throw ledgerErrors.MSYS_LEDGER_INVALID_STIX({ path: 'input.objects', reason: 'not an array' });
  const entries: IntelEntryInput[] = [];
  const refused: StixImport['refused'] = [];
  for (let index = 0; index < objects.length; index++) {
    const o = objects[index];
    if (typeof o !== 'object' || o === null) {
      refused.push({ index, reason: 'not an object' });
      continue;
    }
    const ind = o as Partial<StixIndicator>;
    if (ind.type !== 'indicator') continue;
    const id = typeof ind.id === 'string' ? ind.id : undefined;
    const refuse = (reason: string) => refused.push({ index, ...(id === undefined ? {} : { id }), reason });
    if (ind.pattern_type !== undefined && ind.pattern_type !== 'stix') {
      refuse('pattern_type is not stix');
      continue;
    }
    const parsed = typeof ind.pattern === 'string' ? parseStixPattern(ind.pattern) : undefined;
    if (parsed === undefined) {
      refuse('pattern outside the supported subset');
      continue;
    }
    const labels = ind.labels ?? [];
    const action: IntelAction = labels.includes('allow')
      ? 'allow'
      : labels.includes('watch')
        ? 'watch'
        : (options.action ?? 'block');
    const observedAt = parseTime(ind.valid_from) ?? parseTime(ind.created);
    const expiresAt = parseTime(ind.valid_until);
    const confidence = typeof ind.confidence === 'number' ? ind.confidence : undefined;
    entries.push({
      indicator: parsed,
      action,
      source: options.source,
      reason: ind.description ?? ind.name ?? options.reason ?? 'STIX 2.1 indicator',
      ...(confidence === undefined ? {} : { confidence }),
      ...(observedAt === undefined ? {} : { observedAt }),
      ...(expiresAt === undefined ? {} : { expiresAt }),
      ...(id !== undefined && /^indicator--[0-9a-f-]{36}$/.test(id) ? { stixId: id } : {}),
    });
  }
  return { entries, refused };
}

/** A deterministic `indicator--<uuid>` for an entry that has none: UUID-shaped bits of its id's hash. */
function stixIdFor(entryIdHex: string): string {
  const h = sha256Hex(`stix:${entryIdHex}`);
  const variant = ((Number.parseInt(h[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `indicator--${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Exports intel entries as a STIX 2.1 bundle of indicators.
 *
 * @param entries - committed intel entries with their ids
 * @returns a STIX bundle object (serialize with `JSON.stringify`)
 */
export function exportStix(
  entries: readonly { readonly id: string; readonly entry: IntelEntry }[],
): StixBundle {
  const objects = entries.map(({ id, entry }): StixIndicator => {
    const at = new Date(entry.observedAt).toISOString();
    return {
      type: 'indicator',
      spec_version: '2.1',
      id: entry.stixId ?? stixIdFor(id),
      created: at,
      modified: at,
      name: `${entry.action} ${entry.indicator.value}`,
      description: entry.reason,
      pattern: stixPattern(entry.indicator.kind, entry.indicator.value),
      pattern_type: 'stix',
      valid_from: at,
      ...(entry.expiresAt === undefined ? {} : { valid_until: new Date(entry.expiresAt).toISOString() }),
      confidence: entry.confidence,
      labels: [entry.action === 'block' ? 'malicious-activity' : entry.action],
    };
  });
  const bundleId = stixIdFor(entries.map((e) => e.id).join(',')).replace('indicator--', 'bundle--');
  return { type: 'bundle', id: bundleId, objects };
}
