import { isSystemError } from '@msys/core/errors';
import { describe, expect, it } from 'vitest';
import { ChaosEngine, type ChaosGovernor, type Fault, type Journal } from '../src/index.js';

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isSystemError(e) ? e.code : `not a SystemError: ${String(e)}`;
  }
  return undefined;
}

function details(fn: () => unknown): Record<string, unknown> {
  try {
    fn();
  } catch (e) {
    if (isSystemError(e)) return e.details as Record<string, unknown>;
  }
  return {};
}

describe('fault spec validation', () => {
  const engine = new ChaosEngine({ seed: 1 });
  it('rejects unknown kinds and bad fields, naming the path', () => {
    expect(code(() => engine.inject({ kind: 'nope' } as unknown as Fault))).toBe('MSYS_CHAOS_INVALID_FAULT');
    expect(details(() => engine.inject({ kind: 'latency', ms: -5 }))).toMatchObject({ path: 'fault.ms' });
    expect(details(() => engine.inject({ kind: 'cpu', cores: 1.5, percent: 50 }))).toMatchObject({
      path: 'fault.cores',
    });
    expect(
      details(() => engine.inject({ kind: 'latency', distribution: 'uniform', minMs: 10, maxMs: 5 })),
    ).toMatchObject({ path: 'fault.maxMs', received: 'number 5' });
    expect(details(() => engine.inject({ kind: 'toxic', toxic: 'bandwidth' }))).toMatchObject({
      path: 'fault.rateKBps',
    });
    expect(details(() => engine.inject({ kind: 'http', status: 500, abort: true }))).toMatchObject({
      path: 'fault.status',
    });
    expect(details(() => engine.inject({ kind: 'fs', error: 'EBUSY' } as unknown as Fault))).toMatchObject({
      path: 'fault.error',
    });
    expect(details(() => engine.inject({ kind: 'corrupt' } as unknown as Fault))).toMatchObject({
      path: 'fault.transform',
    });
  });
  it('rejects bad inject options and engine options', () => {
    expect(details(() => engine.inject({ kind: 'abort' }, { probability: 2 }))).toMatchObject({
      path: 'options.probability',
    });
    expect(details(() => engine.inject({ kind: 'abort' }, { durationMs: -1 }))).toMatchObject({
      path: 'options.durationMs',
    });
    expect(
      details(() => engine.inject({ kind: 'abort' }, { target: { mode: 'fixed', value: 0 } })),
    ).toMatchObject({
      path: 'options.target.value',
    });
    expect(code(() => new ChaosEngine({ blastRadius: { maxCallFraction: 3 } }))).toBe(
      'MSYS_CHAOS_INVALID_OPTION',
    );
    expect(code(() => new ChaosEngine({ seed: Number.NaN }))).toBe('MSYS_CHAOS_INVALID_OPTION');
  });
});

describe('fault handles', () => {
  it('revert() detaches the fault: the wrapped call fails, then succeeds', async () => {
    const engine = new ChaosEngine({ seed: 'h' });
    const ping = engine.wrap(async () => 'pong', { target: 'svc' });
    const handle = engine.inject({ kind: 'error' }, { target: 'svc' });
    expect(handle.status).toBe('active');
    await expect(ping()).rejects.toMatchObject({ code: 'MSYS_CHAOS_INJECTED_ERROR' });
    await handle.revert();
    expect(handle.status).toBe('reverted');
    expect(handle.reason).toBe('reverted');
    expect(handle.fired).toBe(1);
    await expect(ping()).resolves.toBe('pong');
  });

  it('await using reverts at scope end', async () => {
    const engine = new ChaosEngine({ seed: 'd' });
    const ping = engine.wrap(async () => 'pong', { target: 'svc' });
    {
      await using _fault = engine.inject({ kind: 'abort' }, { target: 'svc' });
      await expect(ping()).rejects.toMatchObject({ name: 'AbortError', code: 'MSYS_CHAOS_CALL_ABORTED' });
    }
    expect(engine.activeFaults).toHaveLength(0);
    await expect(ping()).resolves.toBe('pong');
  });

  it('durationMs expires the fault on the engine clock', async () => {
    const engine = new ChaosEngine({ seed: 'e' });
    const ping = engine.wrap(async () => 'pong', { target: 'svc' });
    const handle = engine.inject({ kind: 'error' }, { target: 'svc', durationMs: 30 });
    await expect(ping()).rejects.toBeDefined();
    await handle.reverted;
    expect(handle.reason).toBe('expired');
    await expect(ping()).resolves.toBe('pong');
  });

  it('halt() reverts 1,000 faults; kill() also refuses new ones; the signal is a kill switch', async () => {
    const controller = new AbortController();
    const engine = new ChaosEngine({ seed: 'k', signal: controller.signal });
    const ping = engine.wrap(async () => 'pong', { target: 'svc' });
    for (let i = 0; i < 1000; i++) engine.inject({ kind: 'latency', ms: 1000 }, { target: 'svc' });
    const result = await engine.halt();
    expect(result.reverted).toBe(1000);
    expect(engine.activeFaults).toHaveLength(0);
    await expect(ping()).resolves.toBe('pong');
    engine.inject({ kind: 'error' }, { target: 'svc' });
    controller.abort();
    await new Promise((r) => setImmediate(r));
    expect(engine.killed).toBe('signal');
    await expect(ping()).resolves.toBe('pong');
    expect(code(() => engine.inject({ kind: 'error' }, { target: 'svc' }))).toBe('MSYS_CHAOS_HALTED');
  });
});

/** A client with retries: fails only when all 3 attempts of one request fail. */
async function scenario(engine: ChaosEngine, jitter: () => Promise<void>): Promise<string[]> {
  const fetchUser = engine.wrap(async (id: number) => `user${id}`, { target: 'users' });
  const fetchCart = engine.wrap(async (id: number) => `cart${id}`, { target: 'carts' });
  engine.inject({ kind: 'error' }, { target: 'users', probability: 0.45 });
  engine.inject(
    { kind: 'latency', distribution: 'uniform', minMs: 0, maxMs: 2 },
    { target: 'carts', probability: 0.5 },
  );
  const outcomes: string[] = [];
  const withRetry = async (fn: () => Promise<string>) => {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        return await fn();
      } catch {
        await jitter();
      }
    }
    return 'FAILED';
  };
  // Requests to `users` run one after another while `carts` calls interleave with them at whatever pace
  // the timing gives: the order across the two targets changes from run to run, each target's own does not.
  const users = (async () => {
    for (let i = 0; i < 8; i++) {
      await jitter();
      outcomes[i] = await withRetry(() => fetchUser(i));
    }
  })();
  const carts = (async () => {
    for (let i = 0; i < 8; i++) {
      await jitter();
      outcomes[8 + i] = await fetchCart(i);
    }
  })();
  await Promise.all([users, carts]);
  return outcomes;
}

const noJitter = () => Promise.resolve();
const withoutTime = (j: Journal) => ({ ...j, events: j.events.map(({ atMs: _, ...e }) => e) });

describe('deterministic decisions and replay', () => {
  it('two runs with the same seed make identical decisions; another seed differs', async () => {
    const a = new ChaosEngine({ seed: 7 });
    const b = new ChaosEngine({ seed: 7 });
    const c = new ChaosEngine({ seed: 8 });
    expect(await scenario(a, noJitter)).toEqual(await scenario(b, noJitter));
    await scenario(c, noJitter);
    expect(withoutTime(a.journal())).toEqual(withoutTime(b.journal()));
    expect(a.journal().decisions).not.toEqual(c.journal().decisions);
    expect(a.journal().decisions.length).toBeGreaterThan(0);
  });

  it('a failure found by searching seeds reproduces from its journal under different timing', async () => {
    let found: { journal: Journal; outcomes: string[] } | undefined;
    for (let seed = 0; seed < 200 && found === undefined; seed++) {
      const engine = new ChaosEngine({ seed });
      const outcomes = await scenario(engine, noJitter);
      if (outcomes.includes('FAILED')) {
        found = { journal: JSON.parse(JSON.stringify(engine.journal())) as Journal, outcomes };
      }
    }
    expect(found).toBeDefined();
    if (found === undefined) return;
    // Replay with random real delays between calls: a different interleaving of the two targets.
    const replayed = ChaosEngine.replay(JSON.stringify(found.journal));
    expect(replayed.replaying).toBe(true);
    const jitter = () => new Promise<void>((r) => setTimeout(r, Math.floor(Math.random() * 4)));
    const outcomes = await scenario(replayed, jitter);
    expect(outcomes).toEqual(found.outcomes);
    const key = (j: Journal) =>
      j.decisions.map((d) => `${d.target}#${d.call}:${d.fault}:${d.value ?? ''}`).sort();
    expect(key(replayed.journal())).toEqual(key(found.journal));
    expect(replayed.journal().seed).toBe(found.journal.seed);
  });

  it('a live run is already timing-independent across targets (per-target streams)', async () => {
    const a = new ChaosEngine({ seed: 'x' });
    const b = new ChaosEngine({ seed: 'x' });
    await scenario(a, noJitter);
    await scenario(b, () => new Promise<void>((r) => setTimeout(r, Math.floor(Math.random() * 3))));
    const byTarget = (j: Journal) =>
      j.decisions.filter((d) => d.target === 'carts').map((d) => `${d.call}:${d.value}`);
    expect(byTarget(b.journal())).toEqual(byTarget(a.journal()));
  });

  it('rejects a malformed journal with MSYS_CHAOS_INVALID_JOURNAL', () => {
    expect(code(() => ChaosEngine.replay('{'))).toBe('MSYS_CHAOS_INVALID_JOURNAL');
    expect(code(() => ChaosEngine.replay({ format: 'x' } as unknown as Journal))).toBe(
      'MSYS_CHAOS_INVALID_JOURNAL',
    );
  });

  it('report() renders faults, affected calls and the timeline in Markdown', async () => {
    const engine = new ChaosEngine({ seed: 3 });
    await scenario(engine, noJitter);
    const md = engine.report('Retry drill');
    expect(md).toMatch(/^# Retry drill/);
    expect(md).toContain('| f1 | error | users |');
    expect(md).toMatch(/\| users \| \d+ \| \d+ \| [\d.]+% \|/);
    expect(md).toContain('## Timeline');
  });
});

describe('journal bounds and wrapper options', () => {
  it('journalLimit bounds the kept events and decisions and counts the rest', async () => {
    const engine = new ChaosEngine({ seed: 1, journalLimit: 5 });
    const ping = engine.wrap(async () => 'pong', { target: 'svc' });
    engine.inject({ kind: 'latency', ms: 0 }, { target: 'svc' });
    for (let i = 0; i < 10; i++) await ping();
    const j = engine.journal();
    expect(j.decisions).toHaveLength(5);
    expect(j.dropped).toEqual({ events: 0, decisions: 5 });
    expect(j.calls.svc).toBe(10);
    expect(code(() => new ChaosEngine({ journalLimit: -1 }))).toBe('MSYS_CHAOS_INVALID_OPTION');
  });

  it('wrap() validates its options, naming the path', () => {
    const engine = new ChaosEngine({ seed: 1 });
    expect(details(() => engine.wrap(async () => 1, { target: '' }))).toMatchObject({
      path: 'options.target',
    });
    expect(
      details(() => engine.wrap(async () => 1, { target: 'a', tags: [1] as unknown as string[] })),
    ).toMatchObject({
      path: 'options.tags',
    });
    expect(details(() => engine.wrap(42 as unknown as () => Promise<number>, { target: 'a' }))).toMatchObject(
      {
        path: 'fn',
      },
    );
    expect(details(() => new ChaosEngine({ governor: {} as unknown as ChaosGovernor }))).toMatchObject({
      path: 'options.governor',
    });
  });

  it('a wrapped sync function with no fault returns its value synchronously, with `this` kept', () => {
    const engine = new ChaosEngine({ seed: 1 });
    const counter = {
      n: 41,
      next(this: { n: number }) {
        return ++this.n;
      },
    };
    const next = engine.wrap(counter.next, { target: 'counter' });
    expect(next.call(counter)).toBe(42);
  });
});
