import { describe, expect, it } from 'vitest';
import { idTimestamp, isUuid, newId, uuidVersion, uuidv4 } from '../src/ids/index.js';

const CANONICAL = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The variant is the top bits of octet 8 (RFC 9562 §4.1): `10xx` for RFC 9562 UUIDs. */
function variantBits(id: string): number {
  return Number.parseInt(id[19]!, 16) >> 2;
}

function codeOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return (e as { code?: unknown }).code;
  }
  return 'no error';
}

describe('newId (UUID v7)', () => {
  it('has version 7 and the RFC 9562 variant', () => {
    for (let i = 0; i < 100; i++) {
      const id = newId();
      expect(id).toMatch(CANONICAL);
      expect(id[14]).toBe('7');
      expect(variantBits(id)).toBe(0b10);
      expect(uuidVersion(id)).toBe(7);
    }
  });

  it('sorts lexicographically in generation order, including many ids within one millisecond', () => {
    const ids = Array.from({ length: 20_000 }, () => newId());
    expect(new Set(ids).size).toBe(ids.length);
    const sorted = [...ids].sort();
    expect(sorted).toEqual(ids);
    // The run is far faster than 1 ms per id, so same-millisecond ids (ordered by the counter) are present.
    const sameMs = ids.filter((id, i) => i > 0 && idTimestamp(id) === idTimestamp(ids[i - 1]!)).length;
    expect(sameMs).toBeGreaterThan(0);
  });

  it('embeds the creation time in its first 48 bits', () => {
    const before = Date.now();
    const id = newId();
    const after = Date.now();
    expect(idTimestamp(id)).toBeGreaterThanOrEqual(before);
    expect(idTimestamp(id)).toBeLessThanOrEqual(after);
    // RFC 9562 Appendix A.6 test vector: 2022-02-22T19:22:22Z = 0x017f22e279b0 ms.
    expect(idTimestamp('017f22e2-79b0-7cc3-98c4-dc0c0c07398f')).toBe(0x017f22e279b0);
  });
});

describe('uuidv4', () => {
  it('has version 4 and the RFC 9562 variant, and is unique', () => {
    const ids = Array.from({ length: 1000 }, () => uuidv4());
    expect(new Set(ids).size).toBe(1000);
    for (const id of ids) {
      expect(id).toMatch(CANONICAL);
      expect(id[14]).toBe('4');
      expect(variantBits(id)).toBe(0b10);
      expect(uuidVersion(id)).toBe(4);
    }
  });
});

describe('isUuid / uuidVersion / idTimestamp', () => {
  it('accepts well-formed UUIDs of either case, nil and max', () => {
    expect(isUuid('017f22e2-79b0-7cc3-98c4-dc0c0c07398f')).toBe(true);
    expect(isUuid('017F22E2-79B0-7CC3-98C4-DC0C0C07398F')).toBe(true);
    expect(isUuid('00000000-0000-0000-0000-000000000000')).toBe(true);
    expect(isUuid('ffffffff-ffff-ffff-ffff-ffffffffffff')).toBe(true);
  });

  it.each([
    ['no dashes', '017f22e279b07cc398c4dc0c0c07398f'],
    ['version 0', '017f22e2-79b0-0cc3-98c4-dc0c0c07398f'],
    ['variant 0', '017f22e2-79b0-7cc3-18c4-dc0c0c07398f'],
    ['braces', '{017f22e2-79b0-7cc3-98c4-dc0c0c07398f}'],
    ['short', '017f22e2-79b0-7cc3-98c4-dc0c0c07398'],
    ['not a string', 42],
  ])('rejects %s', (_why, value) => {
    expect(isUuid(value)).toBe(false);
  });

  it('throws MSYS_ID_INVALID for non-UUIDs and for timestamps of non-v7 ids', () => {
    expect(codeOf(() => uuidVersion('nope'))).toBe('MSYS_ID_INVALID');
    expect(codeOf(() => idTimestamp(uuidv4()))).toBe('MSYS_ID_INVALID');
    expect(codeOf(() => idTimestamp(42 as never))).toBe('MSYS_ID_INVALID');
  });
});
