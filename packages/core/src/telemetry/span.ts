import { type Attributes, type Span, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { describeValue, invalidArgument, isSystemError } from '../errors/index.js';
import { ATTR } from './attributes.js';
import { INVALID_ARGUMENT } from './names.js';

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * The span may already have been ended by `fn`; a recording span stops recording once ended, so this
 * guard is what keeps `end()` to exactly one call (the SDK would otherwise log a diagnostic warning).
 */
function finish(
  span: Span,
  error: { failed: false; statusSet: boolean } | { failed: true; error: unknown },
): void {
  if (!span.isRecording()) return;
  if (error.failed) {
    const e = error.error;
    if (e instanceof Error) span.recordException(e);
    else
      span.recordException({ name: 'NonErrorThrown', message: typeof e === 'string' ? e : describeValue(e) });
    if (isSystemError(e)) {
      span.setAttribute(ATTR.errorCode, e.code);
      span.setAttribute(ATTR.errorCategory, e.category);
    }
    const message = e instanceof Error ? e.message : typeof e === 'string' ? e : describeValue(e);
    span.setStatus({ code: SpanStatusCode.ERROR, message });
  } else if (!error.statusSet) {
    // A status `fn` set itself (e.g. ERROR for an outcome it reports without throwing) is kept.
    span.setStatus({ code: SpanStatusCode.OK });
  }
  span.end();
}

/**
 * Runs `fn` inside a new active span and ends the span when `fn` is done: when it returns, or, if it
 * returns a promise, when that settles. A throw or rejection is recorded as an exception event, sets the
 * status to ERROR with the error's message, adds `msys.error.code`/`msys.error.category` for a
 * {@link SystemError}, and is rethrown unchanged; a normal completion sets the status to OK unless `fn` set a status itself. The span is
 * the active span while `fn` runs, so spans started inside it (also after `await`, when the host has an
 * async context manager) become its children.
 *
 * @param tracer - from {@link getTracer}
 * @param name - the span name, e.g. `ledger.append`
 * @param attrs - attributes set when the span starts
 * @param fn - the work; receives the span to add events or attributes
 * @returns what `fn` returns (the same promise type for async work)
 * @throws whatever `fn` throws; SystemError `MSYS_TELEMETRY_INVALID_ARGUMENT` for a bad tracer, name or fn
 * @example
 * ```ts
 * const block = await withSpan(tracer, 'ledger.commit', { [ATTR.peer]: 'p1' }, async (span) => {
 *   const b = await consensus.commit();
 *   span.setAttribute('msys.ledger.height', b.height);
 *   return b;
 * });
 * ```
 */
export function withSpan<T>(tracer: Tracer, name: string, attrs: Attributes, fn: (span: Span) => T): T {
  if (typeof (tracer as Partial<Tracer> | null)?.startActiveSpan !== 'function') {
    throw invalidArgument(INVALID_ARGUMENT, 'tracer', 'an OpenTelemetry Tracer', tracer);
  }
  if (typeof name !== 'string' || name.length === 0) {
    throw invalidArgument(INVALID_ARGUMENT, 'name', 'a non-empty span name', name);
  }
  if (attrs !== undefined && (typeof attrs !== 'object' || attrs === null)) {
    throw invalidArgument(INVALID_ARGUMENT, 'attrs', 'an attributes object', attrs);
  }
  if (typeof fn !== 'function') throw invalidArgument(INVALID_ARGUMENT, 'fn', 'a function', fn);
  return tracer.startActiveSpan(name, { attributes: attrs ?? {} }, (span): T => {
    let statusSet = false;
    const setStatus = span.setStatus.bind(span);
    span.setStatus = (status) => {
      statusSet = true;
      return setStatus(status);
    };
    let result: T;
    try {
      result = fn(span);
    } catch (error) {
      finish(span, { failed: true, error });
      throw error;
    }
    if (!isPromiseLike(result)) {
      finish(span, { failed: false, statusSet });
      return result;
    }
    return result.then(
      (value) => {
        finish(span, { failed: false, statusSet });
        return value;
      },
      (error: unknown) => {
        finish(span, { failed: true, error });
        throw error;
      },
    ) as T;
  });
}
