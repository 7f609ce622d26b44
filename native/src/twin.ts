/**
 * Pure TypeScript twins of the native kernels. They follow the C++ loops operation for operation
 * (same accumulators, same order, float32 rounding via Math.fround), so results match the addon
 * bit for bit on x86-64 builds without FMA contraction; the parity test allows a relative 1e-6 anyway.
 */
import type { FloatArray } from './validate.js';

/** @internal */
export function dotTwin(a: FloatArray, b: FloatArray): number {
  const n = a.length;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i]! * b[i]!;
    s1 += a[i + 1]! * b[i + 1]!;
    s2 += a[i + 2]! * b[i + 2]!;
    s3 += a[i + 3]! * b[i + 3]!;
  }
  for (; i < n; i++) s0 += a[i]! * b[i]!;
  return s0 + s1 + (s2 + s3);
}

/** @internal */
export function sumTwin(a: FloatArray): number {
  const n = a.length;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i]!;
    s1 += a[i + 1]!;
    s2 += a[i + 2]!;
    s3 += a[i + 3]!;
  }
  for (; i < n; i++) s0 += a[i]!;
  return s0 + s1 + (s2 + s3);
}

/** @internal */
export function axpyTwin<T extends FloatArray>(alpha: number, x: T, y: T): T {
  const n = x.length;
  if (y instanceof Float32Array) {
    // float32 product and sum, each rounded once: binary64 has > 2·24+2 bits, so rounding the
    // double result to float32 is the correctly rounded float32 operation, as in C++.
    const af = Math.fround(alpha);
    for (let i = 0; i < n; i++) y[i] = Math.fround(y[i]! + Math.fround(af * x[i]!));
  } else {
    for (let i = 0; i < n; i++) y[i]! += alpha * x[i]!;
  }
  return y;
}

/** @internal */
export function gemmTwin(
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  alpha: number,
  beta: number,
): Float32Array {
  const af = Math.fround(alpha);
  const bf = Math.fround(beta);
  for (let i = 0; i < m; i++) {
    const row = i * n;
    if (bf === 0) c.fill(0, row, row + n);
    else if (bf !== 1) for (let j = 0; j < n; j++) c[row + j] = Math.fround(c[row + j]! * bf);
  }
  if (af === 0 || k === 0) return c;
  // i-p-j order: for a fixed (i, j) the sum over p runs 0..k-1 in order, as in the blocked C++ loop.
  for (let i = 0; i < m; i++) {
    const row = i * n;
    const arow = i * k;
    for (let p = 0; p < k; p++) {
      const aip = Math.fround(af * a[arow + p]!);
      const brow = p * n;
      for (let j = 0; j < n; j++) c[row + j] = Math.fround(c[row + j]! + Math.fround(aip * b[brow + j]!));
    }
  }
  return c;
}
