import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import { ResourceGovernor } from '@msys/core/governor';
import { describe, expect, it } from 'vitest';
import { ChaosEngine } from '../src/index.js';

/** Process CPU time (user + system, all threads) consumed during `ms` of wall time, in ms. */
async function cpuDuring(ms: number): Promise<number> {
  const before = process.cpuUsage();
  await sleep(ms);
  const d = process.cpuUsage(before);
  return (d.user + d.system) / 1000;
}

describe('cpu fault', () => {
  it('burning 1 core at 80% raises process CPU time; revert brings it back down', async () => {
    const engine = new ChaosEngine({ seed: 1 });
    const idle = await cpuDuring(500);
    const fault = engine.inject({ kind: 'cpu', cores: 1, percent: 80 });
    await sleep(200); // the worker starts
    const burning = await cpuDuring(1000);
    await fault.revert();
    const after = await cpuDuring(500);
    // 80% of one core over 1 s is ~800 ms of CPU on an idle machine; on a shared 2-core machine under
    // load the worker gets a fraction of that, so the band only asks for a clear rise and fall.
    expect(burning).toBeGreaterThan(Math.max(3 * idle, 50));
    expect(after).toBeLessThan(burning / 2);
  });
});

describe('memory fault', () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  // ArrayBuffer backing stores are freed by a concurrent sweeper after the collection that found them dead.
  const settleGc = async () => {
    for (let i = 0; i < 3; i++) {
      gc();
      await sleep(50);
    }
  };

  it('external: RSS and external memory rise by ~B and fall back after revert', async () => {
    const engine = new ChaosEngine({ seed: 1 });
    const B = 128 * 1024 * 1024;
    gc();
    const before = process.memoryUsage();
    const fault = engine.inject({ kind: 'memory', bytes: B, space: 'external' });
    const during = process.memoryUsage();
    expect(during.external - before.external).toBeGreaterThan(B * 0.95);
    expect(during.rss - before.rss).toBeGreaterThan(B * 0.8);
    await fault.revert();
    await settleGc();
    const after = process.memoryUsage();
    expect(after.external - before.external).toBeLessThan(B * 0.1);
    expect(during.rss - after.rss).toBeGreaterThan(B * 0.6);
  });

  it('heap: heapUsed rises by ~B and falls back after revert', async () => {
    const engine = new ChaosEngine({ seed: 1 });
    const B = 64 * 1024 * 1024;
    gc();
    const before = process.memoryUsage().heapUsed;
    const fault = engine.inject({ kind: 'memory', bytes: B, space: 'heap' });
    const during = process.memoryUsage().heapUsed;
    expect(during - before).toBeGreaterThan(B * 0.9);
    await fault.revert();
    gc();
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(B * 0.2);
  });
});

describe('event-loop block', () => {
  it('blocking 100 ms every 150 ms shows up as timer lag; none after revert', async () => {
    const engine = new ChaosEngine({ seed: 1 });
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    histogram.enable();
    const fault = engine.inject({ kind: 'event-loop-block', blockMs: 100, everyMs: 150 });
    await sleep(500);
    histogram.disable();
    const blockedMax = histogram.max / 1e6;
    await fault.revert();
    const after = monitorEventLoopDelay({ resolution: 5 });
    after.enable();
    await sleep(500);
    after.disable();
    expect(blockedMax).toBeGreaterThan(90);
    // No more 100 ms blocks: the worst lag after the revert stays below the block length.
    expect(after.max / 1e6).toBeLessThan(blockedMax - 20);
  });
});

describe('clock skew', () => {
  it('shifts the governor clock that code under test reads, and restores it on revert', async () => {
    const governor = new ResourceGovernor({ deterministic: { seed: 1 } });
    const engine = new ChaosEngine({ governor });
    const tokenExpired = (issuedAt: number) => governor.clock.now() - issuedAt > 60_000;
    const issuedAt = governor.clock.now();
    expect(tokenExpired(issuedAt)).toBe(false);
    const fault = engine.inject({ kind: 'clock-skew', offsetMs: 120_000 });
    expect(tokenExpired(issuedAt)).toBe(true);
    expect(governor.clock.nowNs() - BigInt(issuedAt) * 1_000_000n).toBeGreaterThanOrEqual(
      120_000n * 1_000_000n,
    );
    await fault.revert();
    expect(tokenExpired(issuedAt)).toBe(false);
    expect(governor.clock.now()).toBe(issuedAt);
  });

  it('works on the real clock of an engine without a governor', async () => {
    const engine = new ChaosEngine({ seed: 1 });
    const fault = engine.inject({ kind: 'clock-skew', offsetMs: -3_600_000 });
    expect(Date.now() - engine.clock.now()).toBeGreaterThan(3_599_000);
    await fault.revert();
    expect(Math.abs(Date.now() - engine.clock.now())).toBeLessThan(1000);
  });
});
