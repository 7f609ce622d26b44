import {
  type Context,
  context as contextApi,
  defaultTextMapSetter,
  type TextMapGetter,
  type TextMapPropagator,
} from '@opentelemetry/api';
import { invalidArgument } from '../errors/index.js';
import { INVALID_ARGUMENT } from './names.js';
import { TraceContextPropagator } from './trace-context.js';

/** Options of {@link injectTraceContext} and {@link extractTraceContext}. */
export interface TraceContextOptions {
  /** The context to inject from, or the base context to extract into; defaults to the active context. */
  readonly context?: Context;
  /**
   * The propagator to use; defaults to W3C Trace Context ({@link TraceContextPropagator}), so messages carry
   * `traceparent` whatever the host configured. Pass the API's `propagation` to use the host's global
   * propagator instead (e.g. to carry baggage too).
   */
  readonly propagator?: TextMapPropagator;
}

const w3c = new TraceContextPropagator();

/**
 * Header names are case-insensitive (RFC 9110 §5.1), and message systems or proxies may have re-cased them
 * (`Traceparent`); an exact-key lookup would silently drop the trace.
 */
const headerGetter: TextMapGetter<Record<string, string>> = {
  get(carrier, key) {
    const exact = carrier[key];
    if (exact !== undefined) return exact;
    for (const k of Object.keys(carrier)) if (k.toLowerCase() === key) return carrier[k];
    return undefined;
  },
  keys(carrier) {
    return Object.keys(carrier);
  },
};

function assertCarrier(carrier: unknown): Record<string, string> {
  if (typeof carrier !== 'object' || carrier === null || Array.isArray(carrier)) {
    throw invalidArgument(INVALID_ARGUMENT, 'carrier', 'an object of string headers', carrier);
  }
  return carrier as Record<string, string>;
}

/**
 * Writes the current trace context into a message's headers so that the process receiving the message
 * can continue the trace (W3C Trace Context: `traceparent`, and `tracestate` when present). Writes nothing
 * when there is no valid active span.
 *
 * @param carrier - the headers object to write into (created when omitted)
 * @param options - the context to propagate and the propagator
 * @returns `carrier`, with the headers added
 * @throws SystemError `MSYS_TELEMETRY_INVALID_ARGUMENT` when `carrier` is not an object
 * @example
 * ```ts
 * await withSpan(tracer, 'pipeline.publish', {}, async () => {
 *   await queue.send({ body, headers: injectTraceContext() });
 * });
 * ```
 */
export function injectTraceContext(
  carrier: Record<string, string> = {},
  options: TraceContextOptions = {},
): Record<string, string> {
  const target = assertCarrier(carrier);
  (options.propagator ?? w3c).inject(options.context ?? contextApi.active(), target, defaultTextMapSetter);
  return target;
}

/**
 * Reads a trace context written by {@link injectTraceContext} in another process and returns a context
 * whose remote span is the parent of spans started in it. Missing or malformed headers yield the base
 * context unchanged (the W3C specification requires ignoring, not rejecting, a bad `traceparent`). Header
 * names are matched case-insensitively.
 *
 * @param carrier - the received headers
 * @param options - the base context and the propagator
 * @returns the context to run the consumer's work in (`context.with(ctx, fn)`)
 * @throws SystemError `MSYS_TELEMETRY_INVALID_ARGUMENT` when `carrier` is not an object
 * @example
 * ```ts
 * const parent = extractTraceContext(message.headers);
 * await context.with(parent, () => withSpan(tracer, 'pipeline.consume', {}, () => handle(message)));
 * ```
 */
export function extractTraceContext(
  carrier: Record<string, string>,
  options: TraceContextOptions = {},
): Context {
  const source = assertCarrier(carrier);
  return (options.propagator ?? w3c).extract(options.context ?? contextApi.active(), source, headerGetter);
}
