/**
 * The experiment format: plain, JSON-serializable data after Chaos Toolkit's model — a steady-state
 * hypothesis, a method, rollbacks — with this engine's faults as first-class activities, and
 * validation that names the path of every bad field.
 *
 * @module
 */
import { invalidExperiment } from '../errors.js';
import { type Fault, validateFault } from '../faults.js';
import { normalizeSelector, type TargetSelector } from '../targets.js';

/** What a probe's value must satisfy. A bare value means "equals"; `true` means "truthy". */
export type Tolerance =
  | boolean
  | number
  | string
  | { readonly equals: unknown }
  | { readonly min?: number; readonly max?: number }
  | { readonly oneOf: readonly unknown[] };

/** A probe that calls a function: inline, or by name from the run's registry. */
export interface FunctionProbe {
  /** The probe's name, shown in the report. */
  readonly name: string;
  /** The kind. */
  readonly type: 'function';
  /** The function, or its name in `options.functions`. Receives `{ signal, args }`. */
  readonly fn: string | ((context: ActivityContext) => unknown);
  /** Passed to the function. */
  readonly args?: unknown;
  /** What its result must satisfy. */
  readonly tolerance: Tolerance;
}

/** A probe that makes an HTTP request; its value is the status code. */
export interface HttpProbe {
  /** The probe's name. */
  readonly name: string;
  /** The kind. */
  readonly type: 'http';
  /** The URL. */
  readonly url: string;
  /** The method; default GET. */
  readonly method?: string;
  /** Give up after this many ms (the probe then fails); default 5000. */
  readonly timeoutMs?: number;
  /** Also fail when the answer took longer than this. */
  readonly maxLatencyMs?: number;
  /** What the status code must satisfy. */
  readonly tolerance: Tolerance;
}

/** A probe. */
export type Probe = FunctionProbe | HttpProbe;

/** Pauses around an activity, in ms. */
export interface Pauses {
  /** Wait before the activity. */
  readonly beforeMs?: number;
  /** Wait after the activity. */
  readonly afterMs?: number;
}

/** Fields every activity may carry. */
export interface ActivityCommon {
  /** Run without waiting for it (the method waits for background activities at its end). */
  readonly background?: boolean;
  /** Pauses around it. */
  readonly pauses?: Pauses;
}

/** Injects a fault; without `background`, waits `durationMs` and reverts it before the next activity. */
export interface FaultActivity extends ActivityCommon {
  /** The kind. */
  readonly type: 'fault';
  /** A name for the report. */
  readonly name?: string;
  /** The fault. */
  readonly fault: Fault;
  /** Its target. */
  readonly target?: string | TargetSelector;
  /** Its probability. */
  readonly probability?: number;
  /** Its duration, in ms. */
  readonly durationMs?: number;
}

/** Calls a function (inline or by name from the registry). */
export interface ActionActivity extends ActivityCommon {
  /** The kind. */
  readonly type: 'action';
  /** The action's name. */
  readonly name: string;
  /** The function, or its name in `options.functions`. */
  readonly fn: string | ((context: ActivityContext) => unknown);
  /** Passed to the function. */
  readonly args?: unknown;
}

/** Waits. */
export interface PauseActivity {
  /** The kind. */
  readonly type: 'pause';
  /** How long, in ms. */
  readonly ms: number;
}

/** Runs a probe inside the method: recorded, not judged. */
export interface ProbeActivity extends ActivityCommon {
  /** The kind. */
  readonly type: 'probe';
  /** The probe. */
  readonly probe: Probe;
}

/** Runs activities concurrently and waits for all of them. */
export interface ParallelActivity {
  /** The kind. */
  readonly type: 'parallel';
  /** The activities. */
  readonly activities: readonly Activity[];
}

/** Opens a TCP proxy for the rest of the experiment (closed when it ends). */
export interface ProxyActivity {
  /** The kind. */
  readonly type: 'proxy';
  /** The proxy's target name. */
  readonly name: string;
  /** Where it listens (`port` or `"host:port"`). */
  readonly listen?: number | string;
  /** The upstream (`port` or `"host:port"`). */
  readonly upstream: number | string;
}

/** One step of a method or of the rollbacks. */
export type Activity =
  | FaultActivity
  | ActionActivity
  | PauseActivity
  | ProbeActivity
  | ParallelActivity
  | ProxyActivity;

/** A chaos experiment. */
export interface Experiment {
  /** The title. */
  readonly title: string;
  /** What it checks, for the report. */
  readonly description?: string;
  /** The steady state: every probe must hold before and after the method. */
  readonly steadyState?: { readonly probes: readonly Probe[] };
  /** The method. */
  readonly method: readonly Activity[];
  /** Run at the end whatever happened (after faults and proxies of the experiment are undone). */
  readonly rollbacks?: readonly Activity[];
  /** Probes checked during the method; one out of tolerance aborts the experiment. */
  readonly abortWhen?: readonly Probe[];
  /** How often the abort probes run, in ms; default 500. */
  readonly abortCheckIntervalMs?: number;
}

/** What a function probe or action receives. */
export interface ActivityContext {
  /** Aborts when the experiment is aborted (halt, signal, SIGINT/SIGTERM, abort condition). */
  readonly signal: AbortSignal;
  /** The activity's `args`. */
  readonly args: unknown;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(o: Record<string, unknown>, key: string, path: string, optional = false): void {
  if (optional && o[key] === undefined) return;
  if (typeof o[key] !== 'string' || (o[key] as string).length === 0) {
    throw invalidExperiment(`${path}.${key}`, 'a non-empty string', o[key]);
  }
}

function ms(o: Record<string, unknown>, key: string, path: string, optional = true): void {
  const v = o[key];
  if (optional && v === undefined) return;
  if (typeof v !== 'number' || !(v >= 0 && v < 2 ** 31))
    throw invalidExperiment(`${path}.${key}`, 'a number of ms ≥ 0', v);
}

function validateTolerance(t: unknown, path: string): void {
  if (t === undefined)
    throw invalidExperiment(path, 'a tolerance (value, { min, max }, { equals } or { oneOf })', t);
  if (typeof t === 'boolean' || typeof t === 'number' || typeof t === 'string') return;
  if (!isObject(t))
    throw invalidExperiment(path, 'a tolerance (value, { min, max }, { equals } or { oneOf })', t);
  if ('equals' in t) return;
  if ('oneOf' in t) {
    if (!Array.isArray(t.oneOf)) throw invalidExperiment(`${path}.oneOf`, 'an array', t.oneOf);
    return;
  }
  if (t.min === undefined && t.max === undefined)
    throw invalidExperiment(path, '{ min?, max? } with at least one bound', t);
  for (const k of ['min', 'max'] as const) {
    if (t[k] !== undefined && (typeof t[k] !== 'number' || Number.isNaN(t[k]))) {
      throw invalidExperiment(`${path}.${k}`, 'a number', t[k]);
    }
  }
}

/** @internal */
export function validateProbe(p: unknown, path: string): void {
  if (!isObject(p)) throw invalidExperiment(path, 'a probe object', p);
  str(p, 'name', path);
  if (p.type === 'function') {
    if (typeof p.fn !== 'string' && typeof p.fn !== 'function') {
      throw invalidExperiment(`${path}.fn`, 'a function or the name of one in options.functions', p.fn);
    }
  } else if (p.type === 'http') {
    str(p, 'url', path);
    try {
      new URL(p.url as string);
    } catch {
      throw invalidExperiment(`${path}.url`, 'an absolute URL', p.url);
    }
    str(p, 'method', path, true);
    ms(p, 'timeoutMs', path);
    ms(p, 'maxLatencyMs', path);
  } else throw invalidExperiment(`${path}.type`, 'function or http', p.type);
  validateTolerance(p.tolerance, `${path}.tolerance`);
}

function validatePauses(a: Record<string, unknown>, path: string): void {
  if (a.background !== undefined && typeof a.background !== 'boolean') {
    throw invalidExperiment(`${path}.background`, 'a boolean', a.background);
  }
  if (a.pauses === undefined) return;
  if (!isObject(a.pauses)) throw invalidExperiment(`${path}.pauses`, '{ beforeMs?, afterMs? }', a.pauses);
  ms(a.pauses, 'beforeMs', `${path}.pauses`);
  ms(a.pauses, 'afterMs', `${path}.pauses`);
}

/** @internal */
export function validateActivity(a: unknown, path: string): void {
  if (!isObject(a)) throw invalidExperiment(path, 'an activity object', a);
  switch (a.type) {
    case 'fault':
      validateFault(a.fault, `${path}.fault`);
      normalizeSelector(a.target, `${path}.target`);
      if (
        a.probability !== undefined &&
        (typeof a.probability !== 'number' || !(a.probability >= 0 && a.probability <= 1))
      ) {
        throw invalidExperiment(`${path}.probability`, 'a number in [0, 1]', a.probability);
      }
      ms(a, 'durationMs', path);
      validatePauses(a, path);
      break;
    case 'action':
      str(a, 'name', path);
      if (typeof a.fn !== 'string' && typeof a.fn !== 'function') {
        throw invalidExperiment(`${path}.fn`, 'a function or the name of one in options.functions', a.fn);
      }
      validatePauses(a, path);
      break;
    case 'pause':
      ms(a, 'ms', path, false);
      break;
    case 'probe':
      validateProbe(a.probe, `${path}.probe`);
      validatePauses(a, path);
      break;
    case 'parallel':
      if (!Array.isArray(a.activities))
        throw invalidExperiment(`${path}.activities`, 'an array of activities', a.activities);
      a.activities.forEach((x, i) => {
        validateActivity(x, `${path}.activities[${i}]`);
      });
      break;
    case 'proxy':
      str(a, 'name', path);
      if (typeof a.upstream !== 'string' && typeof a.upstream !== 'number') {
        throw invalidExperiment(`${path}.upstream`, 'a port or "host:port"', a.upstream);
      }
      if (a.listen !== undefined && typeof a.listen !== 'string' && typeof a.listen !== 'number') {
        throw invalidExperiment(`${path}.listen`, 'a port or "host:port"', a.listen);
      }
      break;
    default:
      throw invalidExperiment(`${path}.type`, 'one of fault, action, pause, probe, parallel, proxy', a.type);
  }
}

/**
 * Validates an experiment and throws a `validation` SystemError naming the first bad path
 * (e.g. `experiment.method[2].fault.ms`).
 *
 * @param value - the experiment (plain data, e.g. parsed JSON)
 * @returns the experiment, typed
 * @throws SystemError `MSYS_CHAOS_INVALID_EXPERIMENT` / `MSYS_CHAOS_INVALID_FAULT` / `MSYS_CHAOS_INVALID_OPTION`
 */
export function validateExperiment(value: unknown): Experiment {
  const path = 'experiment';
  if (!isObject(value)) throw invalidExperiment(path, 'an experiment object', value);
  str(value, 'title', path);
  if (value.description !== undefined && typeof value.description !== 'string') {
    throw invalidExperiment(`${path}.description`, 'a string', value.description);
  }
  if (value.steadyState !== undefined) {
    const ss = value.steadyState;
    if (!isObject(ss) || !Array.isArray(ss.probes)) {
      throw invalidExperiment(
        `${path}.steadyState.probes`,
        'an array of probes',
        isObject(ss) ? ss.probes : ss,
      );
    }
    ss.probes.forEach((p, i) => {
      validateProbe(p, `${path}.steadyState.probes[${i}]`);
    });
  }
  if (!Array.isArray(value.method))
    throw invalidExperiment(`${path}.method`, 'an array of activities', value.method);
  value.method.forEach((a, i) => {
    validateActivity(a, `${path}.method[${i}]`);
  });
  for (const key of ['rollbacks', 'abortWhen'] as const) {
    const list = value[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw invalidExperiment(`${path}.${key}`, 'an array', list);
    list.forEach((a, i) => {
      if (key === 'rollbacks') validateActivity(a, `${path}.${key}[${i}]`);
      else validateProbe(a, `${path}.${key}[${i}]`);
    });
  }
  ms(value, 'abortCheckIntervalMs', path);
  return value as unknown as Experiment;
}
