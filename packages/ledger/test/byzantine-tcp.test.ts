import { SeededRandom } from '@msys/core/governor';
import { describe, expect, it } from 'vitest';
import { Ledger, MemoryStore } from '../src/index.js';
import { type ByzantineMode, byzantine } from './support/byzantine.js';
import { agreementViolations, intelEntry, openLoopbackMesh, testKey } from './support/cluster.js';

const until = async (f: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!f() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return f();
};

describe('f = 1 Byzantine replica over TcpTransport on 127.0.0.1', () => {
  it.each([
    ['equivocate', 0, 11],
    ['withhold', 1, 12],
    ['forge', 2, 13],
    ['replay', 3, 14],
  ] as [ByzantineMode, number, number][])(
    '%s (replica %i, seed %i): agreement, validity, liveness',
    async (mode, bad, seed) => {
      const random = new SeededRandom(seed);
      const keys = [0, 1, 2, 3].map((i) => testKey(i, `tcp-byz-${seed}`));
      const validators = keys.map((k, i) => ({ id: `r${i}`, publicKey: k.publicKey }));
      const transports = await openLoopbackMesh(keys);
      const ledgers = await Promise.all(
        keys.map((k, i) =>
          Ledger.open({
            id: `r${i}`,
            keyPair: k,
            validators,
            transport: i === bad ? byzantine(transports[i]!, mode, k, validators, random) : transports[i]!,
            storage: { store: new MemoryStore() },
            viewTimeoutMs: 150,
            maxBlockEntries: 4,
          }),
        ),
      );
      try {
        const honest = ledgers.filter((_, i) => i !== bad);
        const submitted = new Set<string>();
        for (let i = 0; i < 12; i++) {
          void honest[i % 3]!.submit(intelEntry(seed * 100 + i)).then(
            (r) => submitted.add(r.entryId),
            () => undefined,
          );
        }
        expect(await until(() => submitted.size === 12 && honest.every((l) => l.size >= 12), 25_000)).toBe(
          true,
        );
        expect(agreementViolations(honest)).toEqual([]);
        for (const l of honest) {
          for (let i = 0; i < l.size; i++) {
            const e = l.entry(i)!;
            if (e.entry.type === 'intel') expect(submitted.has(e.id)).toBe(true);
          }
        }
        if (mode === 'forge') expect(honest.some((l) => l.stats.invalidSignatures > 0)).toBe(true);
      } finally {
        for (const l of ledgers) await l.close();
      }
    },
    40_000,
  );
});
