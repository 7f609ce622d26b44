import { jsonErrorOffset } from './json-position.js';
import type { JsonType } from './shape.js';
import { isPlainObject } from './values.js';

/** One environment variable mapped to a key path. */
export interface EnvAssignment {
  /** The variable's name, e.g. `MSYS_LEDGER__PORT`. */
  readonly name: string;
  /** The key path it sets, e.g. `['ledger', 'port']`. */
  readonly path: readonly string[];
  /** The variable's value. */
  readonly raw: string;
}

/** The keys known at one level of the configuration. */
export interface KnownKeys {
  /** Keys named by the schema, the defaults or the files. */
  readonly keys: readonly string[];
  /** Whether the level takes keys of its own choosing (a record), so unmatched names are not foreign. */
  readonly open: boolean;
}

/** What a key accepts, as far as coercion needs to know. */
export interface ValueKind {
  /** The JSON types; empty when unknown. */
  readonly types: ReadonlySet<JsonType>;
  /** For arrays: what the items accept. */
  readonly items?: ValueKind;
}

/** The outcome of coercing one string. */
export type Coerced =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly problem: string };

const normalize = (s: string): string => s.toLowerCase().replace(/[_-]/g, '');

/**
 * Maps one `__`-separated segment to a key: a known key equal to it ignoring case, `_` and `-`
 * (`PEER_TIMEOUT_MS` ↔ `peerTimeoutMs`, `peer_timeout_ms`, `peer-timeout-ms`); among several, the one equal
 * ignoring case only. Otherwise `undefined`.
 *
 * @internal
 */
export function matchKnownKey(segment: string, keys: readonly string[]): string | undefined {
  const wanted = normalize(segment);
  const matches = keys.filter((k) => normalize(k) === wanted);
  return matches.find((k) => k.toLowerCase() === segment.toLowerCase()) ?? matches[0];
}

/**
 * Lower camel case of an environment segment: `PEER_TIMEOUT_MS` → `peerTimeoutMs`.
 *
 * @internal
 */
export function lowerCamel(segment: string): string {
  return segment
    .toLowerCase()
    .replace(/^_+/, '')
    .replace(/[_-]+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Picks the variables that start with `prefix` and maps each to a key path. A variable whose first segment
 * matches no known top-level key is ignored (the environment is shared with other programs) unless nothing
 * is known about the top level. Assignments come shallow-first, then by name, so `MSYS_LEDGER__PORT` wins
 * over a `port` inside `MSYS_LEDGER`'s JSON.
 *
 * @internal
 */
export function selectEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  prefix: string,
  known: (path: readonly string[]) => KnownKeys,
): { assignments: EnvAssignment[]; ignored: string[] } {
  const assignments: EnvAssignment[] = [];
  const ignored: string[] = [];
  for (const name of Object.keys(env).sort()) {
    const raw = env[name];
    if (raw === undefined || !name.startsWith(prefix)) continue;
    const segments = name.slice(prefix.length).split('__');
    if (segments.some((s) => s === '' || lowerCamel(s) === '')) {
      ignored.push(name);
      continue;
    }
    const path: string[] = [];
    for (const segment of segments) {
      const level = known(path);
      const key = matchKnownKey(segment, level.keys);
      if (key === undefined && path.length === 0 && level.keys.length > 0 && !level.open) break;
      path.push(key ?? lowerCamel(segment));
    }
    if (path.length < segments.length) ignored.push(name);
    else assignments.push({ name, path, raw });
  }
  assignments.sort(
    (a, b) => a.path.length - b.path.length || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  return { assignments, ignored };
}

/**
 * What a JavaScript value tells about its key: used when the schema's shape is unknown.
 *
 * @internal
 */
export function kindOfValue(value: unknown): ValueKind | undefined {
  if (typeof value === 'number' || typeof value === 'bigint') return { types: new Set(['number']) };
  if (typeof value === 'boolean') return { types: new Set(['boolean']) };
  if (typeof value === 'string') return { types: new Set(['string']) };
  if (Array.isArray(value)) {
    const items = value.length > 0 ? kindOfValue(value[0]) : undefined;
    return items ? { types: new Set(['array']), items } : { types: new Set(['array']) };
  }
  if (isPlainObject(value)) return { types: new Set(['object']) };
  return undefined;
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);
// A decimal literal without leading zeros, so that `007` or `0x1F` stay strings when nothing says "number".
const PLAIN_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * Converts a variable's string to what its key accepts. With known types, tries them in this order:
 * `null` (the word `null`), boolean (`true/false/1/0/yes/no/on/off`, any case), number (any finite
 * `Number()` literal), array (JSON `[…]`, else a comma list whose items are trimmed and coerced by the
 * items' kind; the empty string is `[]`), object (JSON `{…}`), string (unchanged). With unknown types:
 * `true`/`false` → boolean, a plain decimal → number, valid JSON starting with `[`/`{` → that value,
 * anything else → the string.
 *
 * @internal
 */
export function coerceEnvValue(raw: string, kind: ValueKind | undefined): Coerced {
  const types = kind?.types ?? new Set<JsonType>();
  const text = raw.trim();
  if (types.size === 0) {
    if (text === 'true' || text === 'false') return { ok: true, value: text === 'true' };
    if (PLAIN_NUMBER.test(text)) return { ok: true, value: Number(text) };
    if (text.startsWith('[') || text.startsWith('{')) {
      const parsed = parseJson(text);
      if (parsed.ok) return parsed;
    }
    return { ok: true, value: raw };
  }
  if (types.has('null') && text === 'null') return { ok: true, value: null };
  if (types.has('boolean')) {
    const word = text.toLowerCase();
    if (TRUE_WORDS.has(word)) return { ok: true, value: true };
    if (FALSE_WORDS.has(word)) return { ok: true, value: false };
  }
  if ((types.has('number') || types.has('integer')) && text !== '' && Number.isFinite(Number(text))) {
    return { ok: true, value: Number(text) };
  }
  if (types.has('array')) {
    if (text.startsWith('[')) {
      const parsed = parseJson(text);
      if (!parsed.ok || Array.isArray(parsed.value)) return parsed;
    } else if (text === '') return { ok: true, value: [] };
    else {
      const items: unknown[] = [];
      for (const item of text.split(',')) {
        const c = coerceEnvValue(item.trim(), kind?.items);
        if (!c.ok) return { ok: false, problem: `list item: ${c.problem}` };
        items.push(c.value);
      }
      return { ok: true, value: items };
    }
  }
  if (types.has('object') && text.startsWith('{')) {
    const parsed = parseJson(text);
    if (!parsed.ok || isPlainObject(parsed.value)) return parsed;
  }
  if (types.has('string')) return { ok: true, value: raw };
  return { ok: false, problem: `expected ${describeTypes(types)}` };
}

function describeTypes(types: ReadonlySet<JsonType>): string {
  const words: string[] = [];
  if (types.has('null')) words.push('null');
  if (types.has('boolean')) words.push('a boolean (true/false/1/0/yes/no/on/off)');
  if (types.has('number') || types.has('integer')) words.push('a number');
  if (types.has('array')) words.push('a JSON array or a comma-separated list');
  if (types.has('object')) words.push('a JSON object');
  return words.join(' or ');
}

/**
 * Parses JSON and, on failure, describes the failure by position only: V8's messages quote the input
 * (`"…" is not valid JSON`), which may be a secret.
 *
 * @internal
 */
export function parseJson(text: string): Coerced {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, problem: describeJsonError(text) };
  }
}

/** @internal */
export function describeJsonError(text: string): string {
  const offset = jsonErrorOffset(text);
  if (offset >= text.length) return 'invalid JSON: unexpected end of input';
  const before = text.slice(0, offset).split('\n');
  return `invalid JSON at line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}
