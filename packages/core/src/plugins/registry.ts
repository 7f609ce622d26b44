/**
 * The plugin registry: registers definitions, moves plugins through their lifecycle in dependency
 * order, serves their typed apis and shuts everything down.
 *
 * @module
 */
import { describeValue, type SystemError } from '../errors/index.js';
import { isPluginDefinition, type PluginDefinition } from './define.js';
import { hasApi, isRunning, LifecycleEngine } from './engine.js';
import { pluginErrors } from './errors.js';
import { checkBringUp, type GraphNode } from './graph.js';
import { keyId, type PluginKey } from './key.js';
import { type PluginOperation, type PluginState, transitionFor } from './lifecycle.js';
import { OperationQueue } from './queue.js';
import type { PluginRecord } from './record.js';
import { runShutdown, type ShutdownOptions, type ShutdownReport } from './shutdown.js';
import type {
  PluginInfo,
  PluginQuery,
  PluginRegistryOptions,
  PluginStateChange,
  RegistryClock,
} from './types.js';

const realClock: RegistryClock = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Holds plugins and runs their lifecycle (see `PLUGIN_TRANSITIONS` for the state machine).
 *
 * - Operations on one plugin are queued and run one at a time, in call order; operations on different
 *   plugins run concurrently. An operation's own state check runs when its turn comes, so
 *   `start(a); pause(a)` called back to back is valid.
 * - `init`, `start` and `startAll` first check every plugin they would bring up — missing dependency,
 *   unsatisfied range, failed dependency, cycle — and throw before any hook runs. Then they bring up
 *   requirements depth-first in declaration order (a topological order), each through its own queue.
 * - `stop` first stops the running plugins that depend on the target, most recently started first,
 *   then the target; `shutdown` does the same for everything.
 *
 * @example
 * ```ts
 * const registry = new PluginRegistry();
 * registry.on('state', ({ id, from, to }) => log.info({ id, from, to }, 'plugin state'));
 * registry.register(storage);
 * registry.register(cache); // requires storage
 * await registry.startAll(); // storage, then cache
 * const api = registry.get(cache); // typed
 * const report = await registry.shutdown({ timeoutMs: 5_000 }); // cache, then storage
 * ```
 */
export class PluginRegistry {
  readonly #engine = new LifecycleEngine();
  readonly #records = this.#engine.records;
  readonly #clock: RegistryClock;
  #registrations = 0;
  #shutdown: Promise<ShutdownReport> | undefined;

  /**
   * @param options - the clock for shutdown timeouts
   * @throws SystemError `MSYS_PLUGIN_INVALID_ARGUMENT` when `options.clock` lacks setTimeout/clearTimeout
   */
  constructor(options: PluginRegistryOptions = {}) {
    const clock = options.clock ?? realClock;
    if (typeof clock?.setTimeout !== 'function' || typeof clock.clearTimeout !== 'function') {
      throw pluginErrors.MSYS_PLUGIN_INVALID_ARGUMENT({
        path: 'options.clock',
        expected: 'an object with setTimeout(fn, ms) and clearTimeout(handle)',
        received: describeValue(clock),
      });
    }
    this.#clock = clock;
  }

  /**
   * Adds a plugin in state `loaded`. An id whose plugin was unloaded may be registered again.
   *
   * @param definition - a definition from `definePlugin`
   * @returns the definition, as the plugin's key
   * @throws SystemError `MSYS_PLUGIN_INVALID_ARGUMENT` for anything but a definition,
   *   `MSYS_PLUGIN_DUPLICATE` when the id is taken by a plugin that is not unloaded,
   *   `MSYS_PLUGIN_REGISTRY_CLOSED` after `shutdown`
   */
  register<Api>(definition: PluginDefinition<Api>): PluginKey<Api> {
    this.#assertOpen('register');
    if (!isPluginDefinition(definition)) {
      throw pluginErrors.MSYS_PLUGIN_INVALID_ARGUMENT({
        path: 'definition',
        expected: 'a plugin definition created by definePlugin',
        received: describeValue(definition),
      });
    }
    const existing = this.#records.get(definition.id);
    if (existing !== undefined && existing.state !== 'unloaded') {
      throw pluginErrors.MSYS_PLUGIN_DUPLICATE({ id: definition.id, state: existing.state });
    }
    this.#records.set(definition.id, {
      definition,
      seq: ++this.#registrations,
      state: 'loaded',
      api: undefined,
      activation: 0,
      queue: new OperationQueue(),
      abort: new AbortController(),
    });
    return definition;
  }

  /**
   * The api of a plugin that is ready, active or paused. This is the hot path: one map lookup.
   *
   * @param key - the plugin's key or definition
   * @returns its api, typed by the key
   * @throws SystemError `MSYS_PLUGIN_NOT_FOUND` for an unknown id, `MSYS_PLUGIN_NOT_AVAILABLE` when the
   *   plugin has no api (loaded, failed or unloaded)
   */
  get<Api>(key: PluginKey<Api>): Api {
    const record = this.#records.get(key?.id);
    if (record !== undefined && hasApi(record.state)) return record.api as Api;
    return this.#engine.api(key); // throws the reason: unknown id or no api in this state
  }

  /**
   * Like {@link PluginRegistry.get}, but undefined instead of an error when there is no api.
   *
   * @param key - the plugin's key or definition
   * @returns its api, or undefined
   */
  tryGet<Api>(key: PluginKey<Api>): Api | undefined {
    const record = this.#records.get(key?.id);
    return record !== undefined && hasApi(record.state) ? (record.api as Api) : undefined;
  }

  /**
   * Whether a plugin with this id is registered and not unloaded.
   *
   * @param key - a key, a definition or an id
   * @returns true when present
   */
  has(key: PluginKey<unknown> | string): boolean {
    const record = this.#records.get(typeof key === 'string' ? key : key?.id);
    return record !== undefined && record.state !== 'unloaded';
  }

  /**
   * The current state of a plugin.
   *
   * @param key - a key, a definition or an id
   * @returns the state (`unloaded` for an unloaded plugin that was not registered again)
   * @throws SystemError `MSYS_PLUGIN_NOT_FOUND` for an id never registered
   */
  state(key: PluginKey<unknown> | string): PluginState {
    return this.#record(key).state;
  }

  /**
   * What the registry knows about one plugin.
   *
   * @param key - a key, a definition or an id
   * @returns id, version, kind, capabilities, requirements and state
   * @throws SystemError `MSYS_PLUGIN_NOT_FOUND` for an id never registered
   */
  info(key: PluginKey<unknown> | string): PluginInfo {
    return describe(this.#record(key));
  }

  /**
   * Discovery: the plugins (not unloaded) that match every given field, in registration order.
   *
   * @param query - kind, capability and/or state; `{}` lists every plugin
   * @returns the matching plugins
   * @example
   * ```ts
   * for (const { id } of registry.find({ capability: 'kv.write', state: 'active' })) console.log(id);
   * ```
   */
  find(query: PluginQuery = {}): PluginInfo[] {
    const out: PluginInfo[] = [];
    for (const record of this.#engine.ordered()) {
      const { kind, capabilities } = record.definition;
      if (record.state === 'unloaded') continue;
      if (query.kind !== undefined && kind !== query.kind) continue;
      if (query.capability !== undefined && !capabilities.includes(query.capability)) continue;
      if (query.state !== undefined && record.state !== query.state) continue;
      out.push(describe(record));
    }
    return out;
  }

  /**
   * Runs `init` (`loaded → ready`), first initializing the requirements that are still loaded.
   *
   * @param key - the plugin
   * @throws SystemError `MSYS_PLUGIN_INVALID_TRANSITION`, a graph error (missing, version, failed
   *   dependency, cycle) before any hook runs, or `MSYS_PLUGIN_HOOK_FAILED` with the hook's error as cause
   */
  async init(key: PluginKey<unknown>): Promise<void> {
    const record = this.#begin(key, 'init');
    checkBringUp([graphNode(record)], (id) => this.#lookup(id), hasApi);
    await record.queue.run(async () => {
      transitionFor(record.definition.id, record.state, 'init');
      await this.#engine.bringUpRequirements(record, 'ready');
      await this.#engine.apply(record, 'init');
    });
  }

  /**
   * Starts a plugin (`loaded`/`ready → active`), first starting its requirements in dependency order.
   *
   * @param key - the plugin
   * @throws SystemError `MSYS_PLUGIN_INVALID_TRANSITION`, a graph error (missing, version, failed
   *   dependency, cycle) before any hook runs, or `MSYS_PLUGIN_HOOK_FAILED` with the hook's error as cause
   */
  async start(key: PluginKey<unknown>): Promise<void> {
    const record = this.#begin(key, 'start');
    checkBringUp([graphNode(record)], (id) => this.#lookup(id), isRunning);
    await record.queue.run(async () => {
      transitionFor(record.definition.id, record.state, 'start');
      await this.#engine.bringUp(record, 'running');
    });
  }

  /**
   * Starts every loaded or ready plugin, in registration order, each after its requirements. The whole
   * graph is checked first; the first hook failure stops the walk (plugins already started stay active).
   *
   * @throws SystemError a graph error before any hook runs, or `MSYS_PLUGIN_HOOK_FAILED`
   */
  async startAll(): Promise<void> {
    this.#assertOpen('startAll');
    const roots = this.#engine.ordered().filter((r) => r.state === 'loaded' || r.state === 'ready');
    checkBringUp(roots.map(graphNode), (id) => this.#lookup(id), isRunning);
    for (const record of roots) await this.#engine.ensureUp(record, 'running', undefined);
  }

  /**
   * Pauses an active plugin (`active → paused`). Dependents are not touched.
   *
   * @param key - the plugin
   * @throws SystemError `MSYS_PLUGIN_INVALID_TRANSITION` or `MSYS_PLUGIN_HOOK_FAILED`
   */
  async pause(key: PluginKey<unknown>): Promise<void> {
    const record = this.#begin(key, 'pause');
    await record.queue.run(() => this.#engine.apply(record, 'pause'));
  }

  /**
   * Resumes a paused plugin (`paused → active`).
   *
   * @param key - the plugin
   * @throws SystemError `MSYS_PLUGIN_INVALID_TRANSITION` or `MSYS_PLUGIN_HOOK_FAILED`
   */
  async resume(key: PluginKey<unknown>): Promise<void> {
    const record = this.#begin(key, 'resume');
    await record.queue.run(() => this.#engine.apply(record, 'resume'));
  }

  /**
   * Stops a running plugin (`active`/`paused → ready`), first stopping the running plugins that depend
   * on it, most recently started first. The api is kept: a later `start` does not run `init` again.
   *
   * @param key - the plugin
   * @throws SystemError `MSYS_PLUGIN_INVALID_TRANSITION`, `MSYS_PLUGIN_HOOK_FAILED` (of the plugin or a
   *   dependent; the walk stops there), or `MSYS_PLUGIN_IN_USE` when a dependent was started meanwhile
   */
  async stop(key: PluginKey<unknown>): Promise<void> {
    const record = this.#begin(key, 'stop');
    for (const dependent of this.#engine.runningDependents(record)) {
      await dependent.queue.run(() =>
        isRunning(dependent.state) ? this.#engine.apply(dependent, 'stop') : undefined,
      );
    }
    await record.queue.run(async () => {
      transitionFor(record.definition.id, record.state, 'stop');
      const running = this.#engine.runningDependents(record);
      if (running.length > 0) throw inUse(record, running);
      await this.#engine.apply(record, 'stop');
    });
  }

  /**
   * Unloads a plugin (a running one runs its `stop` hook first); its api is dropped and its id may be
   * registered again.
   *
   * @param key - the plugin
   * @throws SystemError `MSYS_PLUGIN_INVALID_TRANSITION`, `MSYS_PLUGIN_IN_USE` while a plugin that is not
   *   unloaded requires it, or `MSYS_PLUGIN_HOOK_FAILED`
   */
  async unload(key: PluginKey<unknown>): Promise<void> {
    const record = this.#begin(key, 'unload');
    await record.queue.run(async () => {
      transitionFor(record.definition.id, record.state, 'unload');
      const dependents = this.#engine.dependents(record).filter((r) => r.state !== 'unloaded');
      if (dependents.length > 0) throw inUse(record, dependents);
      await this.#engine.apply(record, 'unload');
    });
  }

  /**
   * Stops and unloads every plugin — running ones in reverse start order (dependents before their
   * requirements), then the rest — and closes the registry. Each plugin gets `timeoutMs` (counted from
   * its turn, including any operation still queued on it); one that overruns is abandoned: its signal is
   * aborted, it goes `failed → unloaded`, and shutdown moves on. Calling it again returns the same report.
   *
   * @param options - `timeoutMs` per plugin (default 10 000)
   * @returns the ids stopped cleanly, those that overran and those whose stop hook threw
   * @throws SystemError `MSYS_PLUGIN_INVALID_ARGUMENT` for a timeout that is not a positive number
   * @example
   * ```ts
   * const { timedOut, failed } = await registry.shutdown({ timeoutMs: 2_000 });
   * if (timedOut.length + failed.length > 0) log.warn({ timedOut, failed }, 'unclean plugin shutdown');
   * ```
   */
  shutdown(options: ShutdownOptions = {}): Promise<ShutdownReport> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || !Number.isFinite(timeoutMs)) {
      return Promise.reject(
        pluginErrors.MSYS_PLUGIN_INVALID_ARGUMENT({
          path: 'options.timeoutMs',
          expected: 'a positive finite number of milliseconds',
          received: describeValue(timeoutMs),
        }),
      );
    }
    this.#shutdown ??= runShutdown(this.#engine.ordered(), {
      timeoutMs,
      clock: this.#clock,
      unload: (record) => this.#engine.apply(record, 'unload'),
      commit: (record, to, error) => this.#engine.commit(record, to, error),
    });
    return this.#shutdown;
  }

  /**
   * Listens to state events (emitted synchronously at each transition). A listener that throws does not
   * disturb the registry: its error is rethrown on a later microtask (an uncaught exception).
   *
   * @param event - `state`
   * @param listener - receives `{ id, from, to, error? }`
   * @returns this registry
   */
  on(event: 'state', listener: (change: PluginStateChange) => void): this {
    this.#engine.events.on(event, listener);
    return this;
  }

  /**
   * Removes a listener added with {@link PluginRegistry.on}.
   *
   * @param event - `state`
   * @param listener - the listener
   * @returns this registry
   */
  off(event: 'state', listener: (change: PluginStateChange) => void): this {
    this.#engine.events.off(event, listener);
    return this;
  }

  #assertOpen(operation: string): void {
    if (this.#shutdown !== undefined) throw pluginErrors.MSYS_PLUGIN_REGISTRY_CLOSED({ operation });
  }

  #record(key: PluginKey<unknown> | string): PluginRecord {
    const id = typeof key === 'string' ? key : keyId('key', key);
    const record = this.#records.get(id);
    if (record === undefined) throw pluginErrors.MSYS_PLUGIN_NOT_FOUND({ id });
    return record;
  }

  /** Common prologue: open registry, known plugin, and — when nothing is queued — a valid transition. */
  #begin(key: PluginKey<unknown>, operation: PluginOperation): PluginRecord {
    this.#assertOpen(operation);
    const record = this.#record(key);
    if (record.queue.idle) transitionFor(record.definition.id, record.state, operation);
    return record;
  }

  #lookup(id: string): GraphNode | undefined {
    const record = this.#records.get(id);
    return record === undefined ? undefined : graphNode(record);
  }
}

function graphNode(record: PluginRecord): GraphNode {
  const { id, version, requires } = record.definition;
  return { id, version, requires, state: record.state };
}

function describe(record: PluginRecord): PluginInfo {
  const { id, version, kind, capabilities, requires } = record.definition;
  return { id, version, kind, capabilities, requires, state: record.state };
}

function inUse(record: PluginRecord, dependents: readonly PluginRecord[]): SystemError {
  return pluginErrors.MSYS_PLUGIN_IN_USE({
    id: record.definition.id,
    dependents: dependents.map((r) => r.definition.id),
  });
}
