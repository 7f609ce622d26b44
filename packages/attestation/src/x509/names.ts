import { isIP } from 'node:net';

/**
 * Parses an IP address (or, for name constraints, `addr/prefix`) into octets: 4/16 bytes for an address,
 * 8/32 bytes (address ‖ mask) for a constraint (RFC 5280 §4.2.1.10).
 *
 * @internal
 */
export function ipToBytes(text: string, cidr: boolean): Uint8Array | undefined {
  const [addr, prefixText] = cidr ? text.split('/') : [text, undefined];
  if (addr === undefined) return undefined;
  const kind = isIP(addr);
  let bytes: number[];
  if (kind === 4) bytes = addr.split('.').map(Number);
  else if (kind === 6) {
    const [l = '', r] = addr.split('::');
    const left = l === '' ? [] : l.split(':');
    const right = r === undefined || r === '' ? [] : r.split(':');
    const groups =
      r === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
    bytes = groups.flatMap((g) => {
      const v = Number.parseInt(g, 16);
      return [v >> 8, v & 0xff];
    });
  } else return undefined;
  if (!cidr) return new Uint8Array(bytes);
  const prefix = Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bytes.length * 8) return undefined;
  const mask = bytes.map((_, i) => {
    const bits = Math.max(0, Math.min(8, prefix - i * 8));
    return (0xff << (8 - bits)) & 0xff;
  });
  return new Uint8Array([...bytes, ...mask]);
}

/** Whether an address lies in an address ‖ mask constraint. @internal */
export function ipInSubtree(ip: Uint8Array, subtree: Uint8Array): boolean {
  if (subtree.length !== ip.length * 2) return false;
  for (let i = 0; i < ip.length; i++) {
    const m = subtree[ip.length + i] ?? 0;
    if (((ip[i] ?? 0) & m) !== ((subtree[i] ?? 0) & m)) return false;
  }
  return true;
}

/** RFC 5280 §4.2.1.10: a DNS name is within a constraint when it equals it or adds labels on the left. @internal */
export function dnsInSubtree(name: string, base: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  let b = base.toLowerCase().replace(/\.$/, '');
  if (b === '') return true;
  if (b.startsWith('.')) b = b.slice(1);
  return n === b || n.endsWith(`.${b}`);
}

/** RFC 5280 §4.2.1.10 for rfc822Name: a mailbox, all mailboxes at a host, or (leading dot) a domain. @internal */
export function emailInSubtree(email: string, base: string): boolean {
  const e = email.toLowerCase();
  const b = base.toLowerCase();
  if (b.includes('@')) return e === b;
  const host = e.slice(e.lastIndexOf('@') + 1);
  if (b.startsWith('.')) return host.endsWith(b);
  return host === b;
}

/** A JSON form of a distinguished name: one object per RDN, attribute type → values. */
type JsonDn = ReadonlyArray<Readonly<Record<string, readonly string[]>>>;

/** RFC 5280 §7.1 simplified: RDNs compared in order, attribute values case-insensitively with spaces folded. @internal */
export function dnInSubtree(subject: JsonDn, base: JsonDn): boolean {
  if (base.length > subject.length) return false;
  const norm = (r: Readonly<Record<string, readonly string[]>>): string =>
    Object.entries(r)
      .map(([k, v]) => `${k}=${v.map((x) => x.trim().replace(/\s+/g, ' ').toLowerCase()).join('+')}`)
      .sort()
      .join(',');
  return base.every(
    (rdn, i) =>
      subject[i] !== undefined &&
      norm(rdn) === norm(subject[i] as Readonly<Record<string, readonly string[]>>),
  );
}

/** RFC 6125 §6.4: exact match, or a wildcard in the whole left-most label only. @internal */
export function dnsMatches(presented: string, reference: string): boolean {
  const p = presented.toLowerCase().replace(/\.$/, '');
  const r = reference.toLowerCase().replace(/\.$/, '');
  if (p === r) return true;
  if (!p.startsWith('*.')) return false;
  const rest = p.slice(2);
  const dot = r.indexOf('.');
  return dot > 0 && r.slice(dot + 1) === rest && rest.includes('.');
}
