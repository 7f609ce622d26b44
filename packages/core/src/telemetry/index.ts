/**
 * Telemetry for `@msys` packages on `@opentelemetry/api` alone: package tracers and meters, spans around
 * sync and async work, the `msys.*` attribute names, and W3C Trace Context for messages that cross
 * processes. Everything is a no-op until the host application installs an OpenTelemetry SDK.
 *
 * @module
 */
export { ATTR, type MsysAttributeName } from './attributes.js';
export { counter, getMeter, getTracer, histogram } from './instruments.js';
export { extractTraceContext, injectTraceContext, type TraceContextOptions } from './propagation.js';
export { withSpan } from './span.js';
export {
  formatTraceParent,
  parseTraceParent,
  TRACEPARENT_HEADER,
  TRACESTATE_HEADER,
  TraceContextPropagator,
} from './trace-context.js';
