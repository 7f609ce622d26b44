import {
  createTraceState,
  defaultTextMapGetter,
  defaultTextMapSetter,
  propagation,
  ROOT_CONTEXT,
  type SpanContext,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  extractTraceContext,
  formatTraceParent,
  injectTraceContext,
  parseTraceParent,
  TraceContextPropagator,
} from '../src/telemetry/index.js';

// Examples of W3C Trace Context Level 1, §3.2.2 (traceparent) and §3.3.1 (tracestate).
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';
const SAMPLED = `00-${TRACE_ID}-${PARENT_ID}-01`;
const NOT_SAMPLED = `00-${TRACE_ID}-${PARENT_ID}-00`;

afterEach(() => {
  propagation.disable();
});

describe('parseTraceParent (W3C Trace Context §3.2)', () => {
  it('parses the specification examples', () => {
    expect(parseTraceParent(SAMPLED)).toEqual({
      traceId: TRACE_ID,
      spanId: PARENT_ID,
      traceFlags: 1,
      isRemote: true,
    });
    expect(parseTraceParent(NOT_SAMPLED)).toEqual({
      traceId: TRACE_ID,
      spanId: PARENT_ID,
      traceFlags: 0,
      isRemote: true,
    });
    expect(parseTraceParent(` ${SAMPLED}\t`)?.traceId).toBe(TRACE_ID);
  });

  it.each([
    ['version ff is forbidden (§3.2.2.1)', `ff-${TRACE_ID}-${PARENT_ID}-01`],
    ['upper-case hex is not HEXDIGLC', `00-${TRACE_ID.toUpperCase()}-${PARENT_ID}-01`],
    ['upper-case version', `0A-${TRACE_ID}-${PARENT_ID}-01`],
    ['all-zero trace-id (§3.2.2.3)', `00-${'0'.repeat(32)}-${PARENT_ID}-01`],
    ['all-zero parent-id (§3.2.2.4)', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['short trace-id', `00-${TRACE_ID.slice(1)}-${PARENT_ID}-01`],
    ['long parent-id', `00-${TRACE_ID}-${PARENT_ID}0-01`],
    ['non-hex flags', `00-${TRACE_ID}-${PARENT_ID}-0g`],
    ['one-digit flags', `00-${TRACE_ID}-${PARENT_ID}-1`],
    ['version 00 with extra fields', `${SAMPLED}-extra`],
    ['wrong separator', `00_${TRACE_ID}-${PARENT_ID}-01`],
    ['higher version without a dash after the flags', `cc-${TRACE_ID}-${PARENT_ID}-01x`],
    ['empty', ''],
  ])('rejects %s', (_why, header) => {
    expect(parseTraceParent(header)).toBeUndefined();
  });

  it('parses a higher version by the forward-compatibility rules (§4.3), keeping only the sampled flag', () => {
    expect(parseTraceParent(`cc-${TRACE_ID}-${PARENT_ID}-09-what-the-future-will-be-like`)).toEqual({
      traceId: TRACE_ID,
      spanId: PARENT_ID,
      traceFlags: 1,
      isRemote: true,
    });
    expect(parseTraceParent(`01-${TRACE_ID}-${PARENT_ID}-02`)?.traceFlags).toBe(0);
  });

  const hex = (n: number) =>
    fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });
  const validContext = fc.record({
    traceId: hex(32).filter((s) => /[^0]/.test(s)),
    spanId: hex(16).filter((s) => /[^0]/.test(s)),
    traceFlags: fc.integer({ min: 0, max: 255 }),
  });

  it('round-trips every valid span context through formatTraceParent', () => {
    fc.assert(
      fc.property(validContext, (sc) => {
        const header = formatTraceParent({ ...sc, isRemote: false });
        expect(header).toHaveLength(55);
        expect(parseTraceParent(header!)).toEqual({ ...sc, isRemote: true });
      }),
    );
  });

  it('formats nothing for an invalid span context', () => {
    expect(formatTraceParent({ traceId: '0'.repeat(32), spanId: PARENT_ID, traceFlags: 1 })).toBeUndefined();
    expect(formatTraceParent({ traceId: TRACE_ID, spanId: 'xyz', traceFlags: 1 })).toBeUndefined();
  });

  it('agrees with @opentelemetry/core W3CTraceContextPropagator on generated headers', () => {
    const reference = new W3CTraceContextPropagator();
    const ours = new TraceContextPropagator();
    const piece = fc.oneof(
      hex(2),
      hex(16),
      hex(32),
      fc.constantFrom('00', 'ff', 'cc', '-', '0'.repeat(16), '0'.repeat(32), 'A', 'g', '-x'),
    );
    const header = fc.oneof(
      validContext.map((sc) => formatTraceParent({ ...sc, isRemote: false })!),
      fc
        .tuple(fc.constantFrom('00', 'cc', 'ff', '0f'), validContext, fc.array(piece, { maxLength: 3 }))
        .map(
          ([v, sc, tail]) =>
            `${v}-${sc.traceId}-${sc.spanId}-${sc.traceFlags.toString(16).padStart(2, '0')}${tail.join('')}`,
        ),
      fc.array(piece, { maxLength: 8 }).map((parts) => parts.join('-')),
      fc.string({ unit: fc.constantFrom(...'0123456789abcdefF-x'), maxLength: 70 }),
    );
    const view = (sc: SpanContext | undefined, version: string) =>
      sc && {
        traceId: sc.traceId,
        spanId: sc.spanId,
        flags: version === '00' ? sc.traceFlags : sc.traceFlags & 1,
      };
    fc.assert(
      fc.property(header, (h) => {
        const carrier = { traceparent: h };
        const a = trace.getSpanContext(ours.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter));
        const b = trace.getSpanContext(reference.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter));
        expect(view(a, h.slice(0, 2))).toEqual(view(b, h.slice(0, 2)));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('TraceContextPropagator', () => {
  const propagator = new TraceContextPropagator();

  it('reads tracestate only with a valid traceparent and merges repeated headers (§3.3.1.1)', () => {
    const ctx = propagator.extract(
      ROOT_CONTEXT,
      { traceparent: SAMPLED, tracestate: ['rojo=00f067aa0ba902b7', 'congo=t61rcWkgMzE'] },
      {
        get: (c, k) => (c as Record<string, string | string[]>)[k],
        keys: (c) => Object.keys(c as object),
      },
    );
    const state = trace.getSpanContext(ctx)?.traceState;
    expect(state?.get('rojo')).toBe('00f067aa0ba902b7');
    expect(state?.get('congo')).toBe('t61rcWkgMzE');
    expect(state?.serialize()).toBe('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');

    const ignored = propagator.extract(
      ROOT_CONTEXT,
      { traceparent: 'bad', tracestate: 'rojo=1' },
      defaultTextMapGetter,
    );
    expect(ignored).toBe(ROOT_CONTEXT);
  });

  it('injects traceparent and tracestate of the span context in the given context', () => {
    const ctx = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: TRACE_ID,
      spanId: PARENT_ID,
      traceFlags: 1,
      traceState: createTraceState('rojo=00f067aa0ba902b7'),
    });
    const carrier: Record<string, string> = {};
    propagator.inject(ctx, carrier, defaultTextMapSetter);
    expect(carrier).toEqual({ traceparent: SAMPLED, tracestate: 'rojo=00f067aa0ba902b7' });
    expect(injectTraceContext({}, { context: ctx })).toEqual(carrier);
  });

  it('writes nothing for an invalid span context', () => {
    const ctx = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '0'.repeat(32),
      spanId: PARENT_ID,
      traceFlags: 1,
    });
    expect(injectTraceContext({}, { context: ctx })).toEqual({});
  });

  it('works as the global propagator of the OpenTelemetry API', () => {
    propagation.setGlobalPropagator(new TraceContextPropagator());
    expect(propagation.fields()).toEqual(['traceparent', 'tracestate']);
    const ctx = propagation.extract(ROOT_CONTEXT, { traceparent: NOT_SAMPLED });
    const carrier: Record<string, string> = {};
    propagation.inject(ctx, carrier);
    expect(carrier).toEqual({ traceparent: NOT_SAMPLED });
    expect(trace.getSpanContext(extractTraceContext(carrier, { propagator: propagation }))?.traceFlags).toBe(
      0,
    );
  });
});
