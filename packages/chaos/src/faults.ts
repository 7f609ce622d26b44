/**
 * The fault catalogue: one plain-object spec per fault kind, and the validation every spec passes before
 * it reaches a target. Specs are JSON-serializable except where a user function is the point (a
 * corrupting transform, a given error object).
 *
 * @module
 */
import { invalidFault } from './errors.js';

/** Delays a wrapped call before it runs: fixed (`ms`), uniform (`minMs`..`maxMs`) or normal (`ms` ± `jitterMs`). */
export interface LatencyFault {
  /** The kind. */
  readonly kind: 'latency';
  /** The distribution of the delay; default `fixed`. */
  readonly distribution?: 'fixed' | 'uniform' | 'normal';
  /** The delay (fixed) or the mean (normal), in ms. */
  readonly ms?: number;
  /** The lower bound of a uniform delay, in ms. */
  readonly minMs?: number;
  /** The upper bound of a uniform delay, in ms. */
  readonly maxMs?: number;
  /** The standard deviation of a normal delay, in ms (draws are clamped at 0). */
  readonly jitterMs?: number;
}

/** Fails a wrapped call with the given error, or a SystemError `MSYS_CHAOS_INJECTED_ERROR`. */
export interface ErrorFault {
  /** The kind. */
  readonly kind: 'error';
  /** The error to throw: an Error instance, or a JSON description of a SystemError (code must be `MSYS_*`). */
  readonly error?: Error | { readonly code?: string; readonly message?: string };
}

/** The wrapped call never settles until the caller's AbortSignal aborts (or the fault is reverted). */
export interface TimeoutFault {
  /** The kind. */
  readonly kind: 'timeout';
}

/** The wrapped call rejects at once with an `AbortError` (SystemError `MSYS_CHAOS_CALL_ABORTED`). */
export interface AbortFault {
  /** The kind. */
  readonly kind: 'abort';
}

/** The wrapped call runs, and its result passes through a user transform before the caller sees it. */
export interface CorruptFault {
  /** The kind. */
  readonly kind: 'corrupt';
  /** Turns the real result into the corrupted one. */
  readonly transform: (result: unknown) => unknown;
}

/** Burns `cores` worker threads at `percent` % utilisation each. */
export interface CpuFault {
  /** The kind. */
  readonly kind: 'cpu';
  /** How many worker threads burn CPU (1..64). */
  readonly cores: number;
  /** The duty cycle of each worker, in (0, 100]. */
  readonly percent: number;
}

/** Holds `bytes` of memory: on the V8 heap, or off-heap in ArrayBuffers (`external`). */
export interface MemoryFault {
  /** The kind. */
  readonly kind: 'memory';
  /** How many bytes to hold. */
  readonly bytes: number;
  /** Where: `heap` (JS strings/arrays) or `external` (ArrayBuffer backing stores); default `external`. */
  readonly space?: 'heap' | 'external';
}

/** Blocks the event loop for `blockMs` every `everyMs`. */
export interface EventLoopBlockFault {
  /** The kind. */
  readonly kind: 'event-loop-block';
  /** How long each block lasts, in ms. */
  readonly blockMs: number;
  /** The period between block starts, in ms; 0 blocks once. */
  readonly everyMs?: number;
}

/** Shifts the governor's clock (its `now`/`nowNs`) by `offsetMs`. */
export interface ClockSkewFault {
  /** The kind. */
  readonly kind: 'clock-skew';
  /** The shift, in ms (negative moves time back). */
  readonly offsetMs: number;
}

/** The toxics of a TCP proxy, after Toxiproxy's catalogue. */
export type ToxicType =
  | 'latency'
  | 'bandwidth'
  | 'slow_close'
  | 'timeout'
  | 'reset_peer'
  | 'slicer'
  | 'limit_data'
  | 'down';

/** A toxic on a TCP proxy (Toxiproxy semantics; attributes in ms / KB/s / bytes). */
export interface ToxicFault {
  /** The kind. */
  readonly kind: 'toxic';
  /** Which toxic. */
  readonly toxic: ToxicType;
  /** `downstream` (server → client, default) or `upstream` (client → server). */
  readonly stream?: 'upstream' | 'downstream';
  /** latency: the delay of each chunk, in ms. */
  readonly latencyMs?: number;
  /** latency: a uniform ± jitter, in ms. */
  readonly jitterMs?: number;
  /** bandwidth: the rate, in KB/s (1 KB = 1024 bytes). */
  readonly rateKBps?: number;
  /** slow_close: how long to delay the close, in ms. */
  readonly delayMs?: number;
  /** timeout / reset_peer: after this many ms (0 = timeout never closes; reset at once). */
  readonly timeoutMs?: number;
  /** slicer: the average slice size, in bytes. */
  readonly averageSize?: number;
  /** slicer: the ± variation of the slice size, in bytes. */
  readonly sizeVariation?: number;
  /** slicer: the delay between slices, in microseconds. */
  readonly delayUs?: number;
  /** limit_data: the connection is closed after this many bytes. */
  readonly bytes?: number;
}

/** The fs operations the facade can fail or slow down. */
export type FsOperation = 'read' | 'write' | 'open' | 'stat' | 'readdir' | 'unlink' | 'mkdir';

/** Fails or slows operations of `engine.fs` on matching paths. */
export interface FsFault {
  /** The kind. */
  readonly kind: 'fs';
  /** The error code the operation fails with; omitted = no error (only `delayMs`). */
  readonly error?: 'EIO' | 'ENOSPC' | 'EACCES';
  /** A delay before the operation, in ms. */
  readonly delayMs?: number;
  /** Paths starting with this prefix match (after `path.resolve`). */
  readonly path?: string;
  /** Paths matching this regular expression (source text) match. */
  readonly pattern?: string;
  /** The operations affected; default all. */
  readonly ops?: readonly FsOperation[];
}

/** An HTTP fault for `fetch` through {@link ChaosEngine.fetchDispatcher}. */
export interface HttpFault {
  /** The kind. */
  readonly kind: 'http';
  /** The origin to match, e.g. `http://127.0.0.1:8080`; omitted = any. */
  readonly origin?: string;
  /** A path prefix to match; omitted = any. */
  readonly path?: string;
  /** The method to match (upper case); omitted = any. */
  readonly method?: string;
  /** Delay the request by this many ms (then send it, or apply the other action). */
  readonly delayMs?: number;
  /** Answer with this status code instead of calling the server. */
  readonly status?: number;
  /** The body of a `status` answer. */
  readonly body?: string;
  /** Abort the request (fetch rejects; an AbortError is in its cause chain). */
  readonly abort?: boolean;
  /** Reset the connection (fetch rejects, cause code `ECONNRESET`). */
  readonly reset?: boolean;
}

/** Faults that act on wrapped calls. */
export type CallFault = LatencyFault | ErrorFault | TimeoutFault | AbortFault | CorruptFault;
/** Faults that act on the whole process. */
export type ProcessFault = CpuFault | MemoryFault | EventLoopBlockFault | ClockSkewFault;
/** Every fault spec the engine accepts. */
export type Fault = CallFault | ProcessFault | ToxicFault | FsFault | HttpFault;
/** The kind names. */
export type FaultKind = Fault['kind'];

/** Kinds that act on wrapped calls. @internal */
export const CALL_KINDS: ReadonlySet<string> = new Set(['latency', 'error', 'timeout', 'abort', 'corrupt']);
/** Kinds that act on the process. @internal */
export const PROCESS_KINDS: ReadonlySet<string> = new Set([
  'cpu',
  'memory',
  'event-loop-block',
  'clock-skew',
]);
const TOXICS: ReadonlySet<string> = new Set([
  'latency',
  'bandwidth',
  'slow_close',
  'timeout',
  'reset_peer',
  'slicer',
  'limit_data',
  'down',
]);
const FS_ERRORS: ReadonlySet<string> = new Set(['EIO', 'ENOSPC', 'EACCES']);
const FS_OPS: ReadonlySet<string> = new Set(['read', 'write', 'open', 'stat', 'readdir', 'unlink', 'mkdir']);

function num(
  spec: Record<string, unknown>,
  key: string,
  base: string,
  min: number,
  max: number,
  optional: boolean,
) {
  const v = spec[key];
  if (v === undefined && optional) return;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw invalidFault(`${base}.${key}`, `a finite number in [${min}, ${max}]`, v);
  }
}

function oneOf(spec: Record<string, unknown>, key: string, base: string, allowed: ReadonlySet<string>) {
  const v = spec[key];
  if (v === undefined) return;
  if (typeof v !== 'string' || !allowed.has(v))
    throw invalidFault(`${base}.${key}`, `one of ${[...allowed].join(', ')}`, v);
}

const MAX_MS = 2 ** 31 - 1;

/**
 * Checks a fault spec and throws a `validation` SystemError naming the first bad path.
 *
 * @param fault - the spec to check
 * @param base - the path of the spec in the caller's input, e.g. `fault` or `method[2].fault`
 * @returns the spec, typed
 * @throws SystemError `MSYS_CHAOS_INVALID_FAULT`
 */
export function validateFault(fault: unknown, base = 'fault'): Fault {
  if (typeof fault !== 'object' || fault === null || Array.isArray(fault)) {
    throw invalidFault(base, 'a fault object with a kind', fault);
  }
  const s = fault as Record<string, unknown>;
  const kind = s.kind;
  switch (kind) {
    case 'latency': {
      oneOf(s, 'distribution', base, new Set(['fixed', 'uniform', 'normal']));
      const d = s.distribution ?? 'fixed';
      if (d === 'uniform') {
        num(s, 'minMs', base, 0, MAX_MS, false);
        num(s, 'maxMs', base, s.minMs as number, MAX_MS, false);
      } else {
        num(s, 'ms', base, 0, MAX_MS, false);
        num(s, 'jitterMs', base, 0, MAX_MS, d === 'fixed');
      }
      break;
    }
    case 'error': {
      const e = s.error;
      if (e !== undefined && !(e instanceof Error)) {
        if (typeof e !== 'object' || e === null)
          throw invalidFault(`${base}.error`, 'an Error or { code?, message? }', e);
        const code = (e as { code?: unknown }).code;
        if (
          code !== undefined &&
          (typeof code !== 'string' || !/^MSYS_[A-Z0-9]+(?:_[A-Z0-9]+)+$/.test(code))
        ) {
          throw invalidFault(`${base}.error.code`, 'a code like MSYS_<AREA>_<WHAT>', code);
        }
        const message = (e as { message?: unknown }).message;
        if (message !== undefined && typeof message !== 'string') {
          throw invalidFault(`${base}.error.message`, 'a string', message);
        }
      }
      break;
    }
    case 'timeout':
    case 'abort':
      break;
    case 'corrupt':
      if (typeof s.transform !== 'function')
        throw invalidFault(`${base}.transform`, 'a function', s.transform);
      break;
    case 'cpu':
      num(s, 'cores', base, 1, 64, false);
      if (!Number.isInteger(s.cores)) throw invalidFault(`${base}.cores`, 'an integer in [1, 64]', s.cores);
      num(s, 'percent', base, 1, 100, false);
      break;
    case 'memory':
      num(s, 'bytes', base, 1, 2 ** 40, false);
      oneOf(s, 'space', base, new Set(['heap', 'external']));
      break;
    case 'event-loop-block':
      num(s, 'blockMs', base, 1, 60_000, false);
      num(s, 'everyMs', base, 0, MAX_MS, true);
      if (typeof s.everyMs === 'number' && s.everyMs !== 0 && s.everyMs <= (s.blockMs as number)) {
        throw invalidFault(`${base}.everyMs`, `0 or greater than blockMs (${String(s.blockMs)})`, s.everyMs);
      }
      break;
    case 'clock-skew':
      num(s, 'offsetMs', base, -(2 ** 46), 2 ** 46, false);
      break;
    case 'toxic':
      validateToxic(s, base);
      break;
    case 'fs':
      oneOf(s, 'error', base, FS_ERRORS);
      num(s, 'delayMs', base, 0, MAX_MS, true);
      if (s.error === undefined && s.delayMs === undefined) {
        throw invalidFault(`${base}.error`, 'EIO, ENOSPC or EACCES when no delayMs is given', s.error);
      }
      if (s.path !== undefined && typeof s.path !== 'string')
        throw invalidFault(`${base}.path`, 'a string', s.path);
      validatePattern(s.pattern, `${base}.pattern`);
      if (s.ops !== undefined) {
        if (!Array.isArray(s.ops)) throw invalidFault(`${base}.ops`, 'an array of fs operations', s.ops);
        s.ops.forEach((op, i) => {
          if (typeof op !== 'string' || !FS_OPS.has(op)) {
            throw invalidFault(`${base}.ops[${i}]`, `one of ${[...FS_OPS].join(', ')}`, op);
          }
        });
      }
      break;
    case 'http':
      validateHttp(s, base);
      break;
    default:
      throw invalidFault(
        `${base}.kind`,
        'one of latency, error, timeout, abort, corrupt, cpu, memory, event-loop-block, clock-skew, toxic, fs, http',
        kind,
      );
  }
  return fault as Fault;
}

function validatePattern(pattern: unknown, path: string): void {
  if (pattern === undefined) return;
  if (typeof pattern !== 'string') throw invalidFault(path, 'a regular expression source string', pattern);
  try {
    new RegExp(pattern);
  } catch {
    throw invalidFault(path, 'a valid regular expression', pattern);
  }
}

function validateToxic(s: Record<string, unknown>, base: string): void {
  oneOf(s, 'toxic', base, TOXICS);
  if (s.toxic === undefined) throw invalidFault(`${base}.toxic`, `one of ${[...TOXICS].join(', ')}`, s.toxic);
  oneOf(s, 'stream', base, new Set(['upstream', 'downstream']));
  switch (s.toxic) {
    case 'latency':
      num(s, 'latencyMs', base, 0, MAX_MS, false);
      num(s, 'jitterMs', base, 0, MAX_MS, true);
      break;
    case 'bandwidth':
      num(s, 'rateKBps', base, 0.001, 2 ** 30, false);
      break;
    case 'slow_close':
      num(s, 'delayMs', base, 0, MAX_MS, false);
      break;
    case 'timeout':
    case 'reset_peer':
      num(s, 'timeoutMs', base, 0, MAX_MS, true);
      break;
    case 'slicer':
      num(s, 'averageSize', base, 1, 2 ** 30, false);
      num(s, 'sizeVariation', base, 0, (s.averageSize as number) - 1, true);
      num(s, 'delayUs', base, 0, 2 ** 31, true);
      break;
    case 'limit_data':
      num(s, 'bytes', base, 0, 2 ** 48, false);
      break;
  }
}

function validateHttp(s: Record<string, unknown>, base: string): void {
  for (const key of ['origin', 'path', 'method', 'body'] as const) {
    if (s[key] !== undefined && typeof s[key] !== 'string')
      throw invalidFault(`${base}.${key}`, 'a string', s[key]);
  }
  if (typeof s.origin === 'string') {
    try {
      new URL(s.origin);
    } catch {
      throw invalidFault(`${base}.origin`, 'an origin such as http://127.0.0.1:8080', s.origin);
    }
  }
  num(s, 'delayMs', base, 0, MAX_MS, true);
  num(s, 'status', base, 100, 599, true);
  for (const key of ['abort', 'reset'] as const) {
    if (s[key] !== undefined && typeof s[key] !== 'boolean')
      throw invalidFault(`${base}.${key}`, 'a boolean', s[key]);
  }
  const actions = [s.status !== undefined, s.abort === true, s.reset === true].filter(Boolean).length;
  if (actions > 1) throw invalidFault(`${base}.status`, 'at most one of status, abort, reset', s.status);
  if (actions === 0 && s.delayMs === undefined) {
    throw invalidFault(`${base}.delayMs`, 'given when no status, abort or reset is', s.delayMs);
  }
}
