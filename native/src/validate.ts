/** A dense vector of 32- or 64-bit floats. */
export type FloatArray = Float32Array | Float64Array;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  return typeof value;
}

/** @internal */
export function assertFloatArray(name: string, value: unknown): asserts value is FloatArray {
  if (!(value instanceof Float32Array) && !(value instanceof Float64Array)) {
    throw new TypeError(`${name} must be a Float32Array or Float64Array, received ${describe(value)}`);
  }
}

/** @internal */
export function assertSameKind(fn: string, names: [string, string], a: FloatArray, b: FloatArray): void {
  if (a.constructor !== b.constructor) {
    throw new TypeError(
      `${fn}: ${names[0]} and ${names[1]} must have the same element type, received ${a.constructor.name} and ${b.constructor.name}`,
    );
  }
  if (a.length !== b.length) {
    throw new RangeError(
      `${fn}: ${names[0]} and ${names[1]} must have the same length, received ${a.length} and ${b.length}`,
    );
  }
}

/** @internal */
export function assertNumber(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, received ${describe(value)}`);
}

/** @internal */
export function assertDim(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, received ${describe(value)}`);
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) {
    throw new RangeError(`${name} must be a non-negative integer below 2^32, received ${value}`);
  }
}

/** @internal */
export function assertGemm(
  m: unknown,
  n: unknown,
  k: unknown,
  a: unknown,
  b: unknown,
  c: unknown,
  alpha: unknown,
  beta: unknown,
): void {
  assertDim('gemm: m', m);
  assertDim('gemm: n', n);
  assertDim('gemm: k', k);
  for (const [name, v] of [
    ['a', a],
    ['b', b],
    ['c', c],
  ] as const) {
    if (!(v instanceof Float32Array))
      throw new TypeError(`gemm: ${name} must be a Float32Array, received ${describe(v)}`);
  }
  assertNumber('gemm: alpha', alpha);
  assertNumber('gemm: beta', beta);
  const check = (name: string, arr: Float32Array, rows: number, cols: number, dims: string) => {
    if (arr.length !== rows * cols) {
      throw new RangeError(
        `gemm: ${name}.length must equal ${dims} = ${rows * cols}, received ${arr.length}`,
      );
    }
  };
  check('a', a as Float32Array, m, k, 'm*k');
  check('b', b as Float32Array, k, n, 'k*n');
  check('c', c as Float32Array, m, n, 'm*n');
}

/** @internal */
export function checkDot(a: unknown, b: unknown): asserts a is FloatArray {
  assertFloatArray('dot: a', a);
  assertFloatArray('dot: b', b);
  assertSameKind('dot', ['a', 'b'], a, b);
}

/** @internal */
export function checkAxpy(alpha: unknown, x: unknown, y: unknown): asserts x is FloatArray {
  assertNumber('axpy: alpha', alpha);
  assertFloatArray('axpy: x', x);
  assertFloatArray('axpy: y', y);
  assertSameKind('axpy', ['x', 'y'], x, y);
}
