/**
 * The engine's random source is `@msys/core`'s: a governor's `random` in deterministic mode, otherwise a
 * `SeededRandom` (xoshiro128**) seeded with the engine's recorded seed, so the seed always replays the run.
 *
 * @module
 */
import type { Random } from '@msys/core/governor';

/** The random source the engine draws fault decisions from (`@msys/core`'s `Random`). */
export type ChaosRandom = Random;
