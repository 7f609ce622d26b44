import { SeededRandom } from '@msys/core/governor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ByzantineMode, byzantine } from './support/byzantine.js';
import { agreementViolations, intelEntry, runUntil, simCluster, testKey } from './support/cluster.js';

const modes: ByzantineMode[] = ['equivocate', 'withhold', 'forge', 'replay'];

describe('f = 1 Byzantine replica of n = 4, lossy network, partitions that heal', () => {
  it('keeps agreement and validity, and every entry commits after the partition heals', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom(...modes),
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        async (seed, mode, bad, partitionFirst) => {
          const random = new SeededRandom(seed);
          const validators = [0, 1, 2, 3].map((i) => ({ id: `r${i}`, publicKey: testKey(i).publicKey }));
          const cluster = await simCluster(4, seed, {
            faults: { minDelayMs: 1, maxDelayMs: 30, dropRate: 0.05, duplicateRate: 0.05 },
            wrap: (i, t, key) => (i === bad ? byzantine(t, mode, key, validators, random) : t),
          });
          try {
            const { ledgers, net } = cluster;
            const honest = ledgers.filter((_, i) => i !== bad);
            const submitted = new Set<string>();
            let acknowledged = 0;
            if (partitionFirst)
              net.partition([
                [`r${bad}`, `r${(bad + 1) % 4}`],
                [`r${(bad + 2) % 4}`, `r${(bad + 3) % 4}`],
              ]);
            for (let i = 0; i < 12; i++) {
              const l = honest[i % honest.length]!;
              void l.submit(intelEntry(seed * 100 + i)).then(
                (r) => {
                  submitted.add(r.entryId);
                  acknowledged++;
                },
                () => undefined,
              );
            }
            await net.clock.advance(3000);
            net.heal();
            const live = await runUntil(
              net,
              () => acknowledged === 12 && honest.every((l) => l.size >= 12),
              120_000,
              50,
            );
            expect(agreementViolations(honest)).toEqual([]);
            expect(live).toBe(true);
            // Validity: every committed intel entry is one a client submitted (evidence entries aside).
            for (const l of honest) {
              for (let i = 0; i < l.size; i++) {
                const e = l.entry(i)!;
                if (e.entry.type === 'intel') expect(submitted.has(e.id)).toBe(true);
              }
            }
            if (mode === 'forge') expect(honest.some((l) => l.stats.invalidSignatures > 0)).toBe(true);
            if (mode === 'equivocate' && honest.some((l) => l.stats.equivocations > 0)) {
              expect(
                honest.some((l) =>
                  [...Array(l.size).keys()].some((i) => l.entry(i)?.entry.type === 'equivocation'),
                ),
              ).toBe(true);
            }
          } finally {
            await cluster.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 240_000);
});
