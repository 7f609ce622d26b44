/**
 * Randomness for the governor: a seeded xoshiro128** stream for deterministic runs and a crypto-backed
 * source otherwise, behind one {@link Random} interface.
 *
 * @module
 */
import { randomFillSync } from 'node:crypto';
import { invalidGovernorArgument, invalidOption } from './errors.js';

/**
 * A source of random values. Seeded streams ({@link SeededRandom}) replay exactly; {@link CryptoRandom}
 * draws from the operating system's CSPRNG.
 */
export interface Random {
  /** True when the stream is seeded and therefore reproducible. */
  readonly seeded: boolean;
  /**
   * Draws 32 uniformly random bits.
   *
   * @returns an integer in [0, 2^32)
   */
  uint32(): number;
  /**
   * Draws a float with 53 random bits of mantissa.
   *
   * @returns a number in [0, 1)
   */
  float(): number;
  /**
   * Draws an integer uniformly from an inclusive range, without modulo bias.
   *
   * @param min - the smallest value (a safe integer)
   * @param max - the largest value (a safe integer ≥ min; `max - min` at most 2^53 - 1)
   * @returns an integer in [min, max]
   * @throws SystemError `MSYS_GOVERNOR_INVALID_ARGUMENT` for non-integers or an empty range
   */
  int(min: number, max: number): number;
  /**
   * Draws from a normal distribution (Box–Muller transform).
   *
   * @param mean - the mean (default 0)
   * @param sd - the standard deviation, ≥ 0 (default 1)
   * @returns a normally distributed number
   * @throws SystemError `MSYS_GOVERNOR_INVALID_ARGUMENT` for a non-finite mean or a negative sd
   */
  normal(mean?: number, sd?: number): number;
  /**
   * Picks one element uniformly.
   *
   * @param items - a non-empty array
   * @returns one of its elements
   * @throws SystemError `MSYS_GOVERNOR_INVALID_ARGUMENT` for an empty array
   */
  pick<T>(items: readonly T[]): T;
  /**
   * Shuffles an array in place (Fisher–Yates, Knuth vol. 2 §3.4.2, algorithm P).
   *
   * @param items - the array to shuffle
   * @returns the same array, shuffled
   */
  shuffle<T>(items: T[]): T[];
  /**
   * Draws random bytes.
   *
   * @param n - how many (a non-negative safe integer)
   * @returns `n` random bytes
   */
  bytes(n: number): Uint8Array;
  /**
   * Derives an independent stream for one purpose. For a seeded stream the child depends only on this
   * stream's seed and `label` (not on how many values were drawn), so `fork('network')` is the same
   * stream in every replay of a run, whatever order the components start in.
   *
   * @param label - names the purpose, e.g. `network` or `peer:3`
   * @returns the derived stream
   */
  fork(label: string): Random;
}

/** The seeds that {@link SeededRandom} accepts: a safe integer, a bigint (taken modulo 2^64) or any string. */
export type Seed = number | bigint | string;

const MASK64 = (1n << 64n) - 1n;
const GOLDEN_GAMMA = 0x9e3779b97f4a7c15n;
const FNV64_OFFSET = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;
const TWO_POW_32 = 2 ** 32;
const TWO_POW_53 = 2 ** 53;
const utf8 = new TextEncoder();

/**
 * The SplitMix64 output function (Steele, Lea & Flood, "Fast splittable pseudorandom number generators",
 * OOPSLA 2014), as recommended by Blackman & Vigna for seeding xoshiro from a 64-bit value.
 *
 * @param state - the 64-bit state before the step
 * @returns the next state and the 64-bit output
 * @internal
 */
export function splitmix64(state: bigint): { state: bigint; value: bigint } {
  const next = (state + GOLDEN_GAMMA) & MASK64;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return { state: next, value: z ^ (z >> 31n) };
}

/**
 * FNV-1a, 64-bit, over the UTF-8 bytes of a string; folds string seeds and fork labels to 64 bits.
 *
 * @internal
 */
export function fnv1a64(text: string): bigint {
  let h = FNV64_OFFSET;
  for (const byte of utf8.encode(text)) h = ((h ^ BigInt(byte)) * FNV64_PRIME) & MASK64;
  return h;
}

/**
 * Folds a {@link Seed} to 64 bits.
 *
 * @internal
 */
export function seedToUint64(seed: Seed, path = 'seed'): bigint {
  if (typeof seed === 'bigint') return BigInt.asUintN(64, seed);
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed)) throw invalidOption(path, 'a safe integer, a bigint or a string', seed);
    return BigInt.asUintN(64, BigInt(seed));
  }
  if (typeof seed === 'string') return fnv1a64(seed);
  throw invalidOption(path, 'a safe integer, a bigint or a string', seed);
}

// Helpers shared by both sources; each takes the 32-bit draw function of its source.

function drawFloat(next: () => number): number {
  // 27 + 26 bits give a uniformly spaced multiple of 2^-53 (the construction of Java's nextDouble).
  return ((next() >>> 5) * 67108864 + (next() >>> 6)) / TWO_POW_53;
}

function drawInt(next: () => number, min: number, max: number): number {
  if (!Number.isSafeInteger(min)) throw invalidGovernorArgument('min', 'a safe integer', min);
  if (!Number.isSafeInteger(max) || max < min) {
    throw invalidGovernorArgument('max', `a safe integer ≥ min (${min})`, max);
  }
  const range = max - min + 1;
  if (range > TWO_POW_53) throw invalidGovernorArgument('max', 'at most min + 2^53 - 1', max);
  // Rejection sampling: draws at or above the largest multiple of `range` would bias the low residues.
  if (range <= TWO_POW_32) {
    const limit = TWO_POW_32 - (TWO_POW_32 % range);
    let x = next();
    while (x >= limit) x = next();
    return min + (x % range);
  }
  const limit = TWO_POW_53 - (TWO_POW_53 % range);
  let x = drawFloat(next) * TWO_POW_53;
  while (x >= limit) x = drawFloat(next) * TWO_POW_53;
  return min + (x % range);
}

function drawNormal(next: () => number, mean: number, sd: number): number {
  if (!Number.isFinite(mean)) throw invalidGovernorArgument('mean', 'a finite number', mean);
  if (!Number.isFinite(sd) || sd < 0) throw invalidGovernorArgument('sd', 'a finite number ≥ 0', sd);
  // 1 - u keeps the logarithm's argument in (0, 1].
  const u1 = 1 - drawFloat(next);
  const u2 = drawFloat(next);
  return mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

function drawPick<T>(next: () => number, items: readonly T[]): T {
  if (!Array.isArray(items) || items.length === 0)
    throw invalidGovernorArgument('items', 'a non-empty array', items);
  return items[drawInt(next, 0, items.length - 1)] as T;
}

function drawShuffle<T>(next: () => number, items: T[]): T[] {
  if (!Array.isArray(items)) throw invalidGovernorArgument('items', 'an array', items);
  for (let i = items.length - 1; i > 0; i--) {
    const j = drawInt(next, 0, i);
    const tmp = items[i] as T;
    items[i] = items[j] as T;
    items[j] = tmp;
  }
  return items;
}

function checkByteCount(n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw invalidGovernorArgument('n', 'a non-negative safe integer', n);
}

/**
 * xoshiro128** 1.1 (Blackman & Vigna, "Scrambled linear pseudorandom number generators", ACM TOMS 2021):
 * 128 bits of state, period 2^128 - 1, passes BigCrush; the state is filled from the seed by SplitMix64.
 * Fast, small and reproducible — not for secrets (use {@link CryptoRandom} or `randomBytes`).
 *
 * @example
 * ```ts
 * const a = new SeededRandom(42);
 * const b = new SeededRandom(42);
 * a.int(1, 6) === b.int(1, 6); // true, always
 * const net = a.fork('network'); // its own stream, stable across replays
 * ```
 */
export class SeededRandom implements Random {
  /** Always true: the stream replays from its seed. */
  readonly seeded = true;
  readonly #seed64: bigint;
  readonly #s = new Uint32Array(4);
  readonly #next = (): number => this.uint32();

  /**
   * @param seed - a safe integer, a bigint (modulo 2^64) or a string (hashed with FNV-1a 64)
   * @throws SystemError `MSYS_GOVERNOR_INVALID_OPTION` for a number that is not a safe integer
   */
  constructor(seed: Seed) {
    this.#seed64 = seedToUint64(seed);
    let sm = splitmix64(this.#seed64);
    const a = sm.value;
    sm = splitmix64(sm.state);
    const b = sm.value;
    // Two consecutive SplitMix64 outputs are distinct, so the state is never all zero.
    this.#s[0] = Number(a & 0xffffffffn);
    this.#s[1] = Number(a >> 32n);
    this.#s[2] = Number(b & 0xffffffffn);
    this.#s[3] = Number(b >> 32n);
  }

  /**
   * Builds a stream from a raw xoshiro128** state, e.g. one saved with {@link SeededRandom.state}.
   * Its forks derive from the state words.
   *
   * @param state - four 32-bit words, not all zero
   * @returns the stream
   * @throws SystemError `MSYS_GOVERNOR_INVALID_ARGUMENT` for a malformed or all-zero state
   */
  static fromState(state: readonly number[]): SeededRandom {
    if (
      !Array.isArray(state) ||
      state.length !== 4 ||
      !state.every((w) => Number.isInteger(w) && w >= 0 && w < TWO_POW_32) ||
      state.every((w) => w === 0)
    ) {
      throw invalidGovernorArgument('state', 'four 32-bit unsigned integers, not all zero', state);
    }
    const seed = (BigInt(state[0] as number) << 96n) | (BigInt(state[1] as number) << 64n);
    const r = new SeededRandom(seed | (BigInt(state[2] as number) << 32n) | BigInt(state[3] as number));
    r.#s.set(state);
    return r;
  }

  /**
   * The current raw state, to resume the stream later with {@link SeededRandom.fromState}.
   *
   * @returns four 32-bit words (a copy)
   */
  state(): number[] {
    return Array.from(this.#s);
  }

  /** {@inheritDoc Random.uint32} */
  uint32(): number {
    const s = this.#s;
    const s0 = s[0] as number;
    const s1 = s[1] as number;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    const s2 = (s[2] as number) ^ s0;
    const s3 = (s[3] as number) ^ s1;
    s[1] = s1 ^ s2;
    s[0] = s0 ^ s3;
    s[2] = s2 ^ t;
    s[3] = (s3 << 11) | (s3 >>> 21);
    return result;
  }

  /** {@inheritDoc Random.float} */
  float(): number {
    return drawFloat(this.#next);
  }

  /** {@inheritDoc Random.int} */
  int(min: number, max: number): number {
    return drawInt(this.#next, min, max);
  }

  /** {@inheritDoc Random.normal} */
  normal(mean = 0, sd = 1): number {
    return drawNormal(this.#next, mean, sd);
  }

  /** {@inheritDoc Random.pick} */
  pick<T>(items: readonly T[]): T {
    return drawPick(this.#next, items);
  }

  /** {@inheritDoc Random.shuffle} */
  shuffle<T>(items: T[]): T[] {
    return drawShuffle(this.#next, items);
  }

  /** {@inheritDoc Random.bytes} */
  bytes(n: number): Uint8Array {
    checkByteCount(n);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const w = this.uint32();
      out[i] = w & 0xff;
      if (i + 1 < n) out[i + 1] = (w >>> 8) & 0xff;
      if (i + 2 < n) out[i + 2] = (w >>> 16) & 0xff;
      if (i + 3 < n) out[i + 3] = w >>> 24;
    }
    return out;
  }

  /** {@inheritDoc Random.fork} */
  fork(label: string): SeededRandom {
    if (typeof label !== 'string') throw invalidGovernorArgument('label', 'a string', label);
    // One SplitMix64 step over seed ⊕ FNV(label): nonlinear, so fork(a).fork(b) ≠ fork(b).fork(a).
    return new SeededRandom(splitmix64(this.#seed64 ^ fnv1a64(label)).value);
  }
}

const POOL_WORDS = 256;

/**
 * Randomness from the operating system's CSPRNG (`node:crypto`), drawn in pooled blocks of 1 KiB so that
 * `uint32()` costs an array read rather than a system call. Not reproducible; `fork` returns another
 * independent crypto source.
 *
 * @example
 * ```ts
 * const r = new CryptoRandom();
 * const token = r.bytes(16);
 * ```
 */
export class CryptoRandom implements Random {
  /** Always false: nothing replays. */
  readonly seeded = false;
  readonly #pool = new Uint32Array(POOL_WORDS);
  #index = POOL_WORDS;
  readonly #next = (): number => this.uint32();

  /** {@inheritDoc Random.uint32} */
  uint32(): number {
    if (this.#index === POOL_WORDS) {
      randomFillSync(this.#pool);
      this.#index = 0;
    }
    return this.#pool[this.#index++] as number;
  }

  /** {@inheritDoc Random.float} */
  float(): number {
    return drawFloat(this.#next);
  }

  /** {@inheritDoc Random.int} */
  int(min: number, max: number): number {
    return drawInt(this.#next, min, max);
  }

  /** {@inheritDoc Random.normal} */
  normal(mean = 0, sd = 1): number {
    return drawNormal(this.#next, mean, sd);
  }

  /** {@inheritDoc Random.pick} */
  pick<T>(items: readonly T[]): T {
    return drawPick(this.#next, items);
  }

  /** {@inheritDoc Random.shuffle} */
  shuffle<T>(items: T[]): T[] {
    return drawShuffle(this.#next, items);
  }

  /** {@inheritDoc Random.bytes} */
  bytes(n: number): Uint8Array {
    checkByteCount(n);
    return randomFillSync(new Uint8Array(n));
  }

  /** {@inheritDoc Random.fork} */
  fork(label: string): CryptoRandom {
    if (typeof label !== 'string') throw invalidGovernorArgument('label', 'a string', label);
    return new CryptoRandom();
  }
}
