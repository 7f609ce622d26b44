/**
 * Call faults on wrapped functions. The wrapper's fast path — no fault acting on the target — is two
 * counter increments, one array-length test and the original call: no closure, no allocation.
 *
 * @module
 */
import type { ActiveFault } from './active-fault.js';
import { chaosErrors, invalidOption } from './errors.js';
import type { CorruptFault, ErrorFault } from './faults.js';
import type { EngineInternals, Firing } from './internal.js';
import type { TargetState } from './targets.js';

/** Options of {@link ChaosEngine.wrap}. */
export interface WrapOptions<A extends unknown[]> {
  /** The target's name: what `inject(…, { target })` and selectors refer to. */
  readonly target: string;
  /** Tags that selectors can match. */
  readonly tags?: readonly string[];
  /**
   * Finds the caller's AbortSignal among the arguments (a `timeout` fault waits for it).
   * Default: the last argument that is an AbortSignal or has a `signal` property holding one.
   */
  readonly signal?: (args: A) => AbortSignal | undefined;
}

/** A wrapped async function: same parameters, and a Promise of the same result. */
export type Wrapped<F extends (...args: never[]) => unknown> = (
  ...args: Parameters<F>
) => Promise<Awaited<ReturnType<F>>>;

function findSignal(args: readonly unknown[]): AbortSignal | undefined {
  for (let i = args.length - 1; i >= 0; i--) {
    const a = args[i];
    if (a instanceof AbortSignal) return a;
    if (typeof a === 'object' && a !== null && (a as { signal?: unknown }).signal instanceof AbortSignal) {
      return (a as { signal: AbortSignal }).signal;
    }
  }
  return undefined;
}

/** @internal */
export function wrapCall<F extends (...args: never[]) => unknown>(
  engine: EngineInternals,
  fn: F,
  options: WrapOptions<Parameters<F>>,
): Wrapped<F> {
  if (typeof fn !== 'function') throw invalidOption('fn', 'a function', fn);
  if (typeof options !== 'object' || options === null)
    throw invalidOption('options', '{ target, tags? }', options);
  if (typeof options.target !== 'string' || options.target.length === 0) {
    throw invalidOption('options.target', 'a non-empty string', options.target);
  }
  const tags = options.tags ?? [];
  if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string')) {
    throw invalidOption('options.tags', 'an array of strings', options.tags);
  }
  if (options.signal !== undefined && typeof options.signal !== 'function') {
    throw invalidOption('options.signal', 'a function (args) => AbortSignal | undefined', options.signal);
  }
  const target = engine.register(options.target, 'call', tags);
  const stats = engine.stats;
  const signalOf = (options.signal ?? findSignal) as (args: readonly unknown[]) => AbortSignal | undefined;
  const apply = Function.prototype.apply as (this: F, thisArg: unknown, args: unknown) => unknown;
  return function wrapped(this: unknown) {
    const call = target.calls++;
    stats.calls++;
    if (target.callFaults.length === 0 && target.replayed === undefined) {
      // biome-ignore lint/complexity/noArguments: forwarding `arguments` avoids allocating a rest array per call
      return apply.call(fn, this, arguments);
    }
    const firing = engine.decide(target, call, target.callFaults, true);
    // biome-ignore lint/complexity/noArguments: see above
    if (firing === undefined) return apply.call(fn, this, arguments);
    // biome-ignore lint/complexity/noArguments: a firing fault copies the arguments once
    const args = Array.prototype.slice.call(arguments) as unknown[];
    return runFaulted(engine, target, firing, fn, this, args, signalOf(args));
  } as Wrapped<F>;
}

async function runFaulted(
  engine: EngineInternals,
  target: TargetState,
  firing: readonly Firing[],
  fn: (...args: never[]) => unknown,
  thisArg: unknown,
  args: unknown[],
  signal: AbortSignal | undefined,
): Promise<unknown> {
  let delay = 0;
  let terminal: ActiveFault | undefined;
  const corruptions: CorruptFault[] = [];
  for (const { fault, value } of firing) {
    if (fault.kind === 'latency') delay += value ?? 0;
    else if (fault.kind === 'corrupt') corruptions.push(fault.fault as CorruptFault);
    else terminal ??= fault;
  }
  if (delay > 0) await engine.clock.sleep(delay, signal);
  if (terminal !== undefined) {
    const details = { target: target.name, fault: terminal.id };
    if (terminal.kind === 'error') throw injectedError(terminal.fault as ErrorFault, details);
    if (terminal.kind === 'abort') {
      const error = chaosErrors.MSYS_CHAOS_CALL_ABORTED(details);
      error.name = 'AbortError';
      throw error;
    }
    // timeout: hang until the caller gives up; a revert releases the call to the real function.
    await new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => reject(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      void terminal.reverted.then(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }
  let result: unknown = await (fn as (...a: unknown[]) => unknown).apply(thisArg, args);
  for (const c of corruptions) result = c.transform(result);
  return result;
}

function injectedError(fault: ErrorFault, details: { target: string; fault: string }): Error {
  const e = fault.error;
  if (e instanceof Error) return e;
  const error = chaosErrors.MSYS_CHAOS_INJECTED_ERROR(details);
  if (e?.code === undefined && e?.message === undefined) return error;
  return Object.assign(error, {
    ...(e.code === undefined ? {} : { code: e.code }),
    ...(e.message === undefined ? {} : { message: e.message }),
  });
}
