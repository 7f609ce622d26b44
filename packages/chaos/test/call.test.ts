import { SystemError } from '@msys/core/errors';
import { ResourceGovernor } from '@msys/core/governor';
import { describe, expect, it } from 'vitest';
import { ChaosEngine } from '../src/index.js';

function virtualEngine(seed = 1) {
  const governor = new ResourceGovernor({ deterministic: { seed } });
  return { governor, engine: new ChaosEngine({ governor }) };
}

/** Resolves with whether the promise settled, after letting pending microtasks run. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  p.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await new Promise((r) => setImmediate(r));
  return done;
}

describe('latency', () => {
  it('fixed: the call settles only when the governor clock reaches the delay', async () => {
    const { governor, engine } = virtualEngine();
    const get = engine.wrap(async (k: string) => `v:${k}`, { target: 'kv' });
    engine.inject({ kind: 'latency', ms: 50 }, { target: 'kv' });
    const p = get('a');
    await governor.clock.advance(49);
    expect(await settled(p)).toBe(false);
    await governor.clock.advance(1);
    expect(await settled(p)).toBe(true);
    await expect(p).resolves.toBe('v:a');
  });

  it('fixed on the real clock: the call takes at least the delay', async () => {
    const engine = new ChaosEngine({ seed: 1 });
    const get = engine.wrap(async () => 'ok', { target: 'kv' });
    engine.inject({ kind: 'latency', ms: 40 }, { target: 'kv' });
    const t0 = performance.now();
    await get();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(39);
  });

  it('uniform: each call waits its drawn delay, and draws cover [min, max]', async () => {
    const { governor, engine } = virtualEngine(2);
    const get = engine.wrap(async () => 'ok', { target: 'kv' });
    engine.inject({ kind: 'latency', distribution: 'uniform', minMs: 10, maxMs: 30 }, { target: 'kv' });
    const calls = Array.from({ length: 200 }, () => get());
    const values = engine.journal().decisions.map((d) => d.value ?? -1);
    expect(values).toHaveLength(200);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...values)).toBeLessThanOrEqual(30);
    expect(Math.max(...values) - Math.min(...values)).toBeGreaterThan(15);
    const first = values[0] ?? 0;
    await governor.clock.advance(Math.max(0, Math.floor(first) - 1));
    expect(await settled(calls[0] as Promise<unknown>)).toBe(false);
    await governor.clock.advance(31);
    await Promise.all(calls);
  });

  it('normal: draws have the configured mean and jitter (sd) within a band', async () => {
    const { governor, engine } = virtualEngine(3);
    const get = engine.wrap(async () => 'ok', { target: 'kv' });
    engine.inject({ kind: 'latency', distribution: 'normal', ms: 100, jitterMs: 20 }, { target: 'kv' });
    const calls = Array.from({ length: 2000 }, () => get());
    const values = engine.journal().decisions.map((d) => d.value ?? 0);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    expect(mean).toBeGreaterThan(97);
    expect(mean).toBeLessThan(103);
    expect(sd).toBeGreaterThan(18);
    expect(sd).toBeLessThan(22);
    await governor.clock.advance(1000);
    await Promise.all(calls);
  });

  it('with a deterministic governor two runs produce identical journals, timestamps included', async () => {
    const run = async () => {
      const { governor, engine } = virtualEngine(9);
      const get = engine.wrap(async () => 'ok', { target: 'kv' });
      engine.inject(
        { kind: 'latency', distribution: 'uniform', minMs: 1, maxMs: 5 },
        { target: 'kv', probability: 0.5 },
      );
      const calls = Array.from({ length: 50 }, () => get());
      await governor.clock.advance(10);
      await Promise.all(calls);
      engine.inject({ kind: 'error' }, { target: 'kv', durationMs: 20 });
      await governor.clock.advance(25);
      return JSON.stringify(engine.journal());
    };
    const a = await run();
    expect(await run()).toBe(a);
    expect(a).toContain('"reason":"expired"');
  });
});

describe('error, timeout, abort, corrupt', () => {
  it('error: throws the given error, or a SystemError', async () => {
    const engine = new ChaosEngine({ seed: 1 });
    const get = engine.wrap(async () => 'ok', { target: 'a' });
    const mine = new RangeError('disk on fire');
    const h = engine.inject({ kind: 'error', error: mine }, { target: 'a' });
    await expect(get()).rejects.toBe(mine);
    await h.revert();
    engine.inject(
      { kind: 'error', error: { code: 'MSYS_DB_UNAVAILABLE', message: 'db down' } },
      { target: 'a' },
    );
    const err = await get().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SystemError);
    expect(err).toMatchObject({ code: 'MSYS_DB_UNAVAILABLE', message: 'db down' });
  });

  it('timeout: the call never settles until the caller aborts; the real function is not called', async () => {
    const engine = new ChaosEngine({ seed: 1 });
    let ran = 0;
    const get = engine.wrap(
      async (_k: string, _opts: { signal?: AbortSignal }) => {
        ran++;
        return 'ok';
      },
      { target: 'a' },
    );
    engine.inject({ kind: 'timeout' }, { target: 'a' });
    const controller = new AbortController();
    const p = get('k', { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 30));
    expect(await settled(p)).toBe(false);
    controller.abort(new Error('caller gave up'));
    await expect(p).rejects.toThrow('caller gave up');
    expect(ran).toBe(0);
  });

  it('timeout: reverting the fault releases hung calls to the real function', async () => {
    const engine = new ChaosEngine({ seed: 1 });
    const get = engine.wrap(async () => 'ok', { target: 'a' });
    const h = engine.inject({ kind: 'timeout' }, { target: 'a' });
    const p = get();
    expect(await settled(p)).toBe(false);
    await h.revert();
    await expect(p).resolves.toBe('ok');
  });

  it('abort: rejects with an AbortError at once', async () => {
    const engine = new ChaosEngine({ seed: 1 });
    const get = engine.wrap(async () => 'ok', { target: 'a' });
    engine.inject({ kind: 'abort' }, { target: 'a' });
    await expect(get()).rejects.toMatchObject({ name: 'AbortError', code: 'MSYS_CHAOS_CALL_ABORTED' });
  });

  it('corrupt: the caller sees the transformed result of the real call', async () => {
    const engine = new ChaosEngine({ seed: 1 });
    const get = engine.wrap(async (id: number) => ({ id, balance: 100 }), { target: 'acct' });
    engine.inject(
      { kind: 'corrupt', transform: (r) => ({ ...(r as object), balance: -1 }) },
      { target: 'acct' },
    );
    await expect(get(7)).resolves.toEqual({ id: 7, balance: -1 });
  });

  it('probability: about that share of calls is affected, and faults stay on their target', async () => {
    const engine = new ChaosEngine({ seed: 'p' });
    const a = engine.wrap(async () => 'a', { target: 'a' });
    const b = engine.wrap(async () => 'b', { target: 'b' });
    engine.inject({ kind: 'error' }, { target: 'a', probability: 0.25 });
    const results = await Promise.allSettled(Array.from({ length: 2000 }, () => a()));
    const failed = results.filter((r) => r.status === 'rejected').length;
    expect(failed).toBeGreaterThan(400);
    expect(failed).toBeLessThan(600);
    const other = await Promise.allSettled(Array.from({ length: 200 }, () => b()));
    expect(other.every((r) => r.status === 'fulfilled')).toBe(true);
  });

  it('a fault injected without a target reaches every wrapped function, also ones wrapped later', async () => {
    const engine = new ChaosEngine({ seed: 1 });
    const a = engine.wrap(async () => 'a', { target: 'a' });
    engine.inject({ kind: 'abort' });
    const b = engine.wrap(async () => 'b', { target: 'b' });
    await expect(a()).rejects.toMatchObject({ code: 'MSYS_CHAOS_CALL_ABORTED' });
    await expect(b()).rejects.toMatchObject({ code: 'MSYS_CHAOS_CALL_ABORTED' });
  });
});
