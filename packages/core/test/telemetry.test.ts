import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Attributes,
  context,
  type DiagLogger,
  DiagLogLevel,
  diag,
  metrics,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
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
import { SystemError } from '../src/errors/index.js';
import {
  ATTR,
  counter,
  extractTraceContext,
  getMeter,
  getTracer,
  histogram,
  injectTraceContext,
  withSpan,
} from '../src/telemetry/index.js';

const INVALID = 'MSYS_TELEMETRY_INVALID_ARGUMENT';

function codeOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return (e as { code?: unknown }).code;
  }
  return 'no error';
}

let exporter: InMemorySpanExporter;
let provider: BasicTracerProvider;
let diagnostics: string[];

beforeEach(() => {
  exporter = new InMemorySpanExporter();
  provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  diagnostics = [];
  const record = (m: string) => diagnostics.push(m);
  const logger: DiagLogger = {
    error: record,
    warn: record,
    info: () => {},
    debug: () => {},
    verbose: () => {},
  };
  diag.setLogger(logger, DiagLogLevel.WARN);
});

afterEach(async () => {
  trace.disable();
  context.disable();
  propagation.disable();
  diag.disable();
  await provider.shutdown();
});

function spans(): ReadableSpan[] {
  return exporter.getFinishedSpans();
}

function only(name: string): ReadableSpan {
  const found = spans().filter((s) => s.name === name);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('getTracer / getMeter', () => {
  it('names the instrumentation scope @msys/<pkg>, with the version when given', () => {
    withSpan(getTracer('ledger', '1.2.3'), 'a', {}, () => 1);
    withSpan(getTracer('@msys/chaos'), 'b', {}, () => 2);
    expect(only('a').instrumentationScope).toMatchObject({ name: '@msys/ledger', version: '1.2.3' });
    expect(only('b').instrumentationScope.name).toBe('@msys/chaos');
    expect(only('b').instrumentationScope.version).toBeUndefined();
  });

  it('rejects what is not a package name', () => {
    for (const bad of ['', 'Ledger', '@other/x', 'a b', 42]) {
      expect(codeOf(() => getTracer(bad as string))).toBe(INVALID);
      expect(codeOf(() => getMeter(bad as string))).toBe(INVALID);
    }
    expect(codeOf(() => getTracer('ledger', ''))).toBe(INVALID);
  });
});

describe('withSpan (sync)', () => {
  it('returns the result and records name, attributes and OK status', () => {
    const attrs: Attributes = { [ATTR.operation]: 'ledger.append', [ATTR.target]: 'k1' };
    const out = withSpan(getTracer('ledger'), 'ledger.append', attrs, (span) => {
      span.setAttribute(ATTR.bytes, 42);
      return 'done';
    });
    expect(out).toBe('done');
    const s = only('ledger.append');
    expect(s.attributes).toEqual({
      'msys.operation': 'ledger.append',
      'msys.target': 'k1',
      'msys.bytes': 42,
    });
    expect(s.status).toEqual({ code: SpanStatusCode.OK });
    expect(s.events).toEqual([]);
    expect(s.ended).toBe(true);
  });

  it('keeps a status that fn set itself instead of overwriting it with OK', async () => {
    withSpan(getTracer('chaos'), 'chaos.experiment', {}, (span) => {
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'verdict: failed' });
      return 'failed';
    });
    expect(only('chaos.experiment').status).toEqual({
      code: SpanStatusCode.ERROR,
      message: 'verdict: failed',
    });
    await withSpan(getTracer('chaos'), 'chaos.async', {}, async (span) => {
      await Promise.resolve();
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'late' });
    });
    expect(only('chaos.async').status).toEqual({ code: SpanStatusCode.ERROR, message: 'late' });
  });

  it('records a thrown SystemError: exception event, ERROR status, msys.error.code, rethrown unchanged', () => {
    const error = new SystemError('peer p9 is unknown', {
      code: 'MSYS_LEDGER_UNKNOWN_PEER',
      category: 'validation',
    });
    let caught: unknown;
    try {
      withSpan(getTracer('ledger'), 'ledger.send', {}, () => {
        throw error;
      });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBe(error);
    const s = only('ledger.send');
    expect(s.status).toEqual({ code: SpanStatusCode.ERROR, message: 'peer p9 is unknown' });
    expect(s.attributes[ATTR.errorCode]).toBe('MSYS_LEDGER_UNKNOWN_PEER');
    expect(s.attributes[ATTR.errorCategory]).toBe('validation');
    expect(s.events).toHaveLength(1);
    expect(s.events[0]!.name).toBe('exception');
    expect(s.events[0]!.attributes).toMatchObject({
      'exception.type': 'MSYS_LEDGER_UNKNOWN_PEER',
      'exception.message': 'peer p9 is unknown',
    });
    expect(String(s.events[0]!.attributes?.['exception.stacktrace'])).toContain('peer p9 is unknown');
  });

  it('records a plain Error without msys.error.* and a thrown non-Error value', () => {
    expect(() =>
      withSpan(getTracer('core'), 'plain', {}, () => {
        throw new RangeError('too big');
      }),
    ).toThrow(RangeError);
    expect(() =>
      withSpan(getTracer('core'), 'string', {}, () => {
        throw 'boom';
      }),
    ).toThrow('boom');
    const plain = only('plain');
    expect(plain.status).toEqual({ code: SpanStatusCode.ERROR, message: 'too big' });
    expect(plain.attributes[ATTR.errorCode]).toBeUndefined();
    expect(plain.events[0]!.attributes).toMatchObject({ 'exception.type': 'RangeError' });
    const str = only('string');
    expect(str.status).toEqual({ code: SpanStatusCode.ERROR, message: 'boom' });
    expect(str.events[0]!.attributes).toMatchObject({ 'exception.message': 'boom' });
  });

  it('ends the span exactly once, also when fn ends it itself', () => {
    let ends = 0;
    const tracer = getTracer('core');
    withSpan(tracer, 'self-ended', {}, (span: Span) => {
      const end = span.end.bind(span);
      span.end = (t) => {
        ends += 1;
        end(t);
      };
      span.end();
    });
    withSpan(tracer, 'counted', {}, (span: Span) => {
      const end = span.end.bind(span);
      span.end = (t) => {
        ends += 1;
        end(t);
      };
    });
    expect(ends).toBe(2);
    expect(spans().map((s) => s.name)).toEqual(['self-ended', 'counted']);
    expect(diagnostics).toEqual([]);
  });

  it('validates its arguments before starting a span', () => {
    const tracer = getTracer('core');
    expect(codeOf(() => withSpan({} as never, 'x', {}, () => 1))).toBe(INVALID);
    expect(codeOf(() => withSpan(tracer, '', {}, () => 1))).toBe(INVALID);
    expect(codeOf(() => withSpan(tracer, 'x', null as never, () => 1))).toBe(INVALID);
    expect(codeOf(() => withSpan(tracer, 'x', {}, 'fn' as never))).toBe(INVALID);
    expect(spans()).toEqual([]);
  });
});

describe('withSpan (async)', () => {
  it('ends the span when the promise settles, not when fn returns', async () => {
    let release: (v: number) => void = () => {};
    const pending = withSpan(getTracer('core'), 'wait', {}, () => new Promise<number>((r) => (release = r)));
    expect(pending).toBeInstanceOf(Promise);
    await sleep(5);
    expect(spans()).toEqual([]);
    release(7);
    await expect(pending).resolves.toBe(7);
    expect(only('wait').status).toEqual({ code: SpanStatusCode.OK });
  });

  it('records a rejection and rejects with the same error', async () => {
    const error = new SystemError('timed out', { code: 'MSYS_CORE_TIMEOUT', category: 'timeout' });
    await expect(
      withSpan(getTracer('core'), 'fails', {}, async () => {
        await sleep(1);
        throw error;
      }),
    ).rejects.toBe(error);
    const s = only('fails');
    expect(s.status).toEqual({ code: SpanStatusCode.ERROR, message: 'timed out' });
    expect(s.attributes[ATTR.errorCode]).toBe('MSYS_CORE_TIMEOUT');
    expect(s.events.map((e) => e.name)).toEqual(['exception']);
  });

  it('parents spans started after await boundaries and in concurrent branches', async () => {
    const tracer = getTracer('pipeline');
    await withSpan(tracer, 'outer', {}, async () => {
      await sleep(2);
      await Promise.all(
        ['a', 'b'].map((n) =>
          withSpan(tracer, `inner-${n}`, {}, async () => {
            await sleep(1);
            withSpan(tracer, `leaf-${n}`, {}, () => undefined);
          }),
        ),
      );
    });
    expect(trace.getActiveSpan()).toBeUndefined();
    const outer = only('outer');
    expect(outer.parentSpanContext).toBeUndefined();
    for (const n of ['a', 'b']) {
      const inner = only(`inner-${n}`);
      const leaf = only(`leaf-${n}`);
      expect(inner.parentSpanContext?.spanId).toBe(outer.spanContext().spanId);
      expect(leaf.parentSpanContext?.spanId).toBe(inner.spanContext().spanId);
      expect(leaf.spanContext().traceId).toBe(outer.spanContext().traceId);
    }
  });
});

describe('metrics', () => {
  let meterProvider: MeterProvider;
  let reader: PeriodicExportingMetricReader;
  let metricExporter: InMemoryMetricExporter;

  beforeEach(() => {
    metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    // A long interval: the test exports on demand with forceFlush.
    reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
    meterProvider = new MeterProvider({ readers: [reader] });
    metrics.setGlobalMeterProvider(meterProvider);
  });

  afterEach(async () => {
    metrics.disable();
    await meterProvider.shutdown();
  });

  async function collected(): Promise<MetricData[]> {
    await reader.forceFlush();
    const scopes = metricExporter.getMetrics().at(-1)?.scopeMetrics ?? [];
    const ours = scopes.filter((s) => s.scope.name === '@msys/ledger');
    expect(ours).toHaveLength(1);
    return ours[0]!.metrics;
  }

  it('records counter sums per attribute set and histogram count/sum/min/max', async () => {
    const meter = getMeter('ledger', '0.1.0');
    const appended = counter(meter, 'msys.ledger.appended', {
      unit: '{entry}',
      description: 'entries appended',
    });
    const latency = histogram(meter, 'msys.ledger.append.duration', {
      unit: 'ms',
      advice: { explicitBucketBoundaries: [1, 10, 100] },
    });
    appended.add(2, { [ATTR.outcome]: 'ok' });
    appended.add(3, { [ATTR.outcome]: 'ok' });
    appended.add(1, { [ATTR.outcome]: 'error' });
    for (const v of [5, 15, 0.5]) latency.record(v);

    const data = await collected();
    const sum = data.find((m) => m.descriptor.name === 'msys.ledger.appended');
    expect(sum?.dataPointType).toBe(DataPointType.SUM);
    expect(sum?.descriptor.unit).toBe('{entry}');
    const byOutcome = Object.fromEntries(sum!.dataPoints.map((p) => [p.attributes[ATTR.outcome], p.value]));
    expect(byOutcome).toEqual({ ok: 5, error: 1 });

    const hist = data.find((m) => m.descriptor.name === 'msys.ledger.append.duration');
    expect(hist?.dataPointType).toBe(DataPointType.HISTOGRAM);
    const point = hist!.dataPoints[0]!.value as {
      count: number;
      sum: number;
      min: number;
      max: number;
      buckets: { boundaries: number[]; counts: number[] };
    };
    expect(point).toMatchObject({ count: 3, sum: 20.5, min: 0.5, max: 15 });
    expect(point.buckets).toEqual({ boundaries: [1, 10, 100], counts: [1, 1, 1, 0] });
  });

  it('rejects instrument names the OpenTelemetry specification forbids', () => {
    const meter = getMeter('ledger');
    for (const bad of ['', '1abc', 'has space', 'ü', 'a'.repeat(256)]) {
      expect(codeOf(() => counter(meter, bad))).toBe(INVALID);
      expect(codeOf(() => histogram(meter, bad))).toBe(INVALID);
    }
    expect(codeOf(() => counter({} as never, 'ok'))).toBe(INVALID);
    expect(counter(meter, `a${'b'.repeat(254)}`)).toBeDefined();
  });
});

describe('trace context across a process boundary', () => {
  it('keeps trace id, parent span id and tracestate through inject → JSON → extract', () => {
    const tracer = getTracer('pipeline');
    // The producer itself continues a remote trace that carries vendor state.
    const upstream = extractTraceContext({
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      tracestate: 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7',
    });
    const wire = context.with(upstream, () =>
      withSpan(tracer, 'publish', {}, () => JSON.stringify({ body: 'x', headers: injectTraceContext() })),
    );

    const received = JSON.parse(wire) as { headers: Record<string, string> };
    const parent = extractTraceContext(received.headers, { context: ROOT_CONTEXT });
    context.with(parent, () => withSpan(tracer, 'consume', {}, () => undefined));

    const publish = only('publish');
    const consume = only('consume');
    expect(publish.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(publish.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(received.headers.traceparent).toBe(
      `00-${publish.spanContext().traceId}-${publish.spanContext().spanId}-01`,
    );
    expect(received.headers.tracestate).toBe('congo=t61rcWkgMzE,rojo=00f067aa0ba902b7');
    expect(consume.spanContext().traceId).toBe(publish.spanContext().traceId);
    expect(consume.parentSpanContext).toMatchObject({ spanId: publish.spanContext().spanId, isRemote: true });
    expect(consume.spanContext().traceState?.get('rojo')).toBe('00f067aa0ba902b7');
  });

  it('injects nothing without an active span and returns the same carrier object', () => {
    const carrier = { 'content-type': 'json' };
    expect(injectTraceContext(carrier)).toBe(carrier);
    expect(carrier).toEqual({ 'content-type': 'json' });
    expect(injectTraceContext()).toEqual({});
  });

  it('matches header names case-insensitively, as HTTP does', () => {
    const ctx = extractTraceContext({
      TraceParent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
    expect(trace.getSpanContext(ctx)?.spanId).toBe('b7ad6b7169203331');
  });

  it('leaves the base context unchanged for missing or malformed headers', () => {
    const base = ROOT_CONTEXT.setValue(Symbol.for('marker'), 1);
    expect(extractTraceContext({}, { context: base })).toBe(base);
    expect(extractTraceContext({ traceparent: 'garbage' }, { context: base })).toBe(base);
    expect(codeOf(() => extractTraceContext(null as never))).toBe(INVALID);
    expect(codeOf(() => injectTraceContext([] as never))).toBe(INVALID);
  });

  it('uses the host global propagator when asked to', () => {
    const carrier = withSpan(getTracer('core'), 'p', {}, () =>
      injectTraceContext({}, { propagator: propagation }),
    );
    // No global propagator is installed: the API's default propagates nothing.
    expect(carrier).toEqual({});
  });
});

describe('without an SDK', () => {
  it('runs the work and propagates nothing', async () => {
    trace.disable();
    context.disable();
    const tracer = getTracer('core');
    expect(withSpan(tracer, 'noop', {}, () => 3)).toBe(3);
    await expect(withSpan(tracer, 'noop', {}, async () => 4)).resolves.toBe(4);
    expect(withSpan(tracer, 'noop', {}, () => injectTraceContext())).toEqual({});
    expect(spans()).toEqual([]);
  });
});
