import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InMemoryNetwork } from '../src/index.js';
import { intelEntry, runUntil, simCluster } from './support/cluster.js';

describe('InMemoryNetwork', () => {
  it('replays a run exactly for a seed', async () => {
    const run = async (seed: number) => {
      const c = await simCluster(4, seed, {
        faults: { minDelayMs: 1, maxDelayMs: 40, dropRate: 0.1, duplicateRate: 0.1 },
      });
      let acks = 0;
      for (let i = 0; i < 8; i++) void c.ledgers[i % 4]!.submit(intelEntry(i)).then(() => acks++);
      await runUntil(c.net, () => acks === 8, 60_000, 25);
      const out = {
        now: c.net.clock.now(),
        stats: c.net.stats,
        order: [...Array(c.ledgers[0]!.size).keys()].map((i) => c.ledgers[0]!.entry(i)!.id),
        views: c.ledgers.map((l) => l.stats.view),
      };
      await c.close();
      return out;
    };
    const a = await run(42);
    const b = await run(42);
    const c = await run(43);
    expect(a).toEqual(b);
    expect(a.order.length).toBe(8);
    expect(c.stats).not.toEqual(a.stats);
  });

  it('drops, duplicates, partitions and heals as told', async () => {
    const net = new InMemoryNetwork({ seed: 5, faults: { dropRate: 0.5, duplicateRate: 0.5 } });
    const a = net.endpoint('a');
    const b = net.endpoint('b');
    const got: number[] = [];
    b.onMessage((_p, f) => got.push(f[0] as number));
    a.onMessage(() => undefined);
    for (let i = 0; i < 200; i++) a.send('b', Uint8Array.of(i));
    await net.clock.advance(100);
    const s = net.stats;
    expect(s.dropped).toBeGreaterThan(50);
    expect(s.duplicated).toBeGreaterThan(20);
    expect(got.length).toBe(s.delivered);
    expect(s.delivered).toBe(200 - s.dropped + s.duplicated);
    // Delays are random: frames arrive out of order.
    expect(got.some((v, i) => i > 0 && v < (got[i - 1] as number))).toBe(true);

    net.setFaults({});
    net.partition([['a'], ['b']]);
    const before = got.length;
    a.send('b', Uint8Array.of(1));
    await net.clock.advance(50);
    expect(got.length).toBe(before);
    net.heal();
    a.send('b', Uint8Array.of(2));
    await net.clock.advance(50);
    expect(got.length).toBe(before + 1);
  });

  it('refuses bad fault settings', () => {
    expect(() => new InMemoryNetwork({ faults: { dropRate: 2 } })).toThrow(
      expect.objectContaining({ code: 'MSYS_LEDGER_INVALID_ARGUMENT' }),
    );
    expect(() => new InMemoryNetwork({ faults: { minDelayMs: 5, maxDelayMs: 1 } })).toThrow(
      expect.objectContaining({ code: 'MSYS_LEDGER_INVALID_ARGUMENT' }),
    );
  });

  it('a replica fed garbage frames drops and counts them, and keeps committing', async () => {
    const c = await simCluster(4, 8);
    const attacker = c.net.endpoint('r3-spoof');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 200 }), { minLength: 1, maxLength: 20 }),
        async (frames) => {
          for (const f of frames) attacker.send('r0', f);
          await c.net.clock.advance(20);
        },
      ),
      { numRuns: 30 },
    );
    const dropped = c.ledgers[0]!.stats.dropped;
    expect(dropped).toBeGreaterThan(0);
    let ok = false;
    void c.ledgers[0]!.submit(intelEntry(77)).then(() => {
      ok = true;
    });
    expect(await runUntil(c.net, () => ok)).toBe(true);
    await c.close();
  });
});
