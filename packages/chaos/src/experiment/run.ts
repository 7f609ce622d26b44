/**
 * Runs an experiment: steady state → method (under abort conditions) → steady state → rollbacks.
 * Whatever ends the method — a failing action, `engine.halt()`, the caller's signal, SIGINT/SIGTERM,
 * an abort condition — the experiment's faults are reverted, its proxies closed and its rollbacks run.
 *
 * @module
 */
import { ATTR, getTracer, withSpan } from '@msys/core/telemetry';
import type { FaultHandle } from '../active-fault.js';
import type { ChaosEngine } from '../engine.js';
import type { Journal } from '../journal.js';
import type { ChaosProxy } from '../network/proxy.js';
import { type FunctionRegistry, type ProbeResult, resolveFn, runProbe } from './probes.js';
import { type Activity, type Experiment, type Probe, validateExperiment } from './schema.js';

/** Options of {@link runExperiment}. */
export interface RunOptions {
  /** Functions that probes and actions name in `fn`. */
  readonly functions?: FunctionRegistry;
  /** Aborts the method; rollbacks still run. */
  readonly signal?: AbortSignal;
  /** Run rollbacks on SIGINT/SIGTERM, then let the signal end the process (default true). */
  readonly handleProcessSignals?: boolean;
}

/** How an experiment ended (Chaos Toolkit's vocabulary). */
export type Verdict = 'completed' | 'deviated' | 'aborted' | 'failed';

/** The outcome of one activity. */
export interface ActivityResult {
  /** The activity's type. */
  readonly type: Activity['type'];
  /** Its name, when it has one. */
  readonly name: string;
  /** `succeeded`, `failed`, `aborted` (stopped by an abort) or `skipped` (not started after one). */
  readonly status: 'succeeded' | 'failed' | 'aborted' | 'skipped';
  /** The error message, when it failed. */
  readonly error?: string;
}

/** What {@link runExperiment} returns. */
export interface ExperimentResult {
  /** The experiment's title. */
  readonly title: string;
  /** How it ended. */
  readonly verdict: Verdict;
  /** Why it was aborted or failed. */
  readonly reason?: string;
  /** The steady-state probes before the method. */
  readonly before: readonly ProbeResult[];
  /** The steady-state probes after the method (empty when it did not get there). */
  readonly after: readonly ProbeResult[];
  /** The method's activities. */
  readonly method: readonly ActivityResult[];
  /** The rollbacks. */
  readonly rollbacks: readonly ActivityResult[];
  /** The engine's journal at the end. */
  readonly journal: Journal;
  /** The Markdown report. */
  readonly report: string;
}

class Aborted extends Error {}

function nameOf(a: Activity): string {
  if (a.type === 'pause') return `pause ${a.ms} ms`;
  if (a.type === 'probe') return a.probe.name;
  if (a.type === 'parallel') return `parallel(${a.activities.length})`;
  if (a.type === 'fault') return a.name ?? a.fault.kind;
  return a.name;
}

/**
 * Runs an experiment against an engine.
 *
 * @param engine - the engine that injects the faults and keeps the journal
 * @param experiment - the experiment (validated first)
 * @param options - named functions, an abort signal, process-signal handling
 * @returns the verdict, probe results, activity results, journal and Markdown report
 * @throws SystemError `MSYS_CHAOS_INVALID_EXPERIMENT` (and fault/option codes) for an invalid experiment
 * @example
 * ```ts
 * const result = await runExperiment(engine, {
 *   title: 'checkout survives a slow payments API',
 *   steadyState: { probes: [{ name: 'health', type: 'http', url: `${base}/health`, tolerance: 200 }] },
 *   method: [{ type: 'fault', fault: { kind: 'latency', ms: 800 }, target: 'payments', durationMs: 5000 }],
 *   rollbacks: [{ type: 'action', name: 'flush', fn: 'flushQueues' }],
 * }, { functions: { flushQueues } });
 * console.log(result.verdict, result.report);
 * ```
 */
export function runExperiment(
  engine: ChaosEngine,
  experiment: Experiment,
  options: RunOptions = {},
): Promise<ExperimentResult> {
  const title = typeof (experiment as { title?: unknown })?.title === 'string' ? experiment.title : '';
  return withSpan(
    getTracer('chaos'),
    'chaos.experiment',
    { [ATTR.operation]: 'chaos.experiment', 'msys.chaos.experiment.title': title },
    async (span) => {
      const result = await run(engine, experiment, options);
      span.setAttribute('msys.chaos.experiment.verdict', result.verdict);
      return result;
    },
  );
}

async function run(
  engine: ChaosEngine,
  experiment: Experiment,
  options: RunOptions = {},
): Promise<ExperimentResult> {
  const exp = validateExperiment(experiment);
  const functions = options.functions ?? {};
  const faults: FaultHandle[] = [];
  const proxies: ChaosProxy[] = [];
  const controller = new AbortController();
  let reason: string | undefined;
  const abort = (why: string) => {
    if (controller.signal.aborted) return;
    reason = why;
    controller.abort(new Aborted(why));
  };
  const onHalt = () => abort('engine halted');
  const onSignal = () => abort('signal aborted');
  const processSignals: NodeJS.Signals[] =
    options.handleProcessSignals === false ? [] : ['SIGINT', 'SIGTERM'];
  let received: NodeJS.Signals | undefined;
  const onProcessSignal = (sig: NodeJS.Signals) => {
    received = sig;
    abort(`received ${sig}`);
  };
  engine.on('halt', onHalt);
  if (options.signal?.aborted) onSignal();
  options.signal?.addEventListener('abort', onSignal, { once: true });
  for (const sig of processSignals) process.on(sig, onProcessSignal);
  engine.record({ type: 'experiment', detail: { title: exp.title, phase: 'start' } });

  const methodResults: ActivityResult[] = [];
  const rollbackResults: ActivityResult[] = [];
  let before: ProbeResult[] = [];
  let after: ProbeResult[] = [];
  let verdict: Verdict = 'completed';
  let abortTimer: NodeJS.Timeout | undefined;

  const probeAll = async (probes: readonly Probe[], phase: string, signal: AbortSignal) => {
    const results: ProbeResult[] = [];
    for (const p of probes) {
      const r = await runProbe(p, functions, signal);
      engine.record({
        type: 'probe',
        detail: { phase, name: r.name, value: r.value, ok: r.ok, error: r.error },
      });
      results.push(r);
    }
    return results;
  };

  const sleep = (ms: number, signal: AbortSignal) => engine.clock.sleep(ms, signal);

  const runActivity = async (a: Activity, signal: AbortSignal, out: ActivityResult[], phase: string) => {
    const name = nameOf(a);
    if (signal.aborted) {
      out.push({ type: a.type, name, status: 'skipped' });
      return;
    }
    try {
      const pauses = 'pauses' in a ? a.pauses : undefined;
      if (pauses?.beforeMs) await sleep(pauses.beforeMs, signal);
      switch (a.type) {
        case 'pause':
          await sleep(a.ms, signal);
          break;
        case 'probe': {
          const [r] = await probeAll([a.probe], phase, signal);
          if (r?.error !== undefined) throw new Error(r.error);
          break;
        }
        case 'action':
          await resolveFn(a.fn, functions, `${name}.fn`)({ signal, args: a.args });
          break;
        case 'fault': {
          const handle = engine.inject(a.fault, {
            ...(a.target === undefined ? {} : { target: a.target }),
            ...(a.probability === undefined ? {} : { probability: a.probability }),
            ...(a.durationMs === undefined ? {} : { durationMs: a.durationMs }),
          });
          faults.push(handle);
          // A fault with a duration lasts that long; `background` only lets the next activities start.
          if (a.durationMs !== undefined) {
            await Promise.race([handle.reverted, aborted(signal)]);
            if (handle.reason === 'halted' || handle.reason === 'killed') throw new Aborted('engine halted');
          }
          break;
        }
        case 'proxy':
          proxies.push(
            await engine.proxy({
              name: a.name,
              upstream: a.upstream,
              ...(a.listen === undefined ? {} : { listen: a.listen }),
            }),
          );
          break;
        case 'parallel': {
          const results: ActivityResult[] = [];
          await Promise.all(a.activities.map((x) => runActivity(x, signal, results, phase)));
          out.push(...results);
          if (results.some((r) => r.status === 'failed')) throw new Error('a parallel activity failed');
          break;
        }
      }
      if (pauses?.afterMs) await sleep(pauses.afterMs, signal);
      engine.record({
        type: phase === 'rollback' ? 'rollback' : 'action',
        detail: { name, status: 'succeeded' },
      });
      out.push({ type: a.type, name, status: 'succeeded' });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const status = error instanceof Aborted || signal.aborted ? 'aborted' : 'failed';
      engine.record({
        type: phase === 'rollback' ? 'rollback' : 'action',
        detail: { name, status, error: message },
      });
      out.push({ type: a.type, name, status, error: message });
      throw error;
    }
  };

  try {
    before = await probeAll(exp.steadyState?.probes ?? [], 'before', controller.signal);
    if (before.some((r) => !r.ok)) {
      verdict = 'failed';
      reason = 'the steady state did not hold before the method';
    } else {
      if (exp.abortWhen !== undefined && exp.abortWhen.length > 0) {
        const check = async () => {
          const results = await probeAll(exp.abortWhen ?? [], 'abort-check', controller.signal);
          const broken = results.find((r) => !r.ok);
          if (broken) abort(`abort condition: probe ${broken.name} out of tolerance`);
          else if (!controller.signal.aborted)
            abortTimer = setTimeout(check, exp.abortCheckIntervalMs ?? 500);
        };
        abortTimer = setTimeout(check, 0);
      }
      const background: Promise<void>[] = [];
      for (const [i, a] of exp.method.entries()) {
        if ('background' in a && a.background) {
          background.push(runActivity(a, controller.signal, methodResults, 'method').catch(() => {}));
          continue;
        }
        try {
          await runActivity(a, controller.signal, methodResults, 'method');
        } catch (error) {
          for (const rest of exp.method.slice(i + 1)) {
            methodResults.push({ type: rest.type, name: nameOf(rest), status: 'skipped' });
          }
          throw error;
        }
      }
      await Promise.all(background);
      if (methodResults.some((r) => r.status === 'failed')) throw new Error('a background activity failed');
      if (controller.signal.aborted) throw controller.signal.reason;
      clearTimeout(abortTimer);
      after = await probeAll(exp.steadyState?.probes ?? [], 'after', controller.signal);
      if (controller.signal.aborted) throw controller.signal.reason;
      if (after.some((r) => !r.ok)) {
        verdict = 'deviated';
        reason = 'the steady state did not hold after the method';
      }
    }
  } catch (error) {
    if (controller.signal.aborted || error instanceof Aborted) {
      verdict = 'aborted';
      reason ??= (error as Error).message;
    } else {
      verdict = 'failed';
      reason = error instanceof Error ? error.message : String(error);
    }
    abort(reason ?? 'failed');
  } finally {
    clearTimeout(abortTimer);
    engine.off('halt', onHalt);
    options.signal?.removeEventListener('abort', onSignal);
    // Undo what the experiment did, then its declared rollbacks — always, whatever happened above.
    await Promise.allSettled(faults.map((f) => f.revert()));
    await Promise.allSettled(proxies.map((p) => p.close()));
    const rollbackSignal = new AbortController().signal;
    for (const a of exp.rollbacks ?? []) {
      await runActivity(a, rollbackSignal, rollbackResults, 'rollback').catch(() => {});
    }
    await Promise.allSettled(faults.map((f) => f.revert()));
    await Promise.allSettled(proxies.map((p) => p.close()));
    for (const sig of processSignals) process.off(sig, onProcessSignal);
    engine.record({ type: 'experiment', detail: { title: exp.title, phase: 'end', verdict, reason } });
  }
  if (received !== undefined) {
    // The rollbacks ran; now let the signal do what it would have done without us.
    if (process.listenerCount(received) === 0) process.kill(process.pid, received);
  }
  const journal = engine.journal();
  const result: ExperimentResult = {
    title: exp.title,
    verdict,
    ...(reason === undefined ? {} : { reason }),
    before,
    after,
    method: methodResults,
    rollbacks: rollbackResults,
    journal,
    report: engine.report(exp.title),
  };
  return result;
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
