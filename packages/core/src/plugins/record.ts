/**
 * What the registry keeps per registered plugin.
 *
 * @module
 * @internal
 */
import type { PluginDefinition } from './define.js';
import type { PluginState } from './lifecycle.js';
import type { OperationQueue } from './queue.js';

/** One registered plugin. @internal */
export interface PluginRecord {
  /** Its definition. */
  readonly definition: PluginDefinition<unknown>;
  /** Registration order (1, 2, …); a plugin registered again after unload gets a new one. */
  readonly seq: number;
  /** Its lifecycle state. */
  state: PluginState;
  /** What `init` returned; undefined unless the state has an api. */
  api: unknown;
  /**
   * When it last went `ready → active` (a registry-wide counter), 0 when not running. A plugin starts
   * only after its requirements run, so among running plugins a dependent always has the larger number:
   * descending order is a reverse topological order, the order to stop in.
   */
  activation: number;
  /** Serializes the operations on this plugin. */
  readonly queue: OperationQueue;
  /** Aborted when shutdown abandons the plugin; hooks see it as `ctx.signal`. */
  readonly abort: AbortController;
}
