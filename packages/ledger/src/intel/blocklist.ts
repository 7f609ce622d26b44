import type { IntelAction, IntelEntryInput } from './entry.js';
import { parsePrefix } from './indicator.js';

/** One refused line of a blocklist. */
export interface BlocklistRefusal {
  /** 1-based line number. */
  readonly line: number;
  /** The line as written. */
  readonly text: string;
  /** Why it was refused. */
  readonly reason: string;
}

/** The outcome of a plain-text blocklist import. */
export interface BlocklistImport {
  /** Entry inputs, one per accepted line. */
  readonly entries: IntelEntryInput[];
  /** Each refused line: its 1-based number, its text and why. */
  readonly refused: BlocklistRefusal[];
}

/**
 * Parses a plain-text blocklist: one IPv4/IPv6 address or CIDR network per line; `#` starts a comment
 * (whole-line or trailing); blank lines are skipped. Every other line is refused and reported — nothing is
 * dropped silently.
 *
 * @param text - the list's contents
 * @param options - the asserting domain, the action (default block), reason, confidence and expiry
 * @returns entries ready to submit and the refused lines
 * @example
 * ```ts
 * const { entries, refused } = parseBlocklist('# spamhaus drop\n192.0.2.0/24\n', { source: 'soc.example' });
 * ```
 */
export function parseBlocklist(
  text: string,
  options: {
    readonly source: string;
    readonly action?: IntelAction;
    readonly reason?: string;
    readonly confidence?: number;
    readonly expiresAt?: number;
  },
): BlocklistImport {
  const entries: IntelEntryInput[] = [];
  const refused: BlocklistImport['refused'] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    const hash = raw.indexOf('#');
    const line = (hash < 0 ? raw : raw.slice(0, hash)).trim();
    if (line === '') continue;
    if (/\s/.test(line)) {
      refused.push({ line: i + 1, text: raw, reason: 'more than one token' });
      continue;
    }
    const p = parsePrefix(line);
    if (p === undefined) {
      refused.push({ line: i + 1, text: raw, reason: 'not an IP address or CIDR' });
      continue;
    }
    const host = p.prefix === (p.family === 4 ? 32 : 128) && !line.includes('/');
    entries.push({
      indicator: { kind: host ? (p.family === 4 ? 'ipv4' : 'ipv6') : 'cidr', value: line },
      action: options.action ?? 'block',
      source: options.source,
      reason: options.reason ?? `blocklist line ${i + 1}`,
      ...(options.confidence === undefined ? {} : { confidence: options.confidence }),
      ...(options.expiresAt === undefined ? {} : { expiresAt: options.expiresAt }),
    });
  }
  return { entries, refused };
}
