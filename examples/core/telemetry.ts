/**
 * Spans, metrics and trace context with @msys/core/telemetry, recorded by the OpenTelemetry SDK the way a
 * host application would install it (here with in-memory exporters so the example can print what it saw).
 * Run: pnpm exec tsx --conditions=@msys/source examples/core/telemetry.ts
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { SystemError } from '@msys/core/errors';
import {
  ATTR,
  counter,
  extractTraceContext,
  getMeter,
  getTracer,
  histogram,
  injectTraceContext,
  withSpan,
} from '@msys/core/telemetry';
import { context, metrics, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

// --- what the host application does once at start-up ---
const spanExporter = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] });
trace.setGlobalTracerProvider(tracerProvider);
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({
  exporter: metricExporter,
  exportIntervalMillis: 3_600_000,
});
const meterProvider = new MeterProvider({ readers: [reader] });
metrics.setGlobalMeterProvider(meterProvider);

// --- what an @msys component does ---
const tracer = getTracer('pipeline', '0.1.0');
const meter = getMeter('pipeline', '0.1.0');
const published = counter(meter, 'msys.pipeline.published', { unit: '{message}' });
const duration = histogram(meter, 'msys.pipeline.publish.duration', { unit: 'ms' });

async function publish(body: string): Promise<string> {
  return withSpan(
    tracer,
    'pipeline.publish',
    { [ATTR.operation]: 'publish', [ATTR.bytes]: body.length },
    async () => {
      const started = performance.now();
      await sleep(2);
      if (body.length === 0) {
        published.add(1, { [ATTR.outcome]: 'rejected' });
        throw new SystemError('body must not be empty', {
          code: 'MSYS_PIPELINE_EMPTY_BODY',
          category: 'validation',
        });
      }
      published.add(1, { [ATTR.outcome]: 'ok' });
      duration.record(performance.now() - started);
      // The message crosses a process boundary as JSON; its headers carry the W3C trace context.
      return JSON.stringify({ body, headers: injectTraceContext() });
    },
  );
}

function consume(wire: string): void {
  const message = JSON.parse(wire) as { body: string; headers: Record<string, string> };
  console.log(`consumer received headers ${JSON.stringify(message.headers)}`);
  const parent = extractTraceContext(message.headers, { context: ROOT_CONTEXT });
  context.with(parent, () =>
    withSpan(tracer, 'pipeline.consume', { [ATTR.target]: message.body }, () => message.body.toUpperCase()),
  );
}

consume(await publish('hello'));
await publish('').catch((e: SystemError) => console.log(`publish('') failed as expected: ${e.code}`));

// --- what the host's exporters received ---
for (const s of spanExporter.getFinishedSpans()) {
  const { traceId, spanId } = s.spanContext();
  const parent = s.parentSpanContext ? ` parent=${s.parentSpanContext.spanId}` : '';
  const status = ['UNSET', 'OK', 'ERROR'][s.status.code];
  console.log(
    `span ${s.name} trace=${traceId} span=${spanId}${parent} status=${status} attrs=${JSON.stringify(s.attributes)} events=${s.events.map((e) => e.name).join(',') || '-'}`,
  );
}
await reader.forceFlush();
for (const scope of metricExporter.getMetrics().at(-1)?.scopeMetrics ?? []) {
  for (const m of scope.metrics) {
    for (const p of m.dataPoints) {
      const value = typeof p.value === 'number' ? p.value : `count=${(p.value as { count: number }).count}`;
      console.log(
        `metric ${scope.scope.name} ${m.descriptor.name} ${JSON.stringify(p.attributes)} = ${value}`,
      );
    }
  }
}

const [producer, consumer] = spanExporter.getFinishedSpans();
const linked =
  producer !== undefined &&
  consumer !== undefined &&
  consumer.spanContext().traceId === producer.spanContext().traceId &&
  consumer.parentSpanContext?.spanId === producer.spanContext().spanId;
console.log(`consumer span continues the producer's trace: ${linked}`);
if (!linked) process.exitCode = 1;

await meterProvider.shutdown();
await tracerProvider.shutdown();
