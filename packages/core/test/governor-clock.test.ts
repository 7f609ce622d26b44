import { describe, expect, it } from 'vitest';
import { RealClock, ResourceGovernor, VIRTUAL_EPOCH_MS, VirtualClock } from '../src/governor/index.js';

describe('VirtualClock', () => {
  it('starts at the fixed epoch in deterministic mode and does not move by itself', async () => {
    const g = new ResourceGovernor({ deterministic: { seed: 1 } });
    expect(g.clock.virtual).toBe(true);
    expect(g.clock.now()).toBe(VIRTUAL_EPOCH_MS);
    expect(g.clock.nowNs()).toBe(BigInt(VIRTUAL_EPOCH_MS) * 1_000_000n);
    await new Promise((r) => setTimeout(r, 5));
    expect(g.clock.now()).toBe(VIRTUAL_EPOCH_MS);
  });

  it('fires timers in due order, ties in the order they were set, each at its own time', async () => {
    const clock = new VirtualClock(0);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`c@${clock.now()}`), 30);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 10);
    clock.setTimeout(() => fired.push(`b1@${clock.now()}`), 20);
    clock.setTimeout(() => fired.push(`b2@${clock.now()}`), 20);
    clock.setTimeout(() => fired.push(`late@${clock.now()}`), 31);
    await clock.advance(30);
    expect(fired).toEqual(['a@10', 'b1@20', 'b2@20', 'c@30']);
    expect(clock.now()).toBe(30);
    expect(clock.pendingTimers).toBe(1);
    await clock.advance(1);
    expect(fired.at(-1)).toBe('late@31');
  });

  it('resolves sleep only when advanced, and runs follow-up timers that fall within the same advance', async () => {
    const clock = new VirtualClock(1000);
    const seen: number[] = [];
    const task = (async () => {
      await clock.sleep(100);
      seen.push(clock.now());
      await clock.sleep(100);
      seen.push(clock.now());
    })();
    await clock.advance(99);
    expect(seen).toEqual([]);
    await clock.advance(150);
    await task;
    expect(seen).toEqual([1100, 1200]);
    expect(clock.now()).toBe(1249);
  });

  it('keeps sub-millisecond time exactly in nanoseconds', async () => {
    const clock = new VirtualClock(0);
    await clock.advance(0.000_001);
    expect(clock.nowNs()).toBe(1n);
    await clock.advance(1.5);
    expect(clock.nowNs()).toBe(1_500_001n);
    expect(clock.now()).toBeCloseTo(1.500001, 9);
  });

  it('cancels timers with clearTimeout and aborts sleeps with MSYS_GOVERNOR_ABORTED', async () => {
    const clock = new VirtualClock();
    let fired = false;
    const h = clock.setTimeout(() => {
      fired = true;
    }, 5);
    clock.clearTimeout(h);
    const ac = new AbortController();
    const sleeping = clock.sleep(10, ac.signal);
    ac.abort(new Error('stop'));
    await expect(sleeping).rejects.toMatchObject({ code: 'MSYS_GOVERNOR_ABORTED', category: 'state' });
    await clock.advance(20);
    expect(fired).toBe(false);
    expect(clock.pendingTimers).toBe(0);
    await expect(clock.sleep(1, ac.signal)).rejects.toMatchObject({ code: 'MSYS_GOVERNOR_ABORTED' });
  });

  it('rejects the advance with the error of a throwing timer and continues on the next advance', async () => {
    const clock = new VirtualClock(0);
    const fired: number[] = [];
    clock.setTimeout(() => {
      throw new Error('boom');
    }, 5);
    clock.setTimeout(() => fired.push(clock.now()), 6);
    await expect(clock.advance(10)).rejects.toThrow('boom');
    expect(clock.now()).toBe(5);
    await clock.advance(1);
    expect(fired).toEqual([6]);
    expect(clock.now()).toBe(6);
  });

  it('serializes concurrent advances', async () => {
    const clock = new VirtualClock(0);
    const a = clock.advance(10);
    const b = clock.advance(10);
    await Promise.all([a, b]);
    expect(clock.now()).toBe(20);
  });

  it('validates delays', () => {
    const clock = new VirtualClock();
    expect(() => clock.setTimeout(() => {}, -1)).toThrow(
      expect.objectContaining({ code: 'MSYS_GOVERNOR_INVALID_ARGUMENT' }),
    );
    expect(() => clock.advance(Number.NaN)).toThrow(
      expect.objectContaining({ code: 'MSYS_GOVERNOR_INVALID_ARGUMENT' }),
    );
    expect(() => new VirtualClock(-5)).toThrow(
      expect.objectContaining({ code: 'MSYS_GOVERNOR_INVALID_ARGUMENT' }),
    );
  });
});

describe('RealClock', () => {
  it('rejects advance with MSYS_GOVERNOR_CLOCK_NOT_VIRTUAL', async () => {
    await expect(new ResourceGovernor().clock.advance(1)).rejects.toMatchObject({
      code: 'MSYS_GOVERNOR_CLOCK_NOT_VIRTUAL',
    });
  });

  it('tells wall time, monotonic nanoseconds, and really sleeps', async () => {
    const clock = new RealClock();
    const before = Date.now();
    expect(clock.now()).toBeGreaterThanOrEqual(before);
    const ns1 = clock.nowNs();
    const start = performance.now();
    await clock.sleep(15);
    expect(performance.now() - start).toBeGreaterThanOrEqual(14);
    const ns2 = clock.nowNs();
    expect(ns2 > ns1).toBe(true);
    // Anchored to the wall clock: within a second of Date.now().
    expect(Math.abs(Number(ns2 / 1_000_000n) - Date.now())).toBeLessThan(1000);
  });

  it('runs and cancels timers and aborts sleeps', async () => {
    const clock = new RealClock();
    let fired = 0;
    const h = clock.setTimeout(() => {
      fired++;
    }, 1);
    clock.clearTimeout(h);
    await new Promise<void>((resolve) => clock.setTimeout(resolve, 2));
    expect(fired).toBe(0);
    const ac = new AbortController();
    const s = clock.sleep(10_000, ac.signal);
    ac.abort();
    await expect(s).rejects.toMatchObject({ code: 'MSYS_GOVERNOR_ABORTED' });
  });
});
