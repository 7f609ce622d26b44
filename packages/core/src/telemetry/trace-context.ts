import {
  type Context,
  createTraceState,
  isSpanContextValid,
  type SpanContext,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
  trace,
} from '@opentelemetry/api';

/** The W3C Trace Context header carrying version, trace id, parent id and flags (§3.2). */
export const TRACEPARENT_HEADER = 'traceparent';
/** The W3C Trace Context header carrying vendor-specific key/value pairs (§3.3). */
export const TRACESTATE_HEADER = 'tracestate';

/** Length of a version-00 `traceparent`: 2 + 1 + 32 + 1 + 16 + 1 + 2 (§3.2). */
const V00_LENGTH = 55;
const LOWER_HEX = /^[0-9a-f]+$/;
/** The only flag defined by version 00 (§3.2.2.5); later versions may add more. */
const SAMPLED_FLAG = 0x01;

/**
 * Parses a `traceparent` header value per W3C Trace Context Level 1 §3.2 into a remote span context.
 * Rejects (returns `undefined`): a version that is not two lower-case hex digits or is `ff` (§3.2.2.1);
 * a version-00 header of any length other than 55; a trace id or parent id that is not lower-case hex of
 * 32/16 digits or is all zeros (§3.2.2.3, §3.2.2.4); flags that are not two hex digits. A header of a higher
 * version is parsed by the forward-compatibility rules of §4.3 (the version-00 prefix, then end of string
 * or `-`), keeping only the sampled flag. Surrounding whitespace (HTTP OWS) is ignored.
 *
 * @param header - the header value
 * @returns the span context (`isRemote: true`), or `undefined` when the header must be ignored
 * @example
 * ```ts
 * parseTraceParent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
 * // { traceId: '4bf92f35…', spanId: '00f067aa0ba902b7', traceFlags: 1, isRemote: true }
 * ```
 */
export function parseTraceParent(header: string): SpanContext | undefined {
  if (typeof header !== 'string') return undefined;
  const value = header.trim();
  if (value.length < V00_LENGTH) return undefined;
  const version = value.slice(0, 2);
  if (!LOWER_HEX.test(version) || version === 'ff') return undefined;
  if (version === '00' && value.length !== V00_LENGTH) return undefined;
  if (value.length > V00_LENGTH && value[V00_LENGTH] !== '-') return undefined;
  if (value[2] !== '-' || value[35] !== '-' || value[52] !== '-') return undefined;
  const traceId = value.slice(3, 35);
  const spanId = value.slice(36, 52);
  const flags = value.slice(53, 55);
  if (!LOWER_HEX.test(traceId) || !LOWER_HEX.test(spanId) || !/^[0-9a-f]{2}$/.test(flags)) return undefined;
  const parsedFlags = Number.parseInt(flags, 16);
  const spanContext: SpanContext = {
    traceId,
    spanId,
    traceFlags: version === '00' ? parsedFlags : parsedFlags & SAMPLED_FLAG,
    isRemote: true,
  };
  // All-zero ids are the spec's invalid values (§3.2.2.3, §3.2.2.4); isSpanContextValid checks exactly that
  // together with the lengths and hex form already enforced above.
  return isSpanContextValid(spanContext) ? spanContext : undefined;
}

/**
 * Formats a span context as a version-00 `traceparent` value (§3.2).
 *
 * @param spanContext - a valid span context
 * @returns the header value, or `undefined` for an invalid span context (nothing may be propagated)
 */
export function formatTraceParent(spanContext: SpanContext): string | undefined {
  if (!isSpanContextValid(spanContext)) return undefined;
  const flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0');
  return `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * A `TextMapPropagator` for W3C Trace Context (`traceparent` and `tracestate`), built on
 * `@opentelemetry/api` alone so that `@msys` adds no SDK dependency to its users. Register it with
 * `propagation.setGlobalPropagator(new TraceContextPropagator())`, or let {@link injectTraceContext} and
 * {@link extractTraceContext} use it directly.
 *
 * `tracestate` parsing and its limits (32 members, 512 characters, key/value syntax of §3.3.1) are the API's
 * `createTraceState`; it is only read when `traceparent` was valid, as §3.3 requires.
 */
export class TraceContextPropagator implements TextMapPropagator {
  /**
   * Writes `traceparent` (and `tracestate` when the span context has one) for the active span of `context`.
   *
   * @param context - the context whose span is propagated
   * @param carrier - the message headers to write into
   * @param setter - how to set a header on the carrier
   */
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const spanContext = trace.getSpanContext(context);
    if (spanContext === undefined) return;
    const traceparent = formatTraceParent(spanContext);
    if (traceparent === undefined) return;
    setter.set(carrier, TRACEPARENT_HEADER, traceparent);
    const tracestate = spanContext.traceState?.serialize();
    if (tracestate) setter.set(carrier, TRACESTATE_HEADER, tracestate);
  }

  /**
   * Reads `traceparent`/`tracestate` from the carrier and returns `context` with the remote span context
   * set, or `context` unchanged when `traceparent` is absent or invalid.
   *
   * @param context - the base context
   * @param carrier - the received message headers
   * @param getter - how to read a header from the carrier
   * @returns the context carrying the remote parent
   */
  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const header = firstValue(getter.get(carrier, TRACEPARENT_HEADER));
    if (header === undefined) return context;
    const spanContext = parseTraceParent(header);
    if (spanContext === undefined) return context;
    const raw = getter.get(carrier, TRACESTATE_HEADER);
    // §3.3.1.1: several tracestate header fields combine into one list, as HTTP combines repeated fields.
    const tracestate = Array.isArray(raw) ? raw.join(',') : raw;
    if (tracestate !== undefined && tracestate.length > 0)
      spanContext.traceState = createTraceState(tracestate);
    return trace.setSpanContext(context, spanContext);
  }

  /**
   * The headers this propagator reads and writes.
   *
   * @returns `['traceparent', 'tracestate']`
   */
  fields(): string[] {
    return [TRACEPARENT_HEADER, TRACESTATE_HEADER];
  }
}
