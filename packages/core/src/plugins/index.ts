/**
 * Plugins: typed keys, definitions with lifecycle hooks, and a registry that runs them in dependency
 * order, serializes the operations on each plugin and shuts everything down within a time budget.
 *
 * @example
 * ```ts
 * import { createPluginKey, definePlugin, PluginRegistry } from '@msys/core/plugins';
 *
 * interface Clock { now(): number }
 * const ClockKey = createPluginKey<Clock>('acme.clock');
 * const clock = definePlugin({ id: ClockKey, version: '1.0.0', kind: 'time', init: () => ({ now: Date.now }) });
 *
 * const registry = new PluginRegistry();
 * registry.register(clock);
 * await registry.startAll();
 * registry.get(ClockKey).now(); // typed: Clock
 * ```
 *
 * @module
 */
export {
  definePlugin,
  isPluginDefinition,
  type PluginContext,
  type PluginDefinition,
  type PluginDependency,
  type PluginInitContext,
  type PluginRequirement,
  type PluginSpec,
} from './define.js';
export {
  type PluginArgumentDetails,
  type PluginCycleDetails,
  type PluginDependencyDetails,
  type PluginErrors,
  type PluginHookDetails,
  type PluginIdDetails,
  type PluginInUseDetails,
  type PluginStateDetails,
  type PluginTimeoutDetails,
  type PluginTransitionDetails,
  type PluginUnavailableDetails,
  type PluginVersionDetails,
  pluginErrors,
  type RegistryClosedDetails,
} from './errors.js';
export { createPluginKey, PLUGIN_ID_MAX_LENGTH, PLUGIN_ID_PATTERN, type PluginKey } from './key.js';
export {
  canPluginTransition,
  PLUGIN_API_STATES,
  PLUGIN_RUNNING_STATES,
  PLUGIN_TRANSITIONS,
  type PluginHookName,
  type PluginOperation,
  type PluginState,
  type PluginTransition,
} from './lifecycle.js';
export { PluginRegistry } from './registry.js';
export type { ShutdownOptions, ShutdownReport } from './shutdown.js';
export type {
  PluginInfo,
  PluginQuery,
  PluginRegistryOptions,
  PluginStateChange,
  RegistryClock,
} from './types.js';
