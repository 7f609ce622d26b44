/**
 * The ResourceGovernor's hot paths: the per-call overhead of `run` (beside awaiting the function directly),
 * `TokenBucket.tryAcquire`, and 32-bit draws from the seeded xoshiro128** stream and the pooled crypto source
 * (beside `Math.random`, V8's own xorshift128+, as the ceiling).
 *
 * Each iteration makes 1000 calls, so ops/s counts calls and the per-call cost is 1 / ops/s.
 */
import { CryptoRandom, ResourceGovernor, SeededRandom, TokenBucket } from '@msys/core/governor';
import type { SuiteFactory } from '../harness.js';

const BATCH = 1000;

const suite: SuiteFactory = () => {
  const free = new ResourceGovernor();
  // A cap above what the loop can reach would never pause; 99% measures the accounting with rare pauses.
  const capped = new ResourceGovernor({ cpuPercentCap: 99 });
  const noop = (): number => 1;
  const bucket = new TokenBucket({ ratePerSec: 1e12, burst: Number.MAX_SAFE_INTEGER });
  const seeded = new SeededRandom(42);
  const crypto = new CryptoRandom();
  let sink = 0;

  return {
    package: 'core',
    scenarios: [
      {
        name: 'governor run(noop), no cap',
        opsPerIteration: BATCH,
        judged: false,
        fn: async () => {
          for (let i = 0; i < BATCH; i++) sink += await free.run(noop);
        },
        peer: {
          name: 'await fn() directly',
          opsPerIteration: BATCH,
          fn: async () => {
            for (let i = 0; i < BATCH; i++) sink += await noop();
          },
        },
      },
      {
        name: 'governor run(noop), cpuPercentCap 99',
        opsPerIteration: BATCH,
        judged: false,
        fn: async () => {
          for (let i = 0; i < BATCH; i++) sink += await capped.run(noop);
        },
      },
      {
        name: 'token-bucket tryAcquire',
        opsPerIteration: BATCH,
        judged: false,
        fn: () => {
          for (let i = 0; i < BATCH; i++) if (bucket.tryAcquire()) sink++;
        },
      },
      {
        name: 'random uint32 (xoshiro128**, seeded)',
        opsPerIteration: BATCH,
        judged: false,
        fn: () => {
          for (let i = 0; i < BATCH; i++) sink ^= seeded.uint32();
        },
        peer: {
          name: 'Math.random()',
          opsPerIteration: BATCH,
          fn: () => {
            for (let i = 0; i < BATCH; i++) sink ^= (Math.random() * 4294967296) >>> 0;
          },
        },
      },
      {
        name: 'random uint32 (crypto, pooled)',
        opsPerIteration: BATCH,
        judged: false,
        fn: () => {
          for (let i = 0; i < BATCH; i++) sink ^= crypto.uint32();
        },
      },
    ],
    dispose: () => {
      if (Number.isNaN(sink)) console.error('unreachable');
      free.close();
      capped.close();
      bucket.close();
    },
  };
};

export default suite;
