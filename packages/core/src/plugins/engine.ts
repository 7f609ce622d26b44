/**
 * The lifecycle engine behind the registry: applies transitions with their hooks, brings plugins up
 * through their requirements, and emits state events.
 *
 * @module
 * @internal
 */
import { EventEmitter } from 'eventemitter3';
import type { SystemError } from '../errors/index.js';
import type { PluginContext } from './define.js';
import { pluginErrors } from './errors.js';
import { keyId, type PluginKey } from './key.js';
import {
  PLUGIN_API_STATES,
  PLUGIN_RUNNING_STATES,
  type PluginHookName,
  type PluginOperation,
  type PluginState,
  transitionFor,
} from './lifecycle.js';
import type { PluginRecord } from './record.js';
import type { PluginStateChange } from './types.js';

/** Whether a state counts as running (`active` or `paused`). @internal */
export const isRunning = (s: PluginState): boolean => PLUGIN_RUNNING_STATES.includes(s);
/** Whether a plugin in this state has an api. @internal */
export const hasApi = (s: PluginState): boolean => PLUGIN_API_STATES.includes(s);

/**
 * The registry's records and the transitions over them. Every method that changes a plugin's state must
 * run inside that plugin's queue.
 *
 * @internal
 */
export class LifecycleEngine {
  /** The current record of each id (an unloaded one stays until the id is registered again). */
  readonly records = new Map<string, PluginRecord>();
  /** Where state events go. */
  readonly events = new EventEmitter<{ state: (change: PluginStateChange) => void }>();
  /** The activation counter (see {@link PluginRecord.activation}). */
  activations = 0;

  /**
   * The api of a plugin, or the error explaining why there is none.
   *
   * @param key - the plugin's key
   * @returns the api
   */
  api<Api>(key: PluginKey<Api>): Api {
    const id = keyId('key', key);
    const record = this.records.get(id);
    if (record === undefined) throw pluginErrors.MSYS_PLUGIN_NOT_FOUND({ id });
    if (!hasApi(record.state)) throw pluginErrors.MSYS_PLUGIN_NOT_AVAILABLE({ id, state: record.state });
    return record.api as Api;
  }

  ordered(): PluginRecord[] {
    return [...this.records.values()].sort((a, b) => a.seq - b.seq);
  }

  dependents(record: PluginRecord): PluginRecord[] {
    const id = record.definition.id;
    return this.ordered().filter((r) => r.definition.requires.some((d) => d.id === id));
  }

  /** The running plugins that depend on `record`, directly or not, most recently started first. */
  runningDependents(record: PluginRecord): PluginRecord[] {
    const found = new Set<PluginRecord>();
    const walk = (r: PluginRecord) => {
      for (const d of this.dependents(r)) {
        if (d.state === 'unloaded' || found.has(d)) continue;
        found.add(d);
        walk(d);
      }
    };
    walk(record);
    return [...found].filter((r) => isRunning(r.state)).sort((a, b) => b.activation - a.activation);
  }

  /** Brings a plugin up to `ready` (api) or `running`; called inside the plugin's own queue. */
  async bringUp(record: PluginRecord, target: 'ready' | 'running'): Promise<void> {
    await this.bringUpRequirements(record, target);
    if (record.state === 'loaded') await this.apply(record, 'init');
    if (target === 'running' && record.state === 'ready') await this.apply(record, 'start');
  }

  /**
   * Brings up the requirements, each through its own queue. Holding this plugin's queue while waiting
   * for a requirement's is deadlock-free: queues are only ever awaited from dependent to requirement,
   * and the graph walked was checked to be acyclic (stop does not hold a queue while it waits).
   */
  async bringUpRequirements(record: PluginRecord, target: 'ready' | 'running'): Promise<void> {
    for (const dep of record.definition.requires) {
      const required = this.records.get(dep.id);
      if (required === undefined || required.state === 'unloaded') {
        throw pluginErrors.MSYS_PLUGIN_MISSING_DEPENDENCY({ id: record.definition.id, dependency: dep.id });
      }
      await this.ensureUp(required, target, record.definition.id);
    }
  }

  ensureUp(record: PluginRecord, target: 'ready' | 'running', requiredBy: string | undefined): Promise<void> {
    return record.queue.run(async () => {
      const { state } = record;
      if (target === 'running' ? isRunning(state) : hasApi(state)) return;
      if (state === 'failed' || state === 'unloaded') {
        if (requiredBy === undefined) transitionFor(record.definition.id, state, 'start');
        throw pluginErrors.MSYS_PLUGIN_DEPENDENCY_UNAVAILABLE({
          id: requiredBy ?? record.definition.id,
          dependency: record.definition.id,
          state,
        });
      }
      await this.bringUp(record, target);
    });
  }

  /** Runs one transition of the table, with its hook; a throwing hook moves the plugin to `failed`. */
  async apply(record: PluginRecord, operation: PluginOperation): Promise<void> {
    const { id } = record.definition;
    const from = record.state;
    // `start` is only applied from `ready`: bringUp runs `init` first for a loaded plugin.
    const edge = transitionFor(id, from, operation);
    const hook: PluginHookName | undefined = edge.hook;
    if (hook !== undefined && record.definition[hook] !== undefined) {
      let api: unknown;
      try {
        api = await this.callHook(record, hook);
      } catch (cause) {
        if (record.state !== from) throw pluginErrors.MSYS_PLUGIN_REGISTRY_CLOSED({ operation });
        const error = pluginErrors.MSYS_PLUGIN_HOOK_FAILED({ id, hook, from }, { cause });
        this.commit(record, 'failed', error);
        throw error;
      }
      // shutdown may have abandoned the plugin while the hook ran; its outcome no longer counts.
      if (record.state !== from) throw pluginErrors.MSYS_PLUGIN_REGISTRY_CLOSED({ operation });
      if (hook === 'init') record.api = api;
    }
    if (edge.to === 'active' && from === 'ready') record.activation = ++this.activations;
    this.commit(record, edge.to);
  }

  callHook(record: PluginRecord, hook: PluginHookName): unknown {
    const { definition } = record;
    const get = <D>(key: PluginKey<D>): D => {
      const dependency = keyId('key', key);
      if (!definition.requires.some((d) => d.id === dependency)) {
        throw pluginErrors.MSYS_PLUGIN_UNDECLARED_DEPENDENCY({ id: definition.id, dependency });
      }
      return this.api(key);
    };
    const base = { id: definition.id, signal: record.abort.signal, get };
    if (hook === 'init') return definition.init(base);
    const ctx: PluginContext<unknown> = { ...base, api: record.api };
    return definition[hook]?.(ctx);
  }

  commit(record: PluginRecord, to: PluginState, error?: SystemError): void {
    const from = record.state;
    record.state = to;
    if (!hasApi(to)) record.api = undefined;
    if (!isRunning(to)) record.activation = 0;
    const change: PluginStateChange = {
      id: record.definition.id,
      from,
      to,
      ...(error === undefined ? {} : { error }),
    };
    try {
      this.events.emit('state', change);
    } catch (listenerError) {
      queueMicrotask(() => {
        throw listenerError;
      });
    }
  }
}
