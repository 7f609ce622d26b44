import { isSystemError } from '@msys/core/errors';
import { ResourceGovernor } from '@msys/core/governor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BlastRadius, ChaosEngine, type FaultHandle, type TargetSelector } from '../src/index.js';

const NAMES = ['a', 'b', 'c', 'd', 'e', 'f'];
const TAGS = ['db', 'http', 'cache'];

const selectorArb: fc.Arbitrary<string | TargetSelector | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(...NAMES),
  fc
    .record(
      {
        names: fc.subarray(NAMES, { minLength: 1 }),
        tags: fc.subarray(TAGS, { minLength: 1, maxLength: 1 }),
        mode: fc.constantFrom('all', 'one', 'fixed', 'fixed-percent', 'random-max-percent' as const),
      },
      { requiredKeys: ['mode'] },
    )
    .map((s) => ({
      ...s,
      ...(s.mode === 'fixed' ? { value: 2 } : s.mode.includes('percent') ? { value: 50 } : {}),
    })),
);

const commandArb = fc.oneof(
  {
    arbitrary: fc.record({
      op: fc.constant('wrap' as const),
      name: fc.constantFrom(...NAMES),
      tags: fc.subarray(TAGS),
    }),
    weight: 2,
  },
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('inject' as const),
      target: selectorArb,
      durationMs: fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }),
      probability: fc.constantFrom(0.3, 1),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('revert' as const), index: fc.nat() }) },
  {
    weight: 8,
    arbitrary: fc.record({
      op: fc.constant('call' as const),
      name: fc.constantFrom(...NAMES),
      times: fc.integer({ min: 1, max: 20 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 200 }) }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('halt' as const) }) },
);

const limitsArb: fc.Arbitrary<BlastRadius> = fc.record(
  {
    maxConcurrentFaults: fc.integer({ min: 0, max: 5 }),
    maxCallFraction: fc.integer({ min: 0, max: 100 }).map((p) => p / 100),
    maxTargetFraction: fc.integer({ min: 0, max: 100 }).map((p) => p / 100),
    maxTotalFaultMs: fc.integer({ min: 0, max: 1500 }),
    allowedTargets: fc.record({ names: fc.subarray(NAMES, { minLength: 1 }) }),
  },
  { requiredKeys: [] },
);

/** Fault time actually spent, from the journal: Σ (revert − inject), active faults up to now. */
function faultTimeSpent(engine: ChaosEngine, nowMs: number): number {
  const j = engine.journal();
  let total = 0;
  for (const e of j.events) {
    if (e.type !== 'inject') continue;
    const end = j.events.find((x) => x.type === 'revert' && x.fault === e.fault);
    total += (end ? end.atMs : nowMs) - e.atMs;
  }
  return total;
}

describe('blast radius', () => {
  it('no random schedule of injections, calls, reverts and clock moves ever exceeds a limit', async () => {
    await fc.assert(
      fc.asyncProperty(
        limitsArb,
        fc.array(commandArb, { maxLength: 60 }),
        fc.integer(),
        async (limits, cmds, seed) => {
          const governor = new ResourceGovernor({ deterministic: { seed } });
          const engine = new ChaosEngine({ governor, blastRadius: limits });
          const start = governor.clock.now();
          const fns = new Map<string, () => Promise<unknown>>();
          const handles: FaultHandle[] = [];
          const pending: Promise<unknown>[] = [];
          for (const name of ['a', 'b', 'd']) {
            fns.set(
              name,
              engine.wrap(async () => name, { target: name, tags: name === 'a' ? ['db'] : ['http'] }),
            );
          }
          for (const c of cmds) {
            if (c.op === 'wrap' && !fns.has(c.name)) {
              fns.set(
                c.name,
                engine.wrap(async () => c.name, { target: c.name, tags: c.tags }),
              );
            } else if (c.op === 'inject') {
              try {
                const options = {
                  ...(c.target === undefined ? {} : { target: c.target }),
                  ...(c.durationMs === undefined ? {} : { durationMs: c.durationMs }),
                  probability: c.probability,
                };
                handles.push(engine.inject({ kind: 'latency', ms: 5 }, options));
              } catch (e) {
                if (!isSystemError(e) || e.code !== 'MSYS_CHAOS_BLAST_RADIUS') throw e;
              }
            } else if (c.op === 'revert' && handles.length > 0) {
              await handles[c.index % handles.length]?.revert();
            } else if (c.op === 'call') {
              const fn = fns.get(c.name);
              for (let i = 0; fn && i < c.times; i++) pending.push(fn());
            } else if (c.op === 'advance') {
              await governor.clock.advance(c.ms);
            } else if (c.op === 'halt') {
              await engine.halt();
            }
            const s = engine.stats();
            if (limits.maxConcurrentFaults !== undefined)
              expect(s.activeFaults).toBeLessThanOrEqual(limits.maxConcurrentFaults);
            if (limits.maxTargetFraction !== undefined) {
              expect(s.affectedTargets).toBeLessThanOrEqual(
                Math.floor(limits.maxTargetFraction * s.knownTargets),
              );
            }
            if (limits.maxCallFraction !== undefined) {
              expect(s.affectedCalls).toBeLessThanOrEqual(limits.maxCallFraction * s.calls + 1e-9);
            }
            if (limits.maxTotalFaultMs !== undefined) {
              expect(s.faultMsUsed).toBeLessThanOrEqual(limits.maxTotalFaultMs + 1e-9);
              expect(faultTimeSpent(engine, governor.clock.now() - start)).toBeLessThanOrEqual(
                limits.maxTotalFaultMs,
              );
            }
            if (limits.allowedTargets?.names !== undefined) {
              const allowed = limits.allowedTargets.names;
              expect(engine.journal().decisions.every((d) => allowed.includes(d.target))).toBe(true);
            }
          }
          await engine.close();
          await governor.clock.advance(10_000);
          await Promise.all(pending);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refusals carry MSYS_CHAOS_BLAST_RADIUS and name the limit', () => {
    const engine = new ChaosEngine({ seed: 1, blastRadius: { maxConcurrentFaults: 1 } });
    engine.inject({ kind: 'abort' }, { target: 'a' });
    let refused: unknown;
    try {
      engine.inject({ kind: 'abort' }, { target: 'b' });
    } catch (e) {
      refused = e;
    }
    expect(refused).toMatchObject({
      code: 'MSYS_CHAOS_BLAST_RADIUS',
      details: { limit: 'maxConcurrentFaults' },
    });
    expect(engine.journal().events.some((e) => e.type === 'refused')).toBe(true);
  });

  it('selectors: one / fixed / fixed-percent / tags choose the right number of targets', () => {
    const engine = new ChaosEngine({ seed: 4 });
    for (const n of NAMES) engine.wrap(async () => n, { target: n, tags: n < 'd' ? ['db'] : ['http'] });
    expect(engine.inject({ kind: 'abort' }, { target: { mode: 'one' } }).targets).toHaveLength(1);
    expect(engine.inject({ kind: 'abort' }, { target: { mode: 'fixed', value: 4 } }).targets).toHaveLength(4);
    expect(
      engine.inject({ kind: 'abort' }, { target: { mode: 'fixed-percent', value: 50 } }).targets,
    ).toHaveLength(3);
    expect(engine.inject({ kind: 'abort' }, { target: { tags: ['db'] } }).targets).toEqual(['a', 'b', 'c']);
    const some = engine.inject(
      { kind: 'abort' },
      { target: { tags: ['http'], mode: 'random-max-percent', value: 100 } },
    );
    expect(some.targets.every((t) => ['d', 'e', 'f'].includes(t))).toBe(true);
  });

  it('maxTotalFaultMs gives an open-ended fault the remaining budget, then refuses', async () => {
    const governor = new ResourceGovernor({ deterministic: { seed: 1 } });
    const engine = new ChaosEngine({ governor, blastRadius: { maxTotalFaultMs: 100 } });
    const h = engine.inject({ kind: 'abort' }, { target: 'a', durationMs: 60 });
    const open = engine.inject({ kind: 'abort' }, { target: 'b' });
    expect(() => engine.inject({ kind: 'abort' }, { target: 'c', durationMs: 1 })).toThrow(
      expect.objectContaining({ code: 'MSYS_CHAOS_BLAST_RADIUS' }),
    );
    await governor.clock.advance(100);
    expect(h.reason).toBe('expired');
    expect(open.reason).toBe('expired');
  });
});

describe('targets by kind', () => {
  it('a fault for "every target of its kind" skips other kinds and names not yet registered', async () => {
    const engine = new ChaosEngine({ seed: 1 });
    engine.inject({ kind: 'abort' }, { target: 'later' }); // names a call target before it exists
    const toxic = engine.inject({ kind: 'toxic', toxic: 'latency', latencyMs: 10 });
    const http = engine.inject({ kind: 'http', status: 500 });
    expect(toxic.targets).toEqual([]);
    expect(http.targets).toEqual([]);
    const later = engine.wrap(async () => 'ok', { target: 'later' });
    await expect(later()).rejects.toMatchObject({ code: 'MSYS_CHAOS_CALL_ABORTED' });
    expect(toxic.targets).toEqual([]);
    const dispatcher = engine.fetchDispatcher([], { name: 'api' });
    expect(http.targets).toEqual(['api']);
    await dispatcher.close();
    await engine.close();
  });
});
