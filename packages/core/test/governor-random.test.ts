import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CryptoRandom, ResourceGovernor, SeededRandom } from '../src/governor/index.js';
import { fnv1a64, splitmix64 } from '../src/governor/random.js';

const seedArb = fc.oneof(fc.maxSafeInteger(), fc.bigInt(), fc.string());

/** Draws a fixed mix of every operation, so the property covers the derived methods too. */
function drawAll(r: SeededRandom): unknown[] {
  return [
    r.uint32(),
    r.float(),
    r.int(-5, 5),
    r.int(0, 2 ** 40),
    r.normal(10, 2),
    r.pick(['a', 'b', 'c']),
    r.shuffle([1, 2, 3, 4, 5, 6]),
    Array.from(r.bytes(7)),
    r.fork('x').uint32(),
  ];
}

describe('SeededRandom (xoshiro128** seeded by SplitMix64)', () => {
  it('matches the reference xoshiro128** 1.1 output for state {1, 2, 3, 4}', () => {
    // Outputs of Blackman & Vigna's xoshiro128starstar.c, as published by independent implementations.
    const r = SeededRandom.fromState([1, 2, 3, 4]);
    expect(Array.from({ length: 10 }, () => r.uint32())).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804,
    ]);
  });

  it('matches the reference SplitMix64 outputs for seed 1234567', () => {
    let state = 1234567n;
    const out: bigint[] = [];
    for (let i = 0; i < 5; i++) {
      const step = splitmix64(state);
      state = step.state;
      out.push(step.value);
    }
    expect(out).toEqual([
      6457827717110365317n,
      3203168211198807973n,
      9817491932198370423n,
      4593380528125082431n,
      16408922859458223821n,
    ]);
  });

  it('folds string seeds with FNV-1a 64 (reference values)', () => {
    expect(fnv1a64('')).toBe(0xcbf29ce484222325n);
    expect(fnv1a64('a')).toBe(0xaf63dc4c8601ec8cn);
    expect(fnv1a64('foobar')).toBe(0x85944171f73967e8n);
  });

  it('gives identical sequences for the same seed (property)', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        expect(drawAll(new SeededRandom(seed))).toEqual(drawAll(new SeededRandom(seed)));
      }),
    );
  });

  it('gives identical sequences from governors built with the same seed (property)', () => {
    fc.assert(
      fc.property(seedArb, fc.array(fc.nat(3), { maxLength: 30 }), (seed, ops) => {
        const run = (): unknown[] => {
          const g = new ResourceGovernor({ deterministic: { seed } });
          return ops.map(
            (op) => [g.random.uint32(), g.random.float(), g.random.int(1, 6), g.random.normal()][op],
          );
        };
        expect(run()).toEqual(run());
      }),
    );
  });

  it('treats a number and the equal bigint as the same seed, and a string as another', () => {
    expect(new SeededRandom(42).uint32()).toBe(new SeededRandom(42n).uint32());
    expect(new SeededRandom('42').uint32()).not.toBe(new SeededRandom(42).uint32());
  });

  it('forks different streams for different labels (property)', () => {
    fc.assert(
      fc.property(seedArb, fc.string(), fc.string(), (seed, a, b) => {
        fc.pre(a !== b);
        const r = new SeededRandom(seed);
        const fa = r.fork(a);
        const fb = r.fork(b);
        const xs = [fa.uint32(), fa.uint32(), fa.uint32(), fa.uint32()];
        const ys = [fb.uint32(), fb.uint32(), fb.uint32(), fb.uint32()];
        expect(xs).not.toEqual(ys);
      }),
    );
  });

  it('derives a fork from seed and label only, not from how much the parent drew', () => {
    const a = new SeededRandom(7);
    const b = new SeededRandom(7);
    for (let i = 0; i < 100; i++) b.uint32();
    expect(a.fork('net').bytes(16)).toEqual(b.fork('net').bytes(16));
    expect(a.fork('net').fork('p1').uint32()).not.toBe(a.fork('p1').fork('net').uint32());
    expect(a.fork('net').uint32()).not.toBe(new SeededRandom(7).uint32());
  });

  it('draws floats in [0, 1) and integers within inclusive bounds (property)', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: -1e9, max: 1e9 }),
        fc.integer({ min: 0, max: 1e9 }),
        (seed, min, span) => {
          const r = new SeededRandom(seed);
          const f = r.float();
          expect(f >= 0 && f < 1).toBe(true);
          const x = r.int(min, min + span);
          expect(x >= min && x <= min + span && Number.isInteger(x)).toBe(true);
        },
      ),
    );
  });

  it('hits both ends of a small range and spreads evenly', () => {
    const r = new SeededRandom('dice');
    const counts = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 60_000; i++) counts[r.int(1, 6) - 1]! += 1;
    for (const c of counts) expect(c).toBeGreaterThan(9_400);
    for (const c of counts) expect(c).toBeLessThan(10_600);
  });

  it('draws normals with the requested mean and deviation', () => {
    const r = new SeededRandom(3);
    const xs = Array.from({ length: 20_000 }, () => r.normal(5, 2));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(Math.abs(mean - 5)).toBeLessThan(0.06);
    expect(Math.abs(sd - 2)).toBeLessThan(0.06);
  });

  it('shuffles into a permutation, in place (property)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.array(fc.integer()), (seed, items) => {
        const copy = [...items];
        const out = new SeededRandom(seed).shuffle(copy);
        expect(out).toBe(copy);
        expect([...out].sort((a, b) => a - b)).toEqual([...items].sort((a, b) => a - b));
      }),
    );
  });

  it('picks an element of the array and draws the requested number of bytes', () => {
    const r = new SeededRandom(1);
    const items = ['x', 'y', 'z'];
    expect(items).toContain(r.pick(items));
    expect(r.bytes(0)).toHaveLength(0);
    expect(r.bytes(13)).toHaveLength(13);
  });

  it('round-trips its state through fromState', () => {
    const a = new SeededRandom('resume');
    a.uint32();
    const b = SeededRandom.fromState(a.state());
    expect(Array.from({ length: 5 }, () => b.uint32())).toEqual(Array.from({ length: 5 }, () => a.uint32()));
  });

  it('rejects bad arguments with MSYS_GOVERNOR_INVALID_ARGUMENT', () => {
    const r = new SeededRandom(1);
    const code = (f: () => unknown): unknown => {
      try {
        f();
      } catch (e) {
        return (e as { code?: string; details?: { path?: string } }).details?.path;
      }
      return 'no error';
    };
    expect(code(() => r.int(1.5, 3))).toBe('min');
    expect(code(() => r.int(5, 4))).toBe('max');
    expect(code(() => r.int(0, 2 ** 53))).toBe('max');
    expect(code(() => r.pick([]))).toBe('items');
    expect(code(() => r.bytes(-1))).toBe('n');
    expect(code(() => r.normal(0, -1))).toBe('sd');
    expect(code(() => r.normal(Number.NaN))).toBe('mean');
    expect(code(() => SeededRandom.fromState([0, 0, 0, 0]))).toBe('state');
    expect(() => r.int(5, 4)).toThrow(expect.objectContaining({ code: 'MSYS_GOVERNOR_INVALID_ARGUMENT' }));
    expect(() => new SeededRandom(1.5)).toThrow(
      expect.objectContaining({ code: 'MSYS_GOVERNOR_INVALID_OPTION' }),
    );
  });
});

describe('CryptoRandom', () => {
  it('is unseeded, draws valid values and forks independent sources', () => {
    const r = new CryptoRandom();
    expect(r.seeded).toBe(false);
    const words = Array.from({ length: 600 }, () => r.uint32());
    expect(words.every((w) => Number.isInteger(w) && w >= 0 && w < 2 ** 32)).toBe(true);
    expect(new Set(words).size).toBeGreaterThan(590);
    const x = r.int(10, 20);
    expect(x >= 10 && x <= 20).toBe(true);
    expect(r.bytes(32)).toHaveLength(32);
    expect(r.fork('a').bytes(16)).not.toEqual(r.fork('a').bytes(16));
  });

  it('backs a governor without deterministic mode', () => {
    const g = new ResourceGovernor();
    expect(g.deterministic).toBe(false);
    expect(g.random).toBeInstanceOf(CryptoRandom);
    expect(g.clock.virtual).toBe(false);
  });
});
