import { describe, expect, it } from 'vitest';
import { type LimitEvent, ResourceGovernor, TokenBucket, VirtualClock } from '../src/governor/index.js';

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('TokenBucket on a virtual clock', () => {
  it('grants the burst at once, then refills at the rate', async () => {
    const clock = new VirtualClock(0);
    const io = new TokenBucket({ ratePerSec: 10, burst: 5, clock });
    expect(io.tryAcquire(5)).toBe(true);
    expect(io.tryAcquire()).toBe(false);
    await clock.advance(100);
    expect(io.available).toBe(1);
    expect(io.tryAcquire()).toBe(true);
    await clock.advance(10_000);
    expect(io.available).toBe(5);
    expect(io.granted).toBe(6);
  });

  it('serves waiters first come, first served: a big request blocks later small ones', async () => {
    const clock = new VirtualClock(0);
    const io = new TokenBucket({ ratePerSec: 10, burst: 10, clock });
    io.tryAcquire(10);
    const order: string[] = [];
    const big = io.acquire(8).then(() => order.push(`big@${clock.now()}`));
    const small = io.acquire(1).then(() => order.push(`small@${clock.now()}`));
    expect(io.tryAcquire()).toBe(false); // may not jump the line
    expect(io.waiting).toBe(2);
    await clock.advance(100); // 1 token: enough for `small`, but `big` is first
    expect(order).toEqual([]);
    await clock.advance(1000);
    await Promise.all([big, small]);
    expect(order).toEqual(['big@800', 'small@900']);
  });

  it('rejects an aborted waiter with MSYS_GOVERNOR_ABORTED and gives its place to the next', async () => {
    const clock = new VirtualClock(0);
    const io = new TokenBucket({ ratePerSec: 10, burst: 10, clock });
    io.tryAcquire(10);
    const ac = new AbortController();
    const big = io.acquire(10, { signal: ac.signal });
    let smallAt = -1;
    const small = io.acquire(2).then(() => {
      smallAt = clock.now();
    });
    await clock.advance(150);
    ac.abort();
    await expect(big).rejects.toMatchObject({ code: 'MSYS_GOVERNOR_ABORTED', category: 'state' });
    await flush();
    await clock.advance(50);
    await small;
    expect(smallAt).toBe(200);
    expect(io.waiting).toBe(0);
    const pre = new AbortController();
    pre.abort();
    await expect(io.acquire(1, { signal: pre.signal })).rejects.toMatchObject({
      code: 'MSYS_GOVERNOR_ABORTED',
    });
  });

  it('refuses requests larger than the burst, and non-positive or fractional counts', () => {
    const io = new TokenBucket({ ratePerSec: 100, burst: 10, clock: new VirtualClock() });
    for (const n of [11, 0, -1, 1.5, Number.NaN]) {
      expect(() => io.acquire(n)).toThrow(
        expect.objectContaining({
          code: 'MSYS_GOVERNOR_INVALID_ARGUMENT',
          details: expect.objectContaining({ path: 'n' }),
        }),
      );
      expect(() => io.tryAcquire(n)).toThrow(
        expect.objectContaining({ code: 'MSYS_GOVERNOR_INVALID_ARGUMENT' }),
      );
    }
  });

  it('rejects waiters when closed, and later acquires', async () => {
    const clock = new VirtualClock(0);
    const io = new TokenBucket({ ratePerSec: 1, burst: 1, clock });
    io.tryAcquire();
    const waiting = io.acquire();
    io.close();
    await expect(waiting).rejects.toMatchObject({ code: 'MSYS_GOVERNOR_CLOSED' });
    await expect(io.acquire()).rejects.toMatchObject({ code: 'MSYS_GOVERNOR_CLOSED' });
    expect(clock.pendingTimers).toBe(0);
  });

  it('validates its own options', () => {
    expect(() => new TokenBucket({ ratePerSec: 0 })).toThrow(
      expect.objectContaining({
        code: 'MSYS_GOVERNOR_INVALID_OPTION',
        details: expect.objectContaining({ path: 'options.ratePerSec' }),
      }),
    );
    expect(() => new TokenBucket({ ratePerSec: 5, burst: 0.5 })).toThrow(
      expect.objectContaining({
        code: 'MSYS_GOVERNOR_INVALID_OPTION',
        details: expect.objectContaining({ path: 'options.burst' }),
      }),
    );
  });
});

describe('ResourceGovernor I/O', () => {
  it('takes I/O time from the virtual clock in deterministic mode and counts ops', async () => {
    const g = new ResourceGovernor({ deterministic: { seed: 9 }, maxIoOpsPerSec: 100, ioBurst: 1 });
    const limits: LimitEvent[] = [];
    g.on('limit', (e) => limits.push(e));
    await g.io.acquire();
    let done = false;
    const next = g.io.acquire().then(() => {
      done = true;
    });
    await flush();
    expect(done).toBe(false);
    await g.clock.advance(10);
    await next;
    expect(done).toBe(true);
    expect(g.usage().ioOps).toBe(2);
    expect(limits).toEqual([{ resource: 'io', requested: 1, available: 0, limit: 1 }]);
  });

  it('is unlimited without maxIoOpsPerSec but still counts', async () => {
    const g = new ResourceGovernor();
    for (let i = 0; i < 1000; i++) await g.io.acquire(3);
    expect(g.io.tryAcquire(1_000_000)).toBe(true);
    expect(g.usage().ioOps).toBe(1_003_000);
  });

  it('holds 10K ops/s within ±5% over 2 s on the real clock', async () => {
    const rate = 10_000;
    // 100 ms of tokens: timers on a loaded machine fire late, and a bucket that fills up between two
    // wake-ups loses the overflow (burst ≥ rate × timer lateness keeps the long-run rate).
    const burst = rate / 10;
    const g = new ResourceGovernor({ maxIoOpsPerSec: rate, ioBurst: burst });
    g.io.tryAcquire(burst); // start empty, so the count is the refill alone
    const start = performance.now();
    let ops = 0;
    // Four concurrent acquirers, as I/O callers usually are.
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (performance.now() - start < 2000) {
          await g.io.acquire();
          ops++;
        }
      }),
    );
    const elapsed = (performance.now() - start) / 1000;
    const measured = ops / elapsed;
    expect(measured).toBeGreaterThan(rate * 0.95);
    expect(measured).toBeLessThan(rate * 1.05);
    g.close();
  });
});
