/**
 * HTTP faults for `fetch`: an undici Dispatcher that matches each request against the `http` faults
 * of its target (origin, path prefix, method) and delays it, answers it with a status, aborts it or
 * resets its connection — otherwise hands it to the real dispatcher unchanged.
 *
 * @module
 */
import { constants } from 'node:os';
import { Agent, Dispatcher } from 'undici';
import type { ActiveFault, FaultHandle } from '../active-fault.js';
import type { ChaosEngine } from '../engine.js';
import { invalidOption } from '../errors.js';
import { type HttpFault, validateFault } from '../faults.js';
import type { EngineInternals } from '../internal.js';
import type { TargetState } from '../targets.js';

/** One rule of {@link ChaosEngine.fetchDispatcher}: an HTTP fault without its `kind`, and how often. */
export type HttpRule = Omit<HttpFault, 'kind'> & {
  /** The chance that a matching request is affected; default 1. */
  readonly probability?: number;
  /** Revert the rule after this many ms. */
  readonly durationMs?: number;
};

/** Options of {@link ChaosEngine.fetchDispatcher}. */
export interface FetchDispatcherOptions {
  /** The target name of this dispatcher; default `fetch`. */
  readonly name?: string;
  /** The dispatcher that sends unaffected requests; default a new undici Agent. */
  readonly dispatcher?: Dispatcher;
}

type Handler = Dispatcher.DispatchHandler & Record<string, unknown>;
type Callback = (...args: unknown[]) => unknown;

function matchesRequest(f: HttpFault, origin: string, path: string, method: string): boolean {
  if (f.origin !== undefined && new URL(f.origin).origin !== origin) return false;
  if (f.path !== undefined && !path.startsWith(f.path)) return false;
  if (f.method !== undefined && f.method.toUpperCase() !== method) return false;
  return true;
}

function resetError(): Error {
  return Object.assign(new Error('read ECONNRESET'), {
    code: 'ECONNRESET',
    errno: -(constants.errno.ECONNRESET ?? 104),
    syscall: 'read',
  });
}

/** A fetch dispatcher with faults. Pass it as `fetch(url, { dispatcher })` or `setGlobalDispatcher`. */
export class ChaosDispatcher extends Dispatcher {
  /** The dispatcher's target name. */
  readonly name: string;
  /** The handles of the rules given at creation. */
  readonly rules: readonly FaultHandle[];
  readonly #engine: EngineInternals;
  readonly #target: TargetState;
  readonly #inner: Dispatcher;
  readonly #ownsInner: boolean;
  #unregister: () => void = () => {};

  /** @internal */
  constructor(engine: EngineInternals, options: FetchDispatcherOptions) {
    super();
    this.name = options.name ?? 'fetch';
    this.#engine = engine;
    this.#target = engine.register(this.name, 'fetch', []);
    this.#ownsInner = options.dispatcher === undefined;
    this.#inner = options.dispatcher ?? new Agent();
    this.rules = [];
    this.#unregister = engine.addCloser(() => this.close());
  }

  /** @internal */
  setRules(rules: readonly FaultHandle[]): void {
    (this as { rules: readonly FaultHandle[] }).rules = rules;
  }

  /**
   * Sends a request through the faults of this dispatcher's target.
   *
   * @param options - undici dispatch options
   * @param handler - undici dispatch handler
   * @returns whether more requests may be dispatched now
   */
  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const faults = this.#target.httpFaults;
    if (faults.length === 0) return this.#inner.dispatch(options, handler);
    const origin =
      typeof options.origin === 'string' ? new URL(options.origin).origin : (options.origin?.origin ?? '');
    const method = String(options.method).toUpperCase();
    const matching: ActiveFault[] = faults.filter((f) =>
      matchesRequest(f.fault as HttpFault, origin, options.path, method),
    );
    const index = this.#target.calls++;
    const firing =
      matching.length === 0 ? undefined : this.#engine.decide(this.#target, index, matching, false);
    if (firing === undefined) return this.#inner.dispatch(options, handler);
    let delay = 0;
    let action: HttpFault | undefined;
    for (const { fault } of firing) {
      const spec = fault.fault as HttpFault;
      delay += spec.delayMs ?? 0;
      if (action === undefined && (spec.status !== undefined || spec.abort || spec.reset)) action = spec;
    }
    const act = () => {
      if (action === undefined) this.#inner.dispatch(options, handler);
      else respond(handler as Handler, action);
    };
    if (delay > 0) {
      void this.#engine.clock.sleep(delay).then(act, (e: unknown) => fail(handler as Handler, e as Error));
    } else queueMicrotask(act);
    return true;
  }

  /**
   * Closes the wrapped Agent when the dispatcher created it. Idempotent.
   *
   * @returns when closed
   */
  override async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#unregister();
    if (this.#ownsInner) await this.#inner.close();
  }

  /**
   * Destroys the wrapped Agent when the dispatcher created it. Idempotent.
   *
   * @returns when destroyed
   */
  override async destroy(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#unregister();
    if (this.#ownsInner) await this.#inner.destroy();
  }

  #closed = false;
}

function call(handler: Handler, name: string, ...args: unknown[]): unknown {
  const fn = handler[name];
  return typeof fn === 'function' ? (fn as Callback).apply(handler, args) : undefined;
}

function fail(handler: Handler, error: Error): void {
  if (typeof handler.onResponseError === 'function') call(handler, 'onResponseError', controller(), error);
  else call(handler, 'onError', error);
}

function controller() {
  return { abort() {}, pause() {}, resume() {}, paused: false, aborted: false, reason: null };
}

function respond(handler: Handler, action: HttpFault): void {
  if (action.abort) {
    fail(handler, new DOMException('The operation was aborted by an injected fault.', 'AbortError'));
    return;
  }
  if (action.reset) {
    fail(handler, resetError());
    return;
  }
  const status = action.status ?? 500;
  const body = Buffer.from(action.body ?? '');
  const headers = {
    'content-type': 'text/plain',
    'content-length': String(body.length),
    'x-chaos-fault': 'status',
  };
  if (typeof handler.onResponseStart === 'function') {
    const c = controller();
    call(handler, 'onRequestStart', c, {});
    call(handler, 'onResponseStart', c, status, headers, '');
    if (body.length > 0) call(handler, 'onResponseData', c, body);
    call(handler, 'onResponseEnd', c, {});
    return;
  }
  call(handler, 'onConnect', () => {});
  const raw = Object.entries(headers).flatMap(([k, v]) => [Buffer.from(k), Buffer.from(v)]);
  call(handler, 'onHeaders', status, raw, () => {}, '');
  if (body.length > 0) call(handler, 'onData', body);
  call(handler, 'onComplete', []);
}

/** @internal */
export function validateRules(rules: unknown): HttpRule[] {
  if (rules === undefined) return [];
  if (!Array.isArray(rules)) throw invalidOption('rules', 'an array of HTTP rules', rules);
  return rules as HttpRule[];
}

/** @internal */
export function createFetchDispatcher(
  engine: Pick<ChaosEngine, 'inject'>,
  internals: EngineInternals,
  rules: readonly HttpRule[] | undefined,
  options: FetchDispatcherOptions,
): ChaosDispatcher {
  const list = validateRules(rules);
  const dispatcher = new ChaosDispatcher(internals, options);
  const handles: FaultHandle[] = [];
  try {
    list.forEach((rule, i) => {
      const { probability, durationMs, ...spec } = rule;
      validateFault({ kind: 'http', ...spec }, `rules[${i}]`);
      handles.push(
        engine.inject(
          { kind: 'http', ...spec },
          {
            target: dispatcher.name,
            ...(probability === undefined ? {} : { probability }),
            ...(durationMs === undefined ? {} : { durationMs }),
          },
        ),
      );
    });
  } catch (error) {
    for (const h of handles) void h.revert();
    void dispatcher.close();
    throw error;
  }
  dispatcher.setRules(handles);
  return dispatcher;
}
