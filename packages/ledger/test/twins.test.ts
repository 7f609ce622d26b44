import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Ledger, MemoryStore } from '../src/index.js';
import { agreementViolations, intelEntry, testKey } from './support/cluster.js';
import { TwinsNetwork } from './support/twins.js';

describe('Twins: validator r0 held by two nodes running honest code, random partitions', () => {
  it('no two honest replicas commit different entries at one index; all commit after healing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000 }), async (seed) => {
        const net = new TwinsNetwork(seed);
        const keys = [0, 1, 2, 3].map((i) => testKey(i, 'twins'));
        const validators = keys.map((k, i) => ({ id: `r${i}`, publicKey: k.publicKey }));
        const nodes = ['r0', "r0'", 'r1', 'r2', 'r3'];
        const ledgers = await Promise.all(
          nodes.map((node) => {
            const v = Number(node[1]);
            return Ledger.open({
              id: `r${v}`,
              keyPair: keys[v]!,
              validators,
              transport: net.endpoint(node, `r${v}`),
              storage: { store: new MemoryStore() },
              governor: { clock: net.clock },
              viewTimeoutMs: 200,
              maxBlockEntries: 5,
            });
          }),
        );
        try {
          const honest = ledgers.slice(2);
          let acks = 0;
          for (let i = 0; i < 15; i++) {
            void ledgers[i % ledgers.length]!.submit(intelEntry(seed * 100 + i)).then(
              () => acks++,
              () => undefined,
            );
          }
          // Ten rounds of a random two-way split of the five nodes (the twins often on opposite sides).
          for (let round = 0; round < 10; round++) {
            const shuffled = net.random.shuffle([...nodes]);
            const cut = net.random.int(1, nodes.length - 1);
            net.partition(round % 3 === 2 ? undefined : [shuffled.slice(0, cut), shuffled.slice(cut)]);
            await net.clock.advance(400);
            expect(agreementViolations(honest)).toEqual([]);
          }
          net.partition(undefined);
          for (let t = 0; t < 2000 && !honest.every((l) => l.size >= 15); t++) await net.clock.advance(50);
          expect(agreementViolations(honest)).toEqual([]);
          expect(honest.every((l) => l.size >= 15)).toBe(true);
          // Each twin, run by honest code, also never contradicts the honest replicas' common prefix.
          for (const twin of ledgers.slice(0, 2)) expect(agreementViolations([twin, honest[0]!])).toEqual([]);
          expect(acks).toBeGreaterThan(0);
        } finally {
          for (const l of ledgers) await l.close();
        }
      }),
      { numRuns: 20 },
    );
  }, 240_000);
});
