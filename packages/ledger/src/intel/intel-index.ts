import type { IntelAction, IntelEntry, LedgerEntry } from './entry.js';
import { type IndicatorKind, normalizeDomain, parseIPv4, parseIPv6, parsePrefix } from './indicator.js';
import { type IntelPolicy, type ResolvedPolicy, resolvePolicy } from './policy.js';
import { PrefixTrie } from './trie.js';

/** A committed entry as the ledger knows it: the entry plus where and when it was committed. */
export interface CommittedEntry {
  /** The entry id (its leaf hash, hex). */
  readonly id: string;
  /** Its index in the Merkle log. */
  readonly index: number;
  /** The height of the block that committed it. */
  readonly height: number;
  /** When it was committed (the block's timestamp), epoch ms. */
  readonly committedAt: number;
  /** The entry. */
  readonly entry: LedgerEntry;
}

/** Why `check` decided what it decided. */
export type DecisionRule =
  | 'no-match'
  | 'unrecognized'
  | 'allow-override'
  | 'quorum'
  | 'trust-weighted'
  | 'below-quorum'
  | 'watch-only';

/** One entry that took part in a decision. */
export interface Provenance {
  /** Entry id (leaf hash, hex): fetch its inclusion proof with it. */
  readonly entryId: string;
  /** Index in the Merkle log. */
  readonly index: number;
  /** The asserting domain. */
  readonly source: string;
  /** What it asked for. */
  readonly action: IntelAction;
  /** The indicator that matched (may be a covering network or parent domain). */
  readonly indicator: string;
  /** Its kind. */
  readonly kind: IndicatorKind;
  /** Its confidence. */
  readonly confidence: number;
  /** The source's reason. */
  readonly reason: string;
  /** When the source observed it, epoch ms. */
  readonly observedAt: number;
  /** When it was committed, epoch ms. */
  readonly committedAt: number;
  /** When it lapses, epoch ms. */
  readonly expiresAt?: number;
}

/** The answer of `check`: the decision and its provenance. */
export interface Decision {
  /** The value checked. */
  readonly value: string;
  /** Its recognised kind, when recognised. */
  readonly kind?: IndicatorKind;
  /** The outcome. */
  readonly decision: 'block' | 'allow' | 'watch' | 'none';
  /** Which rule produced it. */
  readonly rule: DecisionRule;
  /** The distinct domains behind the outcome. */
  readonly domains: readonly string[];
  /** Trust-weighted support of the block entries (equals the domain count with default weights). */
  readonly weight: number;
  /** Every active entry that matched, block/allow/watch alike. */
  readonly matches: readonly Provenance[];
}

/** A growable Int32Array. */
class IntList {
  data = new Int32Array(1024);
  length = 0;

  push(v: number): number {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length] = v;
    return this.length++;
  }
}

/**
 * The in-memory threat-intel index behind `check`: a binary prefix trie per IP family for networks, exact
 * maps for host addresses, URLs and digests, and a suffix map for domains (an entry for `example.com` also
 * matches `a.b.example.com`, checked by probing each dot-suffix of the name).
 *
 * @example
 * ```ts
 * const index = new IntelIndex({ quorum: 2 });
 * index.add(committed);
 * index.check('203.0.113.7').decision; // 'block' once two domains assert it
 * ```
 */
export class IntelIndex {
  readonly #policy: ResolvedPolicy;
  /** Intel entries by record number; their revocation flags alongside. */
  readonly #records: CommittedEntry[] = [];
  readonly #revoked = new Set<number>();
  /**
   * Slot lists as linked lists in typed arrays: #slotHead[slot] is the newest record of the slot, and
   * #nextInSlot[record] the one before it (-1 ends). No array object per indicator.
   */
  readonly #slotHead = new IntList();
  readonly #nextInSlot = new IntList();
  readonly #v4 = new PrefixTrie();
  readonly #v6 = new PrefixTrie();
  readonly #v4Hosts = new Map<number, number>();
  readonly #exact = new Map<string, number>();
  readonly #domains = new Map<string, number>();
  readonly #byId = new Map<string, number>();
  readonly #pendingRevocations = new Map<string, string>();
  readonly #scratch: number[] = [];

  /**
   * @param policy - the cross-domain policy (validated)
   * @throws SystemError `MSYS_LEDGER_INVALID_ARGUMENT` for a bad policy
   */
  constructor(policy?: IntelPolicy) {
    this.#policy = resolvePolicy(policy);
  }

  /** The number of intel entries indexed. */
  get size(): number {
    return this.#records.length;
  }

  #slotFor(map: Map<string, number> | Map<number, number>, key: string | number): number {
    const m = map as Map<string | number, number>;
    let s = m.get(key);
    if (s === undefined) {
      s = this.#slotHead.push(-1);
      m.set(key, s);
    }
    return s;
  }

  #trieSlot(trie: PrefixTrie, words: Uint32Array, prefix: number): number {
    const node = trie.insert(words, prefix);
    let s = trie.slot(node);
    if (s < 0) {
      s = this.#slotHead.push(-1);
      trie.setSlot(node, s);
    }
    return s;
  }

  /**
   * Adds a committed entry: intel entries are indexed, revocations mark their target.
   *
   * @param committed - the entry and its commit position
   */
  add(committed: CommittedEntry): void {
    const entry = committed.entry;
    if (entry.type === 'revoke') {
      const target = this.#byId.get(entry.target);
      if (target === undefined) this.#pendingRevocations.set(entry.target, entry.source);
      else {
        const owner = (this.#records[target] as CommittedEntry).entry as IntelEntry;
        if (owner.source === entry.source) this.#revoked.add(target);
      }
      return;
    }
    if (entry.type !== 'intel') return;
    if (this.#byId.has(committed.id)) return;
    const { kind, value } = entry.indicator;
    let slot: number;
    if (kind === 'ipv4') slot = this.#slotFor(this.#v4Hosts, parseIPv4(value));
    else if (kind === 'cidr') {
      const p = parsePrefix(value);
      if (p === undefined) return;
      slot = this.#trieSlot(p.family === 4 ? this.#v4 : this.#v6, p.words, p.prefix);
    } else if (kind === 'domain') slot = this.#slotFor(this.#domains, value);
    else slot = this.#slotFor(this.#exact, `${kind === 'ipv6' ? 'ip6' : kind}:${value}`);
    const n = this.#records.length;
    this.#records.push(committed);
    this.#byId.set(committed.id, n);
    if (this.#pendingRevocations.get(committed.id) === entry.source) this.#revoked.add(n);
    this.#nextInSlot.push(this.#slotHead.data[slot] as number);
    this.#slotHead.data[slot] = n;
  }

  /**
   * Decides about a value: an IPv4/IPv6 address, a network, a domain, a URL or a digest.
   *
   * @param value - the value to check, in any accepted spelling
   * @param now - epoch ms for expiry; default `Date.now()`
   * @returns the decision and the entries behind it
   */
  check(value: string, now: number = Date.now()): Decision {
    const found = this.#scratch;
    found.length = 0;
    let kind: IndicatorKind | undefined;
    const v4 = parseIPv4(value);
    if (v4 >= 0) {
      kind = 'ipv4';
      const s = this.#v4Hosts.get(v4);
      if (s !== undefined) found.push(s);
      this.#v4.collect(v4, 32, found);
    } else {
      kind = this.#collectOther(value, found);
    }
    if (kind === undefined) {
      return { value, decision: 'none', rule: 'unrecognized', domains: [], weight: 0, matches: [] };
    }
    if (found.length === 0)
      return { value, kind, decision: 'none', rule: 'no-match', domains: [], weight: 0, matches: [] };
    return this.#decide(value, kind, found, now);
  }

  #collectOther(value: string, found: number[]): IndicatorKind | undefined {
    if (value.includes('/') && !value.includes('://')) {
      const p = parsePrefix(value);
      if (p === undefined) return undefined;
      if (p.family === 4) {
        if (p.prefix === 32) {
          const s = this.#v4Hosts.get(p.words[0] as number);
          if (s !== undefined) found.push(s);
        }
        this.#v4.collect(p.words[0] as number, p.prefix, found);
      } else this.#v6.collect(p.words, p.prefix, found);
      return 'cidr';
    }
    if (value.includes(':') && !value.includes('://')) {
      const w = parseIPv6(value);
      if (w === undefined) return undefined;
      const key = `ip6:${formatWords(w)}`;
      const s = this.#exact.get(key);
      if (s !== undefined) found.push(s);
      this.#v6.collect(w, 128, found);
      return 'ipv6';
    }
    if (value.includes('://')) {
      let u: URL;
      try {
        u = new URL(value);
      } catch {
        return undefined;
      }
      u.hash = '';
      const s = this.#exact.get(`url:${u.href}`);
      if (s !== undefined) found.push(s);
      const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
      const hostV4 = parseIPv4(host);
      if (hostV4 >= 0) {
        const h = this.#v4Hosts.get(hostV4);
        if (h !== undefined) found.push(h);
        this.#v4.collect(hostV4, 32, found);
      } else this.#collectDomain(host, found);
      return 'url';
    }
    const len = value.length;
    if ((len === 64 || len === 40 || len === 32) && /^[0-9a-fA-F]+$/.test(value)) {
      const k = len === 64 ? 'sha256' : len === 40 ? 'sha1' : 'md5';
      const s = this.#exact.get(`${k}:${value.toLowerCase()}`);
      if (s !== undefined) found.push(s);
      return k;
    }
    const d = normalizeDomain(value);
    if (d === undefined) return undefined;
    this.#collectDomain(d, found);
    return 'domain';
  }

  #collectDomain(domain: string, found: number[]): void {
    let at = 0;
    for (;;) {
      const s = this.#domains.get(at === 0 ? domain : domain.slice(at));
      if (s !== undefined) found.push(s);
      const dot = domain.indexOf('.', at);
      if (dot < 0) return;
      at = dot + 1;
    }
  }

  #decide(value: string, kind: IndicatorKind, slots: number[], now: number): Decision {
    const p = this.#policy;
    const matches: Provenance[] = [];
    // Distinct domains per action; a handful at most, so arrays beat Sets here.
    const block: string[] = [];
    const allow: string[] = [];
    const watch: string[] = [];
    const next = this.#nextInSlot.data;
    for (const s of slots) {
      for (let n = this.#slotHead.data[s] as number; n >= 0; n = next[n] as number) {
        const committed = this.#records[n] as CommittedEntry;
        const e = committed.entry as IntelEntry;
        if (e.confidence < p.minConfidence || (this.#revoked.size > 0 && this.#revoked.has(n))) continue;
        if (e.expiresAt !== undefined && e.expiresAt <= now) continue;
        const list = e.action === 'block' ? block : e.action === 'allow' ? allow : watch;
        if (!list.includes(e.source)) list.push(e.source);
        matches.push(provenance(committed, e));
      }
    }
    let weight = 0;
    for (const d of block) weight += p.trust.get(d) ?? p.defaultTrust;
    let decision: Decision['decision'];
    let rule: DecisionRule;
    let domains: string[];
    if (matches.length === 0) [decision, rule, domains] = ['none', 'no-match', []];
    else if (allow.length >= p.allowQuorum) [decision, rule, domains] = ['allow', 'allow-override', allow];
    else if (block.length >= p.quorum) [decision, rule, domains] = ['block', 'quorum', block];
    else if (p.threshold !== undefined && block.length > 0 && weight >= p.threshold) {
      [decision, rule, domains] = ['block', 'trust-weighted', block];
    } else if (block.length > 0) [decision, rule, domains] = ['watch', 'below-quorum', block];
    else [decision, rule, domains] = [watch.length > 0 ? 'watch' : 'none', 'watch-only', watch];
    return { value, kind, decision, rule, domains, weight, matches };
  }
}

function provenance(committed: CommittedEntry, e: IntelEntry): Provenance {
  const out: { -readonly [K in keyof Provenance]: Provenance[K] } = {
    entryId: committed.id,
    index: committed.index,
    source: e.source,
    action: e.action,
    indicator: e.indicator.value,
    kind: e.indicator.kind,
    confidence: e.confidence,
    reason: e.reason,
    observedAt: e.observedAt,
    committedAt: committed.committedAt,
  };
  if (e.expiresAt !== undefined) out.expiresAt = e.expiresAt;
  return out;
}

function formatWords(w: Uint32Array): string {
  const parts: string[] = [];
  for (let i = 0; i < 4; i++) {
    const x = w[i] as number;
    parts.push((x >>> 16).toString(16).padStart(4, '0'), (x & 0xffff).toString(16).padStart(4, '0'));
  }
  return parts.join(':');
}
