import { type PathKey, pathKey } from './paths.js';
import { isPlainObject } from './values.js';

/** What replaces a secret value in {@link ConfigDefinition.redact}'s output and in messages. */
export const REDACTED = '[redacted]';

/**
 * The secret key patterns of one definition (and load): dotted paths such as `ledger.token`, where a `*`
 * segment matches any one key or array index. Everything at or below a matching path is secret.
 *
 * @internal
 */
export class SecretKeys {
  private readonly patterns: readonly (readonly string[])[];

  constructor(patterns: Iterable<readonly string[]>) {
    const unique = new Map<string, readonly string[]>();
    for (const p of patterns) unique.set(pathKey(p), p);
    this.patterns = [...unique.values()];
  }

  /** The patterns in dotted form. */
  list(): string[] {
    return this.patterns.map((p) => p.join('.'));
  }

  /** Whether the value at `path` is secret. */
  covers(path: readonly PathKey[]): boolean {
    return this.patterns.some(
      (pattern) =>
        pattern.length <= path.length &&
        pattern.every((segment, i) => segment === '*' || segment === String(path[i])),
    );
  }

  /** Whether some secret lies at or below `path` (so a value there may contain one). */
  mayContain(path: readonly PathKey[]): boolean {
    return this.patterns.some((pattern) =>
      path.every((segment, i) => i >= pattern.length || pattern[i] === '*' || pattern[i] === String(segment)),
    );
  }

  /**
   * Adds to `into` every secret value found in `value` (which sits at `at`), as the strings a message could
   * echo: each scalar leaf and the JSON of each secret object or array.
   */
  collect(value: unknown, at: readonly PathKey[], into: Set<string>): void {
    if (this.patterns.length === 0) return;
    if (this.covers(at)) {
      addSecretStrings(value, into);
      return;
    }
    if (!this.mayContain(at)) return;
    if (Array.isArray(value)) for (const [i, v] of value.entries()) this.collect(v, [...at, i], into);
    else if (isPlainObject(value))
      for (const [k, v] of Object.entries(value)) this.collect(v, [...at, k], into);
  }

  /** A JSON-like copy of `value` with every secret replaced by {@link REDACTED}. */
  redact(value: unknown, at: readonly PathKey[] = []): unknown {
    if (this.covers(at)) return REDACTED;
    if (Array.isArray(value)) return value.map((v, i) => this.redact(v, [...at, i]));
    if (isPlainObject(value)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        Object.defineProperty(out, k, {
          value: this.redact(v, [...at, k]),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    return value;
  }
}

function addSecretStrings(value: unknown, into: Set<string>): void {
  if (value === undefined || value === null) return;
  if (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'bigint' ||
    typeof value === 'boolean'
  ) {
    into.add(String(value));
    if (typeof value === 'string') into.add(JSON.stringify(value).slice(1, -1));
    return;
  }
  if (value instanceof Date) {
    into.add(Number.isNaN(value.getTime()) ? String(value) : value.toISOString());
    return;
  }
  if (Array.isArray(value) || isPlainObject(value))
    for (const v of Object.values(value)) addSecretStrings(v, into);
  try {
    into.add(JSON.stringify(value));
  } catch {
    // a cycle or a bigint: the leaves above are still scrubbed
  }
}

/**
 * Replaces every occurrence of every secret string in `message` (longest first, so that a secret containing
 * another is scrubbed whole).
 *
 * @internal
 */
export function scrub(message: string, secrets: ReadonlySet<string>): string {
  const words = [...secrets].filter((x) => x !== '').sort((a, b) => b.length - a.length);
  if (words.length === 0) return message;
  // One pass over an alternation: a replacement is never scanned again, so a short secret cannot match inside it.
  const pattern = new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  return message.replace(pattern, REDACTED);
}

/**
 * Parses a secret pattern (`ledger.token`, `peers.*.key`).
 *
 * @internal
 */
export function parseSecretPattern(pattern: string): string[] | undefined {
  const segments = pattern.split('.');
  return pattern === '' || segments.some((s) => s === '') ? undefined : segments;
}
