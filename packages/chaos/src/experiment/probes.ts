/**
 * Running probes and judging their values against tolerances.
 *
 * @module
 */
import { isDeepStrictEqual } from 'node:util';
import { invalidExperiment } from '../errors.js';
import type { ActivityContext, Probe, Tolerance } from './schema.js';

/** The outcome of one probe. */
export interface ProbeResult {
  /** The probe's name. */
  readonly name: string;
  /** Its value (an HTTP probe's status code), or undefined when it threw. */
  readonly value: unknown;
  /** Whether the value is within tolerance (false when the probe threw). */
  readonly ok: boolean;
  /** The error message, when the probe threw or timed out. */
  readonly error?: string;
  /** How long it took, in ms. */
  readonly ms: number;
}

/** Functions that probes and actions refer to by name. */
export type FunctionRegistry = Readonly<Record<string, (context: ActivityContext) => unknown>>;

/**
 * Whether a value satisfies a tolerance.
 *
 * @param value - the probe's value
 * @param tolerance - the tolerance
 * @returns true when within tolerance
 */
export function withinTolerance(value: unknown, tolerance: Tolerance): boolean {
  if (tolerance === true) return Boolean(value);
  if (typeof tolerance !== 'object' || tolerance === null) return value === tolerance;
  if ('equals' in tolerance) return isDeepStrictEqual(value, tolerance.equals);
  if ('oneOf' in tolerance) return tolerance.oneOf.some((x) => isDeepStrictEqual(value, x));
  if (typeof value !== 'number' || Number.isNaN(value)) return false;
  return (
    (tolerance.min === undefined || value >= tolerance.min) &&
    (tolerance.max === undefined || value <= tolerance.max)
  );
}

/** @internal */
export function resolveFn(
  fn: string | ((context: ActivityContext) => unknown),
  functions: FunctionRegistry,
  path: string,
): (context: ActivityContext) => unknown {
  if (typeof fn === 'function') return fn;
  const found = functions[fn];
  if (typeof found !== 'function')
    throw invalidExperiment(path, 'the name of a function in options.functions', fn);
  return found;
}

/** @internal */
export async function runProbe(
  probe: Probe,
  functions: FunctionRegistry,
  signal: AbortSignal,
): Promise<ProbeResult> {
  const t0 = performance.now();
  try {
    let value: unknown;
    let ok: boolean;
    if (probe.type === 'http') {
      const timeout = AbortSignal.timeout(probe.timeoutMs ?? 5000);
      const response = await fetch(probe.url, {
        method: probe.method ?? 'GET',
        signal: AbortSignal.any([signal, timeout]),
      });
      await response.arrayBuffer();
      value = response.status;
      ok = withinTolerance(value, probe.tolerance);
      if (probe.maxLatencyMs !== undefined && performance.now() - t0 > probe.maxLatencyMs) ok = false;
    } else {
      value = await resolveFn(probe.fn, functions, `${probe.name}.fn`)({ signal, args: probe.args });
      ok = withinTolerance(value, probe.tolerance);
    }
    return { name: probe.name, value, ok, ms: performance.now() - t0 };
  } catch (error) {
    return {
      name: probe.name,
      value: undefined,
      ok: false,
      error: error instanceof Error ? error.message : String(error),
      ms: performance.now() - t0,
    };
  }
}
