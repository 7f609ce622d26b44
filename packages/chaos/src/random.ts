/**
 * The engine's seeded random source. It has the same shape as the governor's `Random` (`float`, `uint32`,
 * `fork`), so an engine takes its streams from a deterministic governor when given one, and from this
 * generator otherwise. xoshiro128** (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
 * 2021) seeded through splitmix32, as the governor does.
 *
 * @module
 */

/** The subset of the governor's `Random` the engine draws from. */
export interface ChaosRandom {
  /** A uniform 32-bit unsigned integer. */
  uint32(): number;
  /** A uniform float in [0, 1). */
  float(): number;
  /**
   * An independent stream derived from this stream's seed and `label` (not from its draw position), so
   * that a target's decisions do not depend on how other targets' calls interleave with it.
   *
   * @param label - the stream's name
   */
  fork(label: string): ChaosRandom;
}

/** FNV-1a over UTF-16 code units, then a murmur3 finalizer: a stable 32-bit hash of a seed string. */
function hash32(text: string, salt: number): number {
  let h = (0x811c9dc5 ^ salt) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * A xoshiro128** stream keyed by a seed string.
 *
 * @internal
 */
export class SeededRandom implements ChaosRandom {
  readonly #key: string;
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /** @param key - the seed, as text (numbers and bigints are rendered in decimal by the caller) */
  constructor(key: string) {
    this.#key = key;
    // splitmix32 expands one 32-bit hash into four non-zero state words.
    let s = hash32(key, 0x9e3779b9);
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#a = next();
    this.#b = next() ^ hash32(key, 1);
    this.#c = next();
    this.#d = next() | 1;
  }

  uint32(): number {
    const result = Math.imul(rotl(Math.imul(this.#b, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.#b << 9) >>> 0;
    this.#c ^= this.#a;
    this.#d ^= this.#b;
    this.#b ^= this.#c;
    this.#a ^= this.#d;
    this.#c ^= t;
    this.#d = rotl(this.#d, 11);
    return result;
  }

  float(): number {
    return this.uint32() / 4294967296;
  }

  fork(label: string): ChaosRandom {
    return new SeededRandom(`${this.#key}\u0000${label}`);
  }
}

/**
 * Draws from a normal distribution (Box–Muller) with the given mean and standard deviation.
 *
 * @internal
 */
export function normal(random: ChaosRandom, mean: number, sd: number): number {
  const u = 1 - random.float();
  const v = random.float();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
