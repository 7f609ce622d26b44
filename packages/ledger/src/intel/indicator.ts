import { isIPv6 } from 'node:net';
import { describeValue } from '@msys/core/errors';
import { ledgerErrors } from '../errors.js';

/** The kinds of indicator the ledger understands. */
export type IndicatorKind = 'ipv4' | 'ipv6' | 'cidr' | 'domain' | 'url' | 'sha256' | 'sha1' | 'md5';

/** Every indicator kind, in a stable order. */
export const INDICATOR_KINDS: readonly IndicatorKind[] = Object.freeze([
  'ipv4',
  'ipv6',
  'cidr',
  'domain',
  'url',
  'sha256',
  'sha1',
  'md5',
]);

/** An indicator in canonical form: what a block decision is about. */
export interface Indicator {
  /** The kind of value. */
  readonly kind: IndicatorKind;
  /**
   * The canonical value: dotted IPv4, fully expanded lower-case IPv6, `network/prefix` with host bits cleared,
   * lower-case domain without trailing dot, WHATWG-serialized URL, lower-case hex digest.
   */
  readonly value: string;
}

/** A parsed IP address or network: family, address words (big-endian 32-bit) and prefix length. @internal */
export interface IpPrefix {
  readonly family: 4 | 6;
  readonly words: Uint32Array;
  readonly prefix: number;
}

/** Parses dotted-quad IPv4 into a uint32, or -1. @internal */
export function parseIPv4(s: string): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && octet === 0) return -1; // leading zeros are ambiguous (octal in some parsers)
      octet = octet * 10 + (c - 48);
      if (octet > 255 || ++digits > 3) return -1;
    } else return -1;
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + octet;
}

/** Parses IPv6 text (RFC 4291 §2.2, including `::` and a trailing dotted IPv4) into four words, or undefined. @internal */
export function parseIPv6(s: string): Uint32Array | undefined {
  if (!isIPv6(s) || s.includes('%')) return undefined;
  let text = s;
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    const n = parseIPv4(last);
    if (n < 0) return undefined;
    text = `${text.slice(0, lastColon + 1)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const double = text.indexOf('::');
  const parseGroups = (t: string): number[] =>
    t === '' ? [] : t.split(':').map((g) => Number.parseInt(g, 16));
  const head = parseGroups(double < 0 ? text : text.slice(0, double));
  const tail = double < 0 ? [] : parseGroups(text.slice(double + 2));
  if (head.length + tail.length > (double < 0 ? 8 : 7) || (double < 0 && head.length !== 8)) return undefined;
  const groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  if (groups.some((g) => !Number.isInteger(g) || g < 0 || g > 0xffff)) return undefined;
  const words = new Uint32Array(4);
  for (let i = 0; i < 4; i++)
    words[i] = (((groups[2 * i] as number) << 16) | (groups[2 * i + 1] as number)) >>> 0;
  return words;
}

/** Formats IPv4 from a uint32. @internal */
export function formatIPv4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** Formats IPv6 fully expanded (8 groups of 4 hex digits): one spelling per address, so exact maps match. @internal */
export function formatIPv6(words: Uint32Array): string {
  const parts: string[] = [];
  for (let i = 0; i < 4; i++) {
    const w = words[i] as number;
    parts.push((w >>> 16).toString(16).padStart(4, '0'), (w & 0xffff).toString(16).padStart(4, '0'));
  }
  return parts.join(':');
}

/** Clears the host bits beyond `prefix`. @internal */
export function maskWords(words: Uint32Array, prefix: number): Uint32Array {
  const out = new Uint32Array(words);
  for (let i = 0; i < out.length; i++) {
    const keep = Math.max(0, Math.min(32, prefix - 32 * i));
    out[i] =
      keep === 0 ? 0 : keep === 32 ? (out[i] as number) : ((out[i] as number) & (~0 << (32 - keep))) >>> 0;
  }
  return out;
}

/** Parses `a.b.c.d/n` or `v6/n` (also a bare address, as a host prefix). @internal */
export function parsePrefix(s: string): IpPrefix | undefined {
  const slash = s.indexOf('/');
  const addr = slash < 0 ? s : s.slice(0, slash);
  const bitsText = slash < 0 ? undefined : s.slice(slash + 1);
  if (bitsText !== undefined && !/^\d{1,3}$/.test(bitsText)) return undefined;
  const v4 = parseIPv4(addr);
  if (v4 >= 0) {
    const prefix = bitsText === undefined ? 32 : Number(bitsText);
    if (prefix > 32) return undefined;
    return { family: 4, words: maskWords(Uint32Array.of(v4), prefix), prefix };
  }
  const v6 = parseIPv6(addr);
  if (v6 === undefined) return undefined;
  const prefix = bitsText === undefined ? 128 : Number(bitsText);
  if (prefix > 128) return undefined;
  return { family: 6, words: maskWords(v6, prefix), prefix };
}

/**
 * Canonical domain (lower case, no trailing dot) or undefined when not a DNS name: LDH labels of 1–63
 * characters (underscore tolerated, as in service names), 253 characters in all (RFC 1035 §2.3.4), and a
 * last label that is not all digits (so an IPv4 address is never a domain). One pass, no allocation but the
 * lower-cased copy: `check` runs it on every domain lookup.
 *
 * @internal
 */
export function normalizeDomain(s: string): string | undefined {
  const d = (s.endsWith('.') ? s.slice(0, -1) : s).toLowerCase();
  const n = d.length;
  if (n === 0 || n > 253) return undefined;
  let labelStart = 0;
  let digitsOnly = true;
  for (let i = 0; i <= n; i++) {
    const c = i === n ? 46 : d.charCodeAt(i);
    if (c === 46) {
      const len = i - labelStart;
      if (len === 0 || len > 63) return undefined;
      if (d.charCodeAt(labelStart) === 45 || d.charCodeAt(i - 1) === 45) return undefined;
      if (i === n && digitsOnly) return undefined;
      labelStart = i + 1;
      digitsOnly = true;
    } else if (c >= 48 && c <= 57) {
      // digit
    } else if ((c >= 97 && c <= 122) || c === 45 || c === 95) {
      digitsOnly = false;
    } else return undefined;
  }
  return d;
}

const HEX_LENGTH: Record<'sha256' | 'sha1' | 'md5', number> = { sha256: 64, sha1: 40, md5: 32 };

function invalid(path: string, kind: string, received: unknown, reason: string): never {
  throw ledgerErrors.MSYS_LEDGER_INVALID_INDICATOR({ path, kind, received: describeValue(received), reason });
}

/**
 * Validates an indicator and returns its canonical form.
 *
 * @param kind - the indicator kind
 * @param value - the value as written by its source
 * @param path - the option path named in errors
 * @returns the canonical indicator
 * @throws SystemError `MSYS_LEDGER_INVALID_INDICATOR` (validation) when the value is not of that kind
 * @example
 * ```ts
 * normalizeIndicator('cidr', '10.1.2.3/8'); // { kind: 'cidr', value: '10.0.0.0/8' }
 * ```
 */
export function normalizeIndicator(kind: IndicatorKind, value: string, path = 'indicator'): Indicator {
  if (typeof value !== 'string') invalid(`${path}.value`, String(kind), value, 'not a string');
  const v = value.trim();
  switch (kind) {
    case 'ipv4': {
      const n = parseIPv4(v);
      if (n < 0) invalid(`${path}.value`, kind, value, 'expected dotted-quad a.b.c.d without leading zeros');
      return { kind, value: formatIPv4(n) };
    }
    case 'ipv6': {
      const w = parseIPv6(v);
      if (w === undefined) invalid(`${path}.value`, kind, value, 'expected an RFC 4291 address without zone');
      return { kind, value: formatIPv6(w) };
    }
    case 'cidr': {
      const p = v.includes('/') ? parsePrefix(v) : undefined;
      if (p === undefined)
        invalid(`${path}.value`, kind, value, 'expected address/prefix, prefix ≤ 32 or ≤ 128');
      const addr = p.family === 4 ? formatIPv4(p.words[0] as number) : formatIPv6(p.words);
      return { kind, value: `${addr}/${p.prefix}` };
    }
    case 'domain': {
      const d = normalizeDomain(v);
      if (d === undefined) invalid(`${path}.value`, kind, value, 'expected a DNS name of LDH labels');
      return { kind, value: d };
    }
    case 'url': {
      let u: URL;
      try {
        u = new URL(v);
      } catch {
        invalid(`${path}.value`, kind, value, 'not an absolute URL');
      }
      if (!['http:', 'https:', 'ftp:', 'ws:', 'wss:'].includes(u.protocol)) {
        invalid(`${path}.value`, kind, value, 'scheme must be http, https, ftp, ws or wss');
      }
      u.hash = '';
      return { kind, value: u.href };
    }
    case 'sha256':
    case 'sha1':
    case 'md5': {
      const h = v.toLowerCase();
      if (h.length !== HEX_LENGTH[kind] || !/^[0-9a-f]+$/.test(h)) {
        invalid(`${path}.value`, kind, value, `expected ${HEX_LENGTH[kind]} hex digits`);
      }
      return { kind, value: h };
    }
    default:
      return invalid(`${path}.kind`, 'known', kind, `kind must be one of ${INDICATOR_KINDS.join(', ')}`);
  }
}

/**
 * Guesses the kind of a value to check: IP, network, URL, digest or domain.
 *
 * @param value - a value as it appears in traffic or logs
 * @returns the kind, or undefined when the value fits none
 */
export function classifyValue(value: string): IndicatorKind | undefined {
  if (parseIPv4(value) >= 0) return 'ipv4';
  if (value.includes('/')) {
    if (value.includes('://')) return 'url';
    return parsePrefix(value) === undefined ? undefined : 'cidr';
  }
  if (value.includes(':')) return parseIPv6(value) === undefined ? undefined : 'ipv6';
  if (value.length === 64 && /^[0-9a-fA-F]+$/.test(value)) return 'sha256';
  if (value.length === 40 && /^[0-9a-fA-F]+$/.test(value)) return 'sha1';
  if (value.length === 32 && /^[0-9a-fA-F]+$/.test(value)) return 'md5';
  return normalizeDomain(value) === undefined ? undefined : 'domain';
}
