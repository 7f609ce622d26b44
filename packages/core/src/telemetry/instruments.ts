import {
  type Counter,
  type Histogram,
  type Meter,
  type MetricOptions,
  metrics,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { invalidArgument } from '../errors/index.js';
import { INVALID_ARGUMENT, instrumentName, optionalVersion, scopeName } from './names.js';

/**
 * The tracer of one `@msys` package, named `@msys/<pkg>` (the OpenTelemetry instrumentation scope).
 * A no-op until the host application installs an OpenTelemetry SDK; tracers obtained before that start
 * recording once it is installed, because the API hands out a proxy.
 *
 * @param pkg - the package, `ledger` or `@msys/ledger`
 * @param version - the package version recorded as the scope version (omit when unknown)
 * @returns the tracer
 * @throws SystemError `MSYS_TELEMETRY_INVALID_ARGUMENT` when `pkg` is not a package name
 * @example
 * ```ts
 * const tracer = getTracer('ledger', '0.1.0');
 * withSpan(tracer, 'ledger.append', { [ATTR.target]: key }, () => append(key, value));
 * ```
 */
export function getTracer(pkg: string, version?: string): Tracer {
  return trace.getTracer(scopeName(pkg, 'pkg'), optionalVersion(version, 'version'));
}

/**
 * The meter of one `@msys` package, named `@msys/<pkg>`. Unlike tracers, the metrics API hands out no
 * proxy: a meter obtained before the host installs a MeterProvider stays a no-op, so get it when the
 * component is constructed, not at module load.
 *
 * @param pkg - the package, `ledger` or `@msys/ledger`
 * @param version - the package version recorded as the scope version (omit when unknown)
 * @returns the meter
 * @throws SystemError `MSYS_TELEMETRY_INVALID_ARGUMENT` when `pkg` is not a package name
 * @example
 * ```ts
 * const appended = counter(getMeter('ledger'), 'msys.ledger.appended', { unit: '{entry}' });
 * appended.add(1, { [ATTR.outcome]: 'ok' });
 * ```
 */
export function getMeter(pkg: string, version?: string): Meter {
  return metrics.getMeter(scopeName(pkg, 'pkg'), optionalVersion(version, 'version'));
}

function assertMeter(meter: unknown): Meter {
  const m = meter as Partial<Meter> | null;
  if (typeof m !== 'object' || m === null || typeof m.createCounter !== 'function') {
    throw invalidArgument(INVALID_ARGUMENT, 'meter', 'an OpenTelemetry Meter', meter);
  }
  return m as Meter;
}

/**
 * Creates a monotonic counter, checking the name against the OpenTelemetry instrument name syntax
 * first (the SDK would only log a warning and hand back an instrument that records nothing).
 *
 * @param meter - from {@link getMeter}
 * @param name - the instrument name, e.g. `msys.ledger.appended`
 * @param options - description, unit (UCUM, e.g. `By`, `ms`, `{entry}`) and value type
 * @returns the counter
 * @throws SystemError `MSYS_TELEMETRY_INVALID_ARGUMENT` for a malformed name or a non-meter
 */
export function counter(meter: Meter, name: string, options: MetricOptions = {}): Counter {
  return assertMeter(meter).createCounter(instrumentName(name, 'name'), options);
}

/**
 * Creates a histogram, checking the name as {@link counter} does. Pass
 * `options.advice.explicitBucketBoundaries` to choose bucket boundaries suited to the measured range.
 *
 * @param meter - from {@link getMeter}
 * @param name - the instrument name, e.g. `msys.ledger.append.duration`
 * @param options - description, unit, value type and advice
 * @returns the histogram
 * @throws SystemError `MSYS_TELEMETRY_INVALID_ARGUMENT` for a malformed name or a non-meter
 */
export function histogram(meter: Meter, name: string, options: MetricOptions = {}): Histogram {
  return assertMeter(meter).createHistogram(instrumentName(name, 'name'), options);
}
