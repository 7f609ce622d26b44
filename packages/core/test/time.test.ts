import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { now, parseIsoNs, toIsoNs } from '../src/time/index.js';

function codeOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return (e as { code?: unknown; category?: unknown }).code;
  }
  return 'no error';
}

/** 0000-01-01T00:00:00Z and the last nanosecond of 9999 in epoch nanoseconds. */
const MIN_NS = -62_167_219_200n * 1_000_000_000n;
const MAX_NS = 253_402_300_800n * 1_000_000_000n - 1n;

describe('now', () => {
  it('is anchored to wall time', () => {
    const wall = BigInt(Date.now()) * 1_000_000n;
    const t = now();
    // Tolerance band: the anchor is one Date.now() reading, so the two agree to a few milliseconds.
    expect(t - wall).toBeGreaterThan(-50_000_000n);
    expect(t - wall).toBeLessThan(50_000_000n);
  });

  it('strictly increases across calls, also in tight loops (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), (n) => {
        let prev = now();
        for (let i = 0; i < n; i++) {
          const t = now();
          if (t <= prev) return false;
          prev = t;
        }
        return true;
      }),
      { numRuns: 50 },
    );
  });

  it('does not follow the wall clock backwards', () => {
    const realNow = Date.now;
    const before = now();
    try {
      Date.now = () => realNow() - 3_600_000;
      expect(now()).toBeGreaterThan(before);
    } finally {
      Date.now = realNow;
    }
  });
});

describe('toIsoNs', () => {
  it.each([
    [0n, '1970-01-01T00:00:00.000000000Z'],
    [1n, '1970-01-01T00:00:00.000000001Z'],
    [-1n, '1969-12-31T23:59:59.999999999Z'],
    [1_795_608_000_123_456_789n, '2026-11-25T12:00:00.123456789Z'],
    [951_782_400_000_000_000n, '2000-02-29T00:00:00.000000000Z'],
    [MIN_NS, '0000-01-01T00:00:00.000000000Z'],
    [MAX_NS, '9999-12-31T23:59:59.999999999Z'],
  ])('formats %s as %s', (ns, iso) => {
    expect(toIsoNs(ns)).toBe(iso);
  });

  it('rejects non-bigints and years outside 0000-9999', () => {
    expect(codeOf(() => toIsoNs(1 as never))).toBe('MSYS_TIME_INVALID_ARGUMENT');
    expect(codeOf(() => toIsoNs(MAX_NS + 1n))).toBe('MSYS_TIME_OUT_OF_RANGE');
    expect(codeOf(() => toIsoNs(MIN_NS - 1n))).toBe('MSYS_TIME_OUT_OF_RANGE');
  });

  it('agrees with Date#toISOString to the millisecond (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: MIN_NS, max: MAX_NS }), (ns) => {
        const ms = ns >= 0n ? ns / 1_000_000n : -((-ns + 999_999n) / 1_000_000n);
        const expected = new Date(Number(ms)).toISOString();
        expect(toIsoNs(ns).slice(0, 23)).toBe(expected.slice(0, 23));
      }),
    );
  });
});

describe('parseIsoNs', () => {
  it.each([
    ['2026-11-25T12:00:00.123456789Z', 1_795_608_000_123_456_789n],
    ['2026-11-25T13:00:00.123456789+01:00', 1_795_608_000_123_456_789n],
    ['2026-11-25T06:30:00.123456789-05:30', 1_795_608_000_123_456_789n],
    ['2026-11-25T12:00:00Z', 1_795_608_000_000_000_000n],
    ['2026-11-25T12:00:00.5Z', 1_795_608_000_500_000_000n],
    ['2026-11-25t12:00:00.000001z', 1_795_608_000_000_001_000n],
    ['1970-01-01T01:00:00.000000001+01:00', 1n],
    ['1969-12-31T23:59:59.999999999-00:00', -1n],
    ['2000-02-29T00:00:00Z', 951_782_400_000_000_000n],
    ['0000-01-01T00:00:00Z', MIN_NS],
    ['0099-03-01T00:00:00Z', -59_037_897_600_000_000_000n],
  ])('parses %s', (iso, ns) => {
    expect(parseIsoNs(iso)).toBe(ns);
  });

  it.each([
    ['a date only', '2026-11-25'],
    ['no offset', '2026-11-25T12:00:00'],
    ['a space separator', '2026-11-25 12:00:00Z'],
    ['an empty fraction', '2026-11-25T12:00:00.Z'],
    ['ten fractional digits', '2026-11-25T12:00:00.1234567891Z'],
    ['month 13', '2026-13-01T00:00:00Z'],
    ['February 29 in a common year', '2026-02-29T00:00:00Z'],
    ['February 29 in 1900', '1900-02-29T00:00:00Z'],
    ['April 31', '2026-04-31T00:00:00Z'],
    ['hour 24', '2026-11-25T24:00:00Z'],
    ['a leap second', '2016-12-31T23:59:60Z'],
    ['offset minutes 60', '2026-11-25T12:00:00+01:60'],
    ['an offset without colon', '2026-11-25T12:00:00+0100'],
    ['a two-digit year', '26-11-25T12:00:00Z'],
    ['trailing text', '2026-11-25T12:00:00Zjunk'],
    ['not a string', 1_795_608_000],
  ])('rejects %s with MSYS_TIME_INVALID_ISO (validation)', (_why, text) => {
    let error: unknown;
    try {
      parseIsoNs(text as string);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'MSYS_TIME_INVALID_ISO', category: 'validation' });
  });

  it('inverts toIsoNs (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: MIN_NS, max: MAX_NS }), (ns) => {
        expect(parseIsoNs(toIsoNs(ns))).toBe(ns);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the instant Date.parse gives for millisecond timestamps with offsets (property)', () => {
    const offset = fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253_402_300_799_999 }), offset, (ms, off) => {
        const local = new Date(ms + off * 60_000).toISOString().slice(0, 23);
        const sign = off < 0 ? '-' : '+';
        const abs = Math.abs(off);
        const text = `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
        fc.pre(!local.startsWith('+') && !local.startsWith('-'));
        expect(parseIsoNs(text)).toBe(BigInt(Date.parse(text)) * 1_000_000n);
      }),
    );
  });
});
