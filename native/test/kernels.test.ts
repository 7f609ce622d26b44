import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { axpy, dot, gemm, NATIVE_CUTOFFS, nativeInfo, rawBinding, sum, twin } from '../src/index.js';

const forcedTwin = process.env.MSYS_NO_NATIVE === '1';

// Tolerance of the native/twin comparison. The twins replay the C++ loops operation for operation, so the
// results are expected to be identical; 1e-6 relative (plus 1e-30 absolute for values near zero) allows a
// build with a different FMA contraction to pass while still catching any real divergence.
function close(actual: number, expected: number): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  return Math.abs(actual - expected) <= 1e-6 * Math.abs(expected) + 1e-30;
}

const sizes = fc.oneof(fc.constantFrom(0, 1, 2, 3, 5, 31, 32, 33, 127), fc.integer({ min: 0, max: 700 }));
const f32 = fc.float({ min: -1000, max: 1000, noNaN: true, noDefaultInfinity: true });
const f64 = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });

function vec32(n: number) {
  return fc.array(f32, { minLength: n, maxLength: n }).map((a) => Float32Array.from(a));
}
function vec64(n: number) {
  return fc.array(f64, { minLength: n, maxLength: n }).map((a) => Float64Array.from(a));
}

describe('loader', () => {
  it('reports the active implementation and why', () => {
    const info = nativeInfo();
    if (forcedTwin) {
      expect(info.active).toBe('twin');
      expect(info.reason).toContain('MSYS_NO_NATIVE=1');
      expect(rawBinding()).toBeUndefined();
    } else {
      // The committed linux-x64 prebuild must load on this platform.
      expect(info.active).toBe('native');
      expect(info.reason).toMatch(/addon loaded from .*\.node/);
      expect(info.loadError).toBeUndefined();
    }
    expect(info.cutoffs).toEqual(NATIVE_CUTOFFS);
  });
});

describe('known answers', () => {
  it('dot, sum, axpy and gemm on small hand-checked inputs', () => {
    expect(dot(new Float64Array([1, 2, 3]), new Float64Array([4, 5, 6]))).toBe(32);
    expect(dot(new Float32Array(0), new Float32Array(0))).toBe(0);
    expect(sum(new Float32Array([0.5, 1.5, 2]))).toBe(4);
    const y = axpy(2, new Float64Array([1, 2]), new Float64Array([1, 1]));
    expect([...y]).toEqual([3, 5]);
    const c = gemm(
      2,
      2,
      2,
      new Float32Array([1, 2, 3, 4]),
      new Float32Array([5, 6, 7, 8]),
      new Float32Array(4),
    );
    expect([...c]).toEqual([19, 22, 43, 50]);
    // beta scales the old C; alpha scales A·B
    const c2 = gemm(1, 1, 1, new Float32Array([2]), new Float32Array([3]), new Float32Array([10]), 0.5, 2);
    expect([...c2]).toEqual([23]);
  });

  it('beta = 0 overwrites NaN in C as BLAS does', () => {
    const n = 40; // above the native cut-off
    const c = new Float32Array(n * n).fill(Number.NaN);
    gemm(n, n, 1, new Float32Array(n).fill(1), new Float32Array(n).fill(2), c, 1, 0);
    expect(c.every((v) => v === 2)).toBe(true);
  });

  it('large vectors go through the dispatch path and agree with the twin', () => {
    const a = Float64Array.from({ length: 10_001 }, (_, i) => Math.sin(i));
    const b = Float64Array.from({ length: 10_001 }, (_, i) => Math.cos(i));
    expect(dot(a, b)).toBe(twin.dot(a, b));
    expect(sum(a)).toBe(twin.sum(a));
  });
});

describe('native and twin agree (fast-check)', () => {
  const nb = rawBinding();
  const impls = { dispatch: { dot, sum, axpy, gemm }, twin };

  it('dot and sum, f32 and f64, random sizes including 0, 1 and odd lengths', () => {
    fc.assert(
      fc.property(
        sizes.chain((n) => fc.tuple(vec32(n), vec32(n), vec64(n), vec64(n))),
        ([a32, b32, a64, b64]) => {
          expect(close(impls.dispatch.dot(a32, b32), twin.dot(a32, b32))).toBe(true);
          expect(close(impls.dispatch.dot(a64, b64), twin.dot(a64, b64))).toBe(true);
          expect(close(impls.dispatch.sum(a32), twin.sum(a32))).toBe(true);
          expect(close(impls.dispatch.sum(a64), twin.sum(a64))).toBe(true);
          if (nb) {
            expect(close(nb.dotF32(a32, b32), twin.dot(a32, b32))).toBe(true);
            expect(close(nb.dotF64(a64, b64), twin.dot(a64, b64))).toBe(true);
            expect(close(nb.sumF32(a32), twin.sum(a32))).toBe(true);
            expect(close(nb.sumF64(a64), twin.sum(a64))).toBe(true);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('axpy, f32 and f64', () => {
    fc.assert(
      fc.property(
        sizes.chain((n) => fc.tuple(f32, vec32(n), vec32(n), vec64(n), vec64(n))),
        ([alpha, x32, y32, x64, y64]) => {
          const expect32 = twin.axpy(alpha, x32, y32.slice());
          const expect64 = twin.axpy(alpha, x64, y64.slice());
          const got32 = nb ? nb.axpyF32(alpha, x32, y32.slice()) : axpy(alpha, x32, y32.slice());
          const got64 = nb ? nb.axpyF64(alpha, x64, y64.slice()) : axpy(alpha, x64, y64.slice());
          expect(got32.every((v, i) => close(v, expect32[i]!))).toBe(true);
          expect(got64.every((v, i) => close(v, expect64[i]!))).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('gemm on random shapes, alpha and beta', () => {
    const dim = fc.oneof(fc.constantFrom(0, 1, 3, 65), fc.integer({ min: 0, max: 40 }));
    fc.assert(
      fc.property(
        fc
          .tuple(dim, dim, dim)
          .chain(([m, n, k]) =>
            fc.tuple(fc.constant([m, n, k] as const), vec32(m * k), vec32(k * n), vec32(m * n), f32, f32),
          ),
        ([[m, n, k], a, b, c, alpha, beta]) => {
          const want = twin.gemm(m, n, k, a, b, c.slice(), alpha, beta);
          const got = nb
            ? nb.gemmF32(m, n, k, a, b, c.slice(), alpha, beta)
            : gemm(m, n, k, a, b, c.slice(), alpha, beta);
          expect(got.length).toBe(m * n);
          expect(got.every((v, i) => close(v, want[i]!))).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('bad arguments throw TypeError/RangeError on both paths', () => {
  const paths = { dispatch: { dot, sum, axpy, gemm }, twin } as const;
  for (const [name, impl] of Object.entries(paths)) {
    it(`${name}: wrong types and mismatched lengths`, () => {
      const bad = impl as unknown as Record<string, (...args: unknown[]) => unknown>;
      expect(() => bad.dot!([1, 2], new Float64Array(2))).toThrow(TypeError);
      expect(() => bad.dot!(new Float32Array(2), new Float64Array(2))).toThrow(TypeError);
      expect(() => bad.dot!(new Float64Array(2), new Float64Array(3))).toThrow(RangeError);
      expect(() => bad.sum!(new Int32Array(3))).toThrow(TypeError);
      expect(() => bad.axpy!('2', new Float64Array(2), new Float64Array(2))).toThrow(TypeError);
      expect(() => bad.axpy!(2, new Float64Array(64), new Float64Array(65))).toThrow(RangeError);
      expect(() => bad.gemm!(2, 2, 2, new Float32Array(4), new Float32Array(4), new Float32Array(3))).toThrow(
        /c\.length must equal m\*n/,
      );
      expect(() =>
        bad.gemm!(-1, 2, 2, new Float32Array(0), new Float32Array(4), new Float32Array(0)),
      ).toThrow(RangeError);
      expect(() =>
        bad.gemm!(1.5, 2, 2, new Float32Array(3), new Float32Array(4), new Float32Array(3)),
      ).toThrow(RangeError);
      expect(() => bad.gemm!(2, 2, 2, new Float64Array(4), new Float32Array(4), new Float32Array(4))).toThrow(
        TypeError,
      );
    });
  }

  it.skipIf(forcedTwin)('the raw binding validates its own arguments and never crashes the process', () => {
    const nb = rawBinding() as unknown as Record<string, (...args: unknown[]) => unknown>;
    expect(() => nb.dotF32!()).toThrow(TypeError);
    expect(() => nb.dotF32!(new Float64Array(2), new Float64Array(2))).toThrow(TypeError);
    expect(() => nb.dotF64!(new Float64Array(2), new Float64Array(3))).toThrow(RangeError);
    expect(() => nb.sumF64!({})).toThrow(TypeError);
    expect(() => nb.axpyF32!(1, new Float32Array(2), new Float32Array(1))).toThrow(RangeError);
    expect(() => nb.gemmF32!(2, 2, 2, new Float32Array(4), new Float32Array(4))).toThrow(TypeError);
    expect(() =>
      nb.gemmF32!(2, 2, 2, new Float32Array(4), new Float32Array(4), new Float32Array(5), 1, 0),
    ).toThrow(RangeError);
    expect(() =>
      nb.gemmF32!(Number.NaN, 2, 2, new Float32Array(4), new Float32Array(4), new Float32Array(4), 1, 0),
    ).toThrow(RangeError);
  });
});

describe('installation without a compiler or prebuild', () => {
  it('loading from a directory without prebuilds fails in node-gyp-build, which the loader turns into twins', () => {
    // The loader catches exactly this failure; show that node-gyp-build throws (rather than crashing) when
    // nothing matches, so `nativeInfo()` would report the twin with the message.
    const require = createRequire(import.meta.url);
    const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;
    const empty = resolve(dirname(fileURLToPath(import.meta.url)), 'fixtures-empty');
    expect(() => nodeGypBuild(empty)).toThrow(/No native build was found/);
  });
});
