/**
 * `@msys/native` — hot loops in C++ (node-addon-api) with a TypeScript twin for every function.
 *
 * The addon loads on first use through node-gyp-build; when it is missing (no prebuild for the platform,
 * no compiler) or `MSYS_NO_NATIVE=1` is set, the twins run instead and give the same results.
 * {@link nativeInfo} says which is active and why.
 *
 * @packageDocumentation
 */
import { loadBinding, type NativeBinding } from './binding.js';
import { axpyTwin, dotTwin, gemmTwin, sumTwin } from './twin.js';
import { assertFloatArray, assertGemm, checkAxpy, checkDot, type FloatArray } from './validate.js';

export type { NativeBinding, NativeInfo } from './binding.js';
export type { FloatArray } from './validate.js';

import type { NativeInfo } from './binding.js';

/**
 * Sizes below which a call stays in TypeScript even when the addon is loaded, because the N-API call costs
 * more than the loop it saves. Measured with `pnpm bench native` (benchmarks/native/kernels.bench.ts) on the
 * reference 2-core x86-64 machine, Node 20 (benchmarks/results/latest.md): the addon is 0.71× of the twin for
 * dot at n = 256 and 1.45× at n = 1024; 0.74× for axpy at n = 128 and 1.29× at n = 256; for gemm it already
 * wins at 2×2×2 (2.8×), so only trivial products stay in TypeScript.
 */
export const NATIVE_CUTOFFS: Readonly<{
  /** Minimum vector length for the native dot product. */
  dot: number;
  /** Minimum vector length for the native sum. */
  sum: number;
  /** Minimum vector length for the native axpy. */
  axpy: number;
  /** Minimum multiply-adds (m·n·k) for the native gemm. */
  gemmFlops: number;
}> = Object.freeze({ dot: 1024, sum: 1024, axpy: 256, gemmFlops: 8 });

let cached: NativeBinding | undefined | null = null;
function binding(): NativeBinding | undefined {
  if (cached === null) cached = loadBinding().binding;
  return cached;
}

/**
 * Reports which implementation is active and why.
 *
 * @returns the active implementation, the reason, and the size cut-offs below which the twins run anyway ({@link NATIVE_CUTOFFS})
 * @example
 * ```ts
 * import { nativeInfo } from '@msys/native';
 * console.log(nativeInfo().active); // 'native' or 'twin'
 * ```
 */
export function nativeInfo(): NativeInfo {
  const r = loadBinding();
  return {
    active: r.binding ? 'native' : 'twin',
    reason: r.reason,
    ...(r.loadError === undefined ? {} : { loadError: r.loadError }),
    cutoffs: NATIVE_CUTOFFS,
  };
}

/**
 * Dot product Σ a[i]·b[i], accumulated in float64 with four partial sums whatever the element type.
 *
 * @param a - first vector
 * @param b - second vector, same element type and length as `a`
 * @returns the dot product (0 for empty vectors)
 * @throws TypeError when an argument is not a Float32Array/Float64Array or the element types differ
 * @throws RangeError when the lengths differ
 * @example
 * ```ts
 * dot(new Float64Array([1, 2, 3]), new Float64Array([4, 5, 6])); // 32
 * ```
 */
export function dot(a: FloatArray, b: FloatArray): number {
  checkDot(a, b);
  const nb = a.length >= NATIVE_CUTOFFS.dot ? binding() : undefined;
  if (nb)
    return a instanceof Float32Array ? nb.dotF32(a, b as Float32Array) : nb.dotF64(a, b as Float64Array);
  return dotTwin(a, b);
}

/**
 * Sum of all elements, accumulated in float64 with four partial sums.
 *
 * @param a - the vector
 * @returns Σ a[i] (0 for an empty vector)
 * @throws TypeError when `a` is not a Float32Array/Float64Array
 * @example
 * ```ts
 * sum(new Float32Array([0.5, 1.5])); // 2
 * ```
 */
export function sum(a: FloatArray): number {
  assertFloatArray('sum: a', a);
  const nb = a.length >= NATIVE_CUTOFFS.sum ? binding() : undefined;
  if (nb) return a instanceof Float32Array ? nb.sumF32(a) : nb.sumF64(a);
  return sumTwin(a);
}

/**
 * In-place `y ← alpha·x + y` (BLAS axpy). Float32 arrays are computed in float32 arithmetic.
 *
 * @param alpha - the scale applied to `x`
 * @param x - the input vector
 * @param y - the vector updated in place; same element type and length as `x`
 * @returns `y`
 * @throws TypeError on a non-numeric `alpha`, non-float arrays or mixed element types
 * @throws RangeError when the lengths differ
 * @example
 * ```ts
 * const y = new Float64Array([1, 1]);
 * axpy(2, new Float64Array([1, 2]), y); // y is now [3, 5]
 * ```
 */
export function axpy<T extends FloatArray>(alpha: number, x: T, y: T): T {
  checkAxpy(alpha, x, y);
  const nb = x.length >= NATIVE_CUTOFFS.axpy ? binding() : undefined;
  if (nb) {
    if (y instanceof Float32Array) nb.axpyF32(alpha, x as Float32Array, y);
    else nb.axpyF64(alpha, x as Float64Array, y as Float64Array);
    return y;
  }
  return axpyTwin(alpha, x, y);
}

/**
 * Single-precision general matrix multiply, row-major: `C ← alpha·A·B + beta·C` with A m×k, B k×n,
 * C m×n. The native path is cache-blocked (64×64 panels of A and B, 256 columns at a time).
 * As in BLAS, `beta = 0` overwrites C without reading it (NaN in C does not propagate).
 *
 * @param m - rows of A and C
 * @param n - columns of B and C
 * @param k - columns of A, rows of B
 * @param a - A, length m·k
 * @param b - B, length k·n
 * @param c - C, length m·n, updated in place
 * @param alpha - scale of A·B (default 1)
 * @param beta - scale of the old C (default 0)
 * @returns `c`
 * @throws TypeError when a matrix is not a Float32Array or a scalar is not a number
 * @throws RangeError when a dimension is not a non-negative integer or a length does not match it
 * @example
 * ```ts
 * const c = new Float32Array(4);
 * gemm(2, 2, 2, new Float32Array([1, 2, 3, 4]), new Float32Array([5, 6, 7, 8]), c); // [19, 22, 43, 50]
 * ```
 */
export function gemm(
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  alpha = 1,
  beta = 0,
): Float32Array {
  assertGemm(m, n, k, a, b, c, alpha, beta);
  const nb = m * n * k >= NATIVE_CUTOFFS.gemmFlops ? binding() : undefined;
  if (nb) return nb.gemmF32(m, n, k, a, b, c, alpha, beta);
  return gemmTwin(m, n, k, a, b, c, alpha, beta);
}

/**
 * The TypeScript twins themselves, whatever {@link nativeInfo} says: for parity tests and benchmarks.
 * They validate their arguments exactly like the dispatching functions.
 */
export const twin = {
  /** {@link dot} in TypeScript. */
  dot(a: FloatArray, b: FloatArray): number {
    checkDot(a, b);
    return dotTwin(a, b);
  },
  /** {@link sum} in TypeScript. */
  sum(a: FloatArray): number {
    assertFloatArray('sum: a', a);
    return sumTwin(a);
  },
  /** {@link axpy} in TypeScript. */
  axpy<T extends FloatArray>(alpha: number, x: T, y: T): T {
    checkAxpy(alpha, x, y);
    return axpyTwin(alpha, x, y);
  },
  /** {@link gemm} in TypeScript. */
  gemm(
    m: number,
    n: number,
    k: number,
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    alpha = 1,
    beta = 0,
  ): Float32Array {
    assertGemm(m, n, k, a, b, c, alpha, beta);
    return gemmTwin(m, n, k, a, b, c, alpha, beta);
  },
} as const;

/**
 * The addon's raw functions with no size cut-off, or `undefined` when the twins are active: for
 * benchmarks that measure the N-API path itself. Arguments are still validated by the C++ side.
 *
 * @returns the raw binding or `undefined`
 */
export function rawBinding(): NativeBinding | undefined {
  return binding();
}
