import { context, metrics, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  type MetricData,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChaosEngine, type Experiment, runExperiment } from '../src/index.js';

let spanExporter: InMemorySpanExporter;
let tracerProvider: BasicTracerProvider;
let metricExporter: InMemoryMetricExporter;
let reader: PeriodicExportingMetricReader;
let meterProvider: MeterProvider;

// The engine creates its instruments when it is constructed: the SDK is installed before each engine.
beforeEach(() => {
  spanExporter = new InMemorySpanExporter();
  tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] });
  trace.setGlobalTracerProvider(tracerProvider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // A long interval: the test exports on demand with forceFlush.
  reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
  meterProvider = new MeterProvider({ readers: [reader] });
  metrics.setGlobalMeterProvider(meterProvider);
});

afterEach(async () => {
  trace.disable();
  context.disable();
  metrics.disable();
  await tracerProvider.shutdown();
  await meterProvider.shutdown();
});

async function chaosMetrics(): Promise<MetricData[]> {
  await reader.forceFlush();
  const scopes = metricExporter.getMetrics().at(-1)?.scopeMetrics ?? [];
  const ours = scopes.filter((s) => s.scope.name === '@msys/chaos');
  expect(ours).toHaveLength(1);
  return ours[0]?.metrics ?? [];
}

/** The counter's sums by attribute set, keyed `attr=value,…` (sorted) for readable assertions. */
function sums(data: MetricData[], name: string): Record<string, number> {
  const metric = data.find((m) => m.descriptor.name === name);
  expect(metric?.dataPointType, name).toBe(DataPointType.SUM);
  const out: Record<string, number> = {};
  for (const p of metric?.dataPoints ?? []) {
    const key = Object.entries(p.attributes)
      .map(([k, v]) => `${k}=${String(v)}`)
      .sort()
      .join(',');
    out[key] = p.value as number;
  }
  return out;
}

function experimentSpans(): ReadableSpan[] {
  return spanExporter.getFinishedSpans().filter((s) => s.name === 'chaos.experiment');
}

describe('fault metrics', () => {
  it('count injections, firings, refusals and reverts by kind and reason', async () => {
    const engine = new ChaosEngine({ seed: 1, blastRadius: { maxConcurrentFaults: 2 } });
    const pay = engine.wrap(async () => 'paid', { target: 'payments' });
    const slow = engine.wrap(async () => 'ok', { target: 'search' });

    const failing = engine.inject({ kind: 'error' }, { target: 'payments' });
    for (let i = 0; i < 3; i++)
      await expect(pay()).rejects.toMatchObject({ code: 'MSYS_CHAOS_INJECTED_ERROR' });
    const delayed = engine.inject({ kind: 'latency', ms: 1 }, { target: 'search' });
    await slow();
    // A third concurrent fault breaks the blast radius: refused, counted, never injected.
    expect(() => engine.inject({ kind: 'abort' }, { target: 'payments' })).toThrow(
      expect.objectContaining({ code: 'MSYS_CHAOS_BLAST_RADIUS' }),
    );
    await failing.revert();
    await engine.halt(); // reverts `delayed`
    expect(delayed.status).toBe('reverted');

    const data = await chaosMetrics();
    const kind = 'msys.chaos.fault.kind';
    expect(sums(data, 'msys.chaos.faults.injected')).toEqual({
      [`${kind}=error`]: 1,
      [`${kind}=latency`]: 1,
    });
    expect(sums(data, 'msys.chaos.decisions.fired')).toEqual({
      [`${kind}=error`]: 3,
      [`${kind}=latency`]: 1,
    });
    expect(sums(data, 'msys.chaos.faults.refused')).toEqual({ [`${kind}=abort`]: 1 });
    expect(sums(data, 'msys.chaos.faults.reverted')).toEqual({
      [`${kind}=error,msys.chaos.revert.reason=reverted`]: 1,
      [`${kind}=latency,msys.chaos.revert.reason=halted`]: 1,
    });
    const injected = data.find((m) => m.descriptor.name === 'msys.chaos.faults.injected');
    expect(injected?.descriptor.unit).toBe('{fault}');
    expect(data.find((m) => m.descriptor.name === 'msys.chaos.decisions.fired')?.descriptor.unit).toBe(
      '{decision}',
    );
    // Injecting and reverting opens no span: a span per fault would cost more than the fault itself.
    expect(spanExporter.getFinishedSpans()).toHaveLength(0);
    await engine.close();
  });

  it('count a fault that expires with reason "expired"', async () => {
    const engine = new ChaosEngine({ seed: 1 });
    const h = engine.inject({ kind: 'latency', ms: 1 }, { target: 'svc', durationMs: 5 });
    await h.reverted;
    expect(sums(await chaosMetrics(), 'msys.chaos.faults.reverted')).toEqual({
      'msys.chaos.fault.kind=latency,msys.chaos.revert.reason=expired': 1,
    });
    await engine.close();
  });
});

describe('experiment span', () => {
  const experiment: Experiment = {
    title: 'checkout tolerates payment errors',
    steadyState: { probes: [{ name: 'pays', type: 'function', fn: 'pay', tolerance: 'paid' }] },
    method: [
      {
        type: 'fault',
        name: 'payments fail',
        fault: { kind: 'error' },
        target: 'payments',
        durationMs: 100,
        background: true,
      },
      { type: 'pause', ms: 10 },
      { type: 'action', name: 'try to pay', fn: 'tryPay' },
    ],
  };

  it('records title, verdict and OK status; the faults it injects are counted', async () => {
    const engine = new ChaosEngine({ seed: 1 });
    const pay = engine.wrap(async () => 'paid', { target: 'payments' });
    const parent = trace.getTracer('test').startSpan('suite');
    const result = await context.with(trace.setSpan(context.active(), parent), () =>
      runExperiment(engine, experiment, {
        handleProcessSignals: false,
        functions: {
          pay: () => pay(),
          tryPay: () => pay().catch(() => 'refused'),
        },
      }),
    );
    parent.end();
    expect(result.verdict).toBe('completed');

    const [span, ...more] = experimentSpans();
    expect(more).toHaveLength(0);
    expect(span?.instrumentationScope.name).toBe('@msys/chaos');
    expect(span?.attributes).toEqual({
      'msys.operation': 'chaos.experiment',
      'msys.chaos.experiment.title': 'checkout tolerates payment errors',
      'msys.chaos.experiment.verdict': 'completed',
    });
    expect(span?.status.code).toBe(SpanStatusCode.OK);
    // The experiment's span joins the caller's trace.
    expect(span?.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(span?.spanContext().traceId).toBe(parent.spanContext().traceId);

    const data = await chaosMetrics();
    expect(sums(data, 'msys.chaos.faults.injected')).toEqual({ 'msys.chaos.fault.kind=error': 1 });
    expect(sums(data, 'msys.chaos.decisions.fired')).toEqual({ 'msys.chaos.fault.kind=error': 1 });
    expect(Object.values(sums(data, 'msys.chaos.faults.reverted'))).toEqual([1]);
    await engine.close();
  });

  it('records a run that reaches a "failed" verdict as OK with the verdict attribute', async () => {
    const engine = new ChaosEngine({ seed: 1 });
    const result = await runExperiment(
      engine,
      { title: 'an action throws', method: [{ type: 'action', name: 'boom', fn: 'boom' }] },
      {
        handleProcessSignals: false,
        functions: {
          boom: () => {
            throw new Error('boom');
          },
        },
      },
    );
    expect(result.verdict).toBe('failed');
    const [span] = experimentSpans();
    // The run itself succeeded: its outcome is the verdict, not the span status.
    expect(span?.status.code).toBe(SpanStatusCode.OK);
    expect(span?.attributes['msys.chaos.experiment.verdict']).toBe('failed');
    await engine.close();
  });

  it('records an invalid experiment as ERROR with the error code, category and exception', async () => {
    const engine = new ChaosEngine({ seed: 1 });
    const bad = { title: 'no method' } as unknown as Experiment;
    await expect(runExperiment(engine, bad)).rejects.toMatchObject({ code: 'MSYS_CHAOS_INVALID_EXPERIMENT' });
    const [span] = experimentSpans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes).toMatchObject({
      'msys.operation': 'chaos.experiment',
      'msys.chaos.experiment.title': 'no method',
      'msys.error.code': 'MSYS_CHAOS_INVALID_EXPERIMENT',
      'msys.error.category': 'validation',
    });
    expect(span?.attributes['msys.chaos.experiment.verdict']).toBeUndefined();
    expect(span?.events.map((e) => e.name)).toEqual(['exception']);
    await engine.close();
  });
});
