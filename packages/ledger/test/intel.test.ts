import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CommittedEntry,
  entryId,
  exportStix,
  type IntelEntry,
  type IntelEntryInput,
  IntelIndex,
  type IntelPolicy,
  importStix,
  normalizeIndicator,
  parseBlocklist,
  validateEntry,
} from '../src/index.js';

let counter = 0;
function commit(input: IntelEntryInput | Parameters<typeof validateEntry>[0], at = 1000): CommittedEntry {
  const entry = validateEntry(input, at);
  counter += 1;
  return { id: entryId(entry), index: counter, height: counter, committedAt: at, entry };
}

function intel(
  value: string,
  kind: IntelEntryInput['indicator']['kind'],
  source: string,
  extra: Partial<IntelEntryInput> = {},
) {
  return commit({ indicator: { kind, value }, action: 'block', source, reason: 'seen scanning', ...extra });
}

function indexWith(policy: IntelPolicy, entries: CommittedEntry[]): IntelIndex {
  const index = new IntelIndex(policy);
  for (const e of entries) index.add(e);
  return index;
}

describe('indicator validation', () => {
  it('canonicalises each kind', () => {
    expect(normalizeIndicator('ipv4', ' 192.0.2.1 ').value).toBe('192.0.2.1');
    expect(normalizeIndicator('ipv6', '2001:DB8::1').value).toBe('2001:0db8:0000:0000:0000:0000:0000:0001');
    expect(normalizeIndicator('ipv6', '::ffff:192.0.2.1').value).toBe(
      '0000:0000:0000:0000:0000:ffff:c000:0201',
    );
    expect(normalizeIndicator('cidr', '10.9.8.7/8').value).toBe('10.0.0.0/8');
    expect(normalizeIndicator('cidr', '2001:db8::ff/32').value).toBe(
      '2001:0db8:0000:0000:0000:0000:0000:0000/32',
    );
    expect(normalizeIndicator('domain', 'Evil.Example.COM.').value).toBe('evil.example.com');
    expect(normalizeIndicator('url', 'HTTP://Example.com/a?b=1#frag').value).toBe('http://example.com/a?b=1');
    expect(normalizeIndicator('sha256', 'A'.repeat(64)).value).toBe('a'.repeat(64));
  });

  it.each([
    ['ipv4', '256.1.1.1'],
    ['ipv4', '01.2.3.4'],
    ['ipv4', '1.2.3'],
    ['ipv6', '2001:db8::g'],
    ['ipv6', '1:2:3:4:5:6:7:8:9'],
    ['cidr', '10.0.0.0/33'],
    ['cidr', '10.0.0.0'],
    ['domain', '-bad-.example'],
    ['domain', '1.2.3.4'],
    ['url', 'not a url'],
    ['url', 'javascript:alert(1)'],
    ['sha256', 'abc'],
  ] as const)('refuses %s %s with a validation SystemError', (kind, value) => {
    expect(() => normalizeIndicator(kind, value)).toThrow(
      expect.objectContaining({ code: 'MSYS_LEDGER_INVALID_INDICATOR', category: 'validation' }),
    );
  });

  it('parses every IPv6 spelling to the same address as the WHATWG URL parser', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), (groups) => {
        const full = groups.map((g) => g.toString(16)).join(':');
        const compressed = new URL(`http://[${full}]/`).hostname.slice(1, -1);
        const expected = groups.map((g) => g.toString(16).padStart(4, '0')).join(':');
        expect(normalizeIndicator('ipv6', compressed).value).toBe(expected);
        expect(normalizeIndicator('ipv6', full).value).toBe(expected);
      }),
    );
  });

  it('validates entry fields with option paths', () => {
    const base = {
      indicator: { kind: 'ipv4' as const, value: '192.0.2.1' },
      action: 'block' as const,
      source: 'a',
      reason: 'r',
    };
    expect(() => validateEntry({ ...base, confidence: 101 }, 0)).toThrow(
      expect.objectContaining({
        code: 'MSYS_LEDGER_INVALID_ARGUMENT',
        details: expect.objectContaining({ path: 'entry.confidence' }),
      }),
    );
    expect(() => validateEntry({ ...base, action: 'drop' as never }, 0)).toThrow(
      expect.objectContaining({ code: 'MSYS_LEDGER_INVALID_ARGUMENT' }),
    );
    expect(() => validateEntry({ ...base, source: '' }, 0)).toThrow(
      expect.objectContaining({ category: 'validation' }),
    );
  });
});

describe('policy and check()', () => {
  it('blocks only when k distinct domains agree, and says who', () => {
    const a = intel('203.0.113.7', 'ipv4', 'a.example');
    const a2 = intel('203.0.113.0/24', 'cidr', 'a.example');
    const b = intel('203.0.113.0/24', 'cidr', 'b.example');
    const one = indexWith({ quorum: 2 }, [a, a2]).check('203.0.113.7');
    expect(one.decision).toBe('watch');
    expect(one.rule).toBe('below-quorum');
    const two = indexWith({ quorum: 2 }, [a, a2, b]).check('203.0.113.7');
    expect(two.decision).toBe('block');
    expect(two.rule).toBe('quorum');
    expect([...two.domains].sort()).toEqual(['a.example', 'b.example']);
    expect(two.matches.map((m) => m.entryId).sort()).toEqual([a.id, a2.id, b.id].sort());
    expect(indexWith({ quorum: 2 }, [a, a2, b]).check('203.0.114.1').decision).toBe('none');
  });

  it('applies the trust-weighted rule', () => {
    const a = intel('evil.example', 'domain', 'cert.gov');
    const idx = indexWith({ quorum: 3, trust: { 'cert.gov': 5 }, threshold: 4 }, [a]);
    const d = idx.check('cdn.evil.example');
    expect(d.decision).toBe('block');
    expect(d.rule).toBe('trust-weighted');
    expect(d.weight).toBe(5);
    expect(
      indexWith({ quorum: 3, threshold: 4 }, [intel('evil.example', 'domain', 'x')]).check('evil.example')
        .decision,
    ).toBe('watch');
  });

  it('lets allow entries override, and honours revocation and expiry', () => {
    const block = intel('198.51.100.0/24', 'cidr', 'a.example');
    const allow = commit({
      indicator: { kind: 'ipv4', value: '198.51.100.10' },
      action: 'allow',
      source: 'b.example',
      reason: 'our mail relay',
    });
    const idx = indexWith({}, [block, allow]);
    expect(idx.check('198.51.100.10')).toMatchObject({
      decision: 'allow',
      rule: 'allow-override',
      domains: ['b.example'],
    });
    expect(idx.check('198.51.100.11').decision).toBe('block');

    const forged = commit({ type: 'revoke', target: block.id, source: 'b.example', reason: 'not yours' });
    idx.add(forged);
    expect(idx.check('198.51.100.11').decision).toBe('block');
    idx.add(commit({ type: 'revoke', target: block.id, source: 'a.example', reason: 'false positive' }));
    expect(idx.check('198.51.100.11').decision).toBe('none');

    const expiring = intel('bad.example', 'domain', 'a.example', { expiresAt: 5000 });
    const idx2 = indexWith({}, [expiring]);
    expect(idx2.check('bad.example', 4999).decision).toBe('block');
    expect(idx2.check('bad.example', 5000).decision).toBe('none');
  });

  it('matches URLs exactly and by host, digests exactly, and IPv6 networks', () => {
    const idx = indexWith({}, [
      intel('https://x.example/payload.exe', 'url', 'a'),
      intel('malware.example', 'domain', 'b'),
      intel('E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855', 'sha256', 'c'),
      intel('2001:db8:abcd::/48', 'cidr', 'd'),
    ]);
    expect(idx.check('https://x.example/payload.exe').decision).toBe('block');
    expect(idx.check('https://x.example/other').decision).toBe('none');
    expect(idx.check('http://dl.malware.example/a').domains).toEqual(['b']);
    expect(idx.check('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855').domains).toEqual([
      'c',
    ]);
    expect(idx.check('2001:db8:abcd:12::1').decision).toBe('block');
    expect(idx.check('2001:db8:abce::1').decision).toBe('none');
    expect(idx.check('notamalware.example').decision).toBe('none');
    expect(idx.check('%%%').rule).toBe('unrecognized');
  });
});

describe('prefix trie agrees with brute force', () => {
  const v4 = (n: number) => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  const covers = (net: number, prefix: number, addr: number) =>
    prefix === 0 || net >>> (32 - prefix) === addr >>> (32 - prefix);
  it('IPv4: the matched entries are exactly the covering networks and equal hosts', () => {
    const net = fc.record({ addr: fc.nat({ max: 0xffffffff }), prefix: fc.integer({ min: 0, max: 32 }) });
    fc.assert(
      fc.property(
        fc.array(net, { maxLength: 40 }),
        fc.array(fc.nat({ max: 0xffffffff }), { maxLength: 30 }),
        (nets, probes) => {
          const committed = nets.map((n, i) =>
            n.prefix === 32 && i % 2 === 0
              ? intel(v4(n.addr), 'ipv4', `d${i}`)
              : intel(`${v4(n.addr)}/${n.prefix}`, 'cidr', `d${i}`),
          );
          const idx = indexWith({}, committed);
          // Probes near the inserted networks as well as random ones.
          for (const p of [...probes, ...nets.map((n) => n.addr ^ 1), ...nets.map((n) => n.addr)]) {
            const addr = p >>> 0;
            const expected = new Set(
              committed.filter((_, i) => covers(nets[i]!.addr, nets[i]!.prefix, addr)).map((c) => c.id),
            );
            const got = new Set(idx.check(v4(addr)).matches.map((m) => m.entryId));
            expect(got).toEqual(expected);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('domains: matched entries are exactly the dot-suffixes of the name', () => {
    const label = fc.constantFrom('a', 'b', 'c', 'example', 'evil');
    const name = fc.array(label, { minLength: 1, maxLength: 4 }).map((l) => [...l, 'test'].join('.'));
    fc.assert(
      fc.property(fc.array(name, { maxLength: 20 }), fc.array(name, { maxLength: 20 }), (listed, probes) => {
        const committed = listed.map((d, i) => intel(d, 'domain', `s${i}`));
        const idx = indexWith({}, committed);
        for (const p of probes) {
          const expected = new Set(
            committed.filter((_, i) => p === listed[i] || p.endsWith(`.${listed[i]}`)).map((c) => c.id),
          );
          expect(new Set(idx.check(p).matches.map((m) => m.entryId))).toEqual(expected);
        }
      }),
    );
  });
});

describe('imports and exports', () => {
  it('imports a STIX 2.1 bundle, refusing what it cannot read, and round-trips its export', () => {
    const bundle = {
      type: 'bundle',
      id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d',
      objects: [
        { type: 'identity', id: 'identity--1', name: 'x' },
        {
          type: 'indicator',
          spec_version: '2.1',
          id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
          created: '2024-01-01T00:00:00.000Z',
          modified: '2024-01-01T00:00:00.000Z',
          pattern: "[ipv4-addr:value = '198.51.100.0/24']",
          pattern_type: 'stix',
          valid_from: '2024-01-01T00:00:00Z',
          valid_until: '2030-01-01T00:00:00Z',
          confidence: 80,
          description: 'C2 range',
        },
        {
          type: 'indicator',
          id: 'indicator--a',
          pattern: `[file:hashes.'SHA-256' = '${'ab'.repeat(32)}']`,
          pattern_type: 'stix',
          valid_from: '2024-01-01T00:00:00Z',
        },
        {
          type: 'indicator',
          id: 'indicator--b',
          pattern: "[domain-name:value = 'evil.example']",
          valid_from: '2024-01-01T00:00:00Z',
        },
        {
          type: 'indicator',
          id: 'indicator--c',
          pattern: "[url:value = 'https://evil.example/x']",
          valid_from: '2024-01-01T00:00:00Z',
        },
        {
          type: 'indicator',
          id: 'indicator--d',
          pattern: "[ipv6-addr:value = '2001:db8::1']",
          valid_from: '2024-01-01T00:00:00Z',
        },
        {
          type: 'indicator',
          id: 'indicator--e',
          pattern: "[process:name = 'evil.exe']",
          valid_from: '2024-01-01T00:00:00Z',
        },
        { type: 'indicator', id: 'indicator--f', pattern: '[x]', pattern_type: 'sigma' },
      ],
    };
    const { entries, refused } = importStix(JSON.stringify(bundle), { source: 'isac.example' });
    expect(entries.map((e) => e.indicator.kind)).toEqual(['cidr', 'sha256', 'domain', 'url', 'ipv6']);
    expect(refused.map((r) => r.id)).toEqual(['indicator--e', 'indicator--f']);
    expect(entries[0]).toMatchObject({
      confidence: 80,
      reason: 'C2 range',
      stixId: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
    });

    const validated = entries.map((e) => validateEntry(e, 0) as IntelEntry);
    const exported = exportStix(validated.map((entry) => ({ id: entryId(entry), entry })));
    const again = importStix(exported, { source: 'isac.example' });
    expect(again.refused).toEqual([]);
    expect(again.entries.map((e) => validateEntry(e, 0))).toEqual(
      validated.map((v) => ({ ...v, reason: v.reason, stixId: exported.objects[validated.indexOf(v)]!.id })),
    );
  });

  it('reports each refused blocklist line', () => {
    const text = [
      '# header',
      '192.0.2.1',
      '198.51.100.0/24 # trailing',
      '',
      'bogus',
      '2001:db8::/32',
      '10.0.0.0/40',
      'a b',
    ].join('\n');
    const { entries, refused } = parseBlocklist(text, { source: 'feed.example' });
    expect(entries.map((e) => e.indicator)).toEqual([
      { kind: 'ipv4', value: '192.0.2.1' },
      { kind: 'cidr', value: '198.51.100.0/24' },
      { kind: 'cidr', value: '2001:db8::/32' },
    ]);
    expect(refused.map((r) => r.line)).toEqual([5, 7, 8]);
  });
});
