/**
 * The error codes of the plugins module, declared once. Callers branch on `code`
 * (e.g. `pluginErrors.MSYS_PLUGIN_HOOK_FAILED.is(e)`), never on the message.
 *
 * @module
 */
import { defineErrors, type ErrorFactory } from '../errors/index.js';

/** Details of `MSYS_PLUGIN_INVALID_ARGUMENT`. */
export type PluginArgumentDetails = {
  /** The argument path, e.g. `spec.version`. */
  path: string;
  /** What would be accepted. */
  expected: string;
  /** A short description of the value received. */
  received: string;
};

/** Details of `MSYS_PLUGIN_INVALID_TRANSITION`. */
export type PluginTransitionDetails = {
  /** The plugin id. */
  id: string;
  /** The state the plugin was in. */
  state: string;
  /** The operation refused. */
  operation: string;
  /** The states from which the operation is accepted. */
  accepted: string[];
};

/** Details of `MSYS_PLUGIN_HOOK_FAILED`. */
export type PluginHookDetails = {
  /** The plugin id. */
  id: string;
  /** The hook that threw. */
  hook: string;
  /** The state the plugin was in when it threw. */
  from: string;
};

/** Details of `MSYS_PLUGIN_DEPENDENCY_CYCLE`. */
export type PluginCycleDetails = {
  /** The ids on the cycle, the first repeated at the end (`a → b → a`). */
  cycle: string[];
};

/** Details of `MSYS_PLUGIN_MISSING_DEPENDENCY` and `MSYS_PLUGIN_UNDECLARED_DEPENDENCY`. */
export type PluginDependencyDetails = {
  /** The plugin that needs the dependency. */
  id: string;
  /** The id of the dependency. */
  dependency: string;
};

/** Details of `MSYS_PLUGIN_VERSION_MISMATCH`. */
export type PluginVersionDetails = PluginDependencyDetails & {
  /** The range required. */
  range: string;
  /** The version registered. */
  version: string;
};

/** Details of `MSYS_PLUGIN_DEPENDENCY_UNAVAILABLE`. */
export type PluginUnavailableDetails = PluginDependencyDetails & {
  /** The dependency's state. */
  state: string;
};

/** Details of `MSYS_PLUGIN_DUPLICATE` and `MSYS_PLUGIN_NOT_AVAILABLE`. */
export type PluginStateDetails = {
  /** The plugin id. */
  id: string;
  /** Its state. */
  state: string;
};

/** Details of `MSYS_PLUGIN_NOT_FOUND`. */
export type PluginIdDetails = {
  /** The plugin id. */
  id: string;
};

/** Details of `MSYS_PLUGIN_IN_USE`. */
export type PluginInUseDetails = {
  /** The plugin id. */
  id: string;
  /** The plugins that still require it. */
  dependents: string[];
};

/** Details of `MSYS_PLUGIN_STOP_TIMEOUT`. */
export type PluginTimeoutDetails = {
  /** The plugin id. */
  id: string;
  /** The budget it overran. */
  timeoutMs: number;
};

/** Details of `MSYS_PLUGIN_REGISTRY_CLOSED`. */
export type RegistryClosedDetails = {
  /** The operation refused. */
  operation: string;
};

/** The error factories of the plugins module, one per code (see {@link pluginErrors}). */
export interface PluginErrors {
  /** Creates (does not throw) a `MSYS_PLUGIN_INVALID_ARGUMENT` error (category `validation`). */
  readonly MSYS_PLUGIN_INVALID_ARGUMENT: ErrorFactory<PluginArgumentDetails>;
  /** Creates (does not throw) a `MSYS_PLUGIN_INVALID_TRANSITION` error (category `state`). */
  readonly MSYS_PLUGIN_INVALID_TRANSITION: ErrorFactory<PluginTransitionDetails>;
  /** Creates (does not throw) a `MSYS_PLUGIN_HOOK_FAILED` error (category `state`). */
  readonly MSYS_PLUGIN_HOOK_FAILED: ErrorFactory<PluginHookDetails>;
  /** Creates (does not throw) a `MSYS_PLUGIN_DEPENDENCY_CYCLE` error (category `config`). */
  readonly MSYS_PLUGIN_DEPENDENCY_CYCLE: ErrorFactory<PluginCycleDetails>;
  /** Creates (does not throw) a `MSYS_PLUGIN_MISSING_DEPENDENCY` error (category `config`). */
  readonly MSYS_PLUGIN_MISSING_DEPENDENCY: ErrorFactory<PluginDependencyDetails>;
  /** Creates (does not throw) a `MSYS_PLUGIN_VERSION_MISMATCH` error (category `config`). */
  readonly MSYS_PLUGIN_VERSION_MISMATCH: ErrorFactory<PluginVersionDetails>;
  /** Creates (does not throw) a `MSYS_PLUGIN_DEPENDENCY_UNAVAILABLE` error (category `state`). */
  readonly MSYS_PLUGIN_DEPENDENCY_UNAVAILABLE: ErrorFactory<PluginUnavailableDetails>;
  /** Creates (does not throw) a `MSYS_PLUGIN_DUPLICATE` error (category `state`). */
  readonly MSYS_PLUGIN_DUPLICATE: ErrorFactory<PluginStateDetails>;
  /** Creates (does not throw) a `MSYS_PLUGIN_NOT_FOUND` error (category `state`). */
  readonly MSYS_PLUGIN_NOT_FOUND: ErrorFactory<PluginIdDetails>;
  /** Creates (does not throw) a `MSYS_PLUGIN_NOT_AVAILABLE` error (category `state`). */
  readonly MSYS_PLUGIN_NOT_AVAILABLE: ErrorFactory<PluginStateDetails>;
  /** Creates (does not throw) a `MSYS_PLUGIN_IN_USE` error (category `state`). */
  readonly MSYS_PLUGIN_IN_USE: ErrorFactory<PluginInUseDetails>;
  /** Creates (does not throw) a `MSYS_PLUGIN_UNDECLARED_DEPENDENCY` error (category `validation`). */
  readonly MSYS_PLUGIN_UNDECLARED_DEPENDENCY: ErrorFactory<PluginDependencyDetails>;
  /** Creates (does not throw) a `MSYS_PLUGIN_STOP_TIMEOUT` error (category `timeout`). */
  readonly MSYS_PLUGIN_STOP_TIMEOUT: ErrorFactory<PluginTimeoutDetails>;
  /** Creates (does not throw) a `MSYS_PLUGIN_REGISTRY_CLOSED` error (category `state`). */
  readonly MSYS_PLUGIN_REGISTRY_CLOSED: ErrorFactory<RegistryClosedDetails>;
}

/**
 * Factories for every error the plugins module throws, keyed by code.
 *
 * @example
 * ```ts
 * try {
 *   await registry.startAll();
 * } catch (e) {
 *   if (pluginErrors.MSYS_PLUGIN_DEPENDENCY_CYCLE.is(e)) console.error(e.details.cycle.join(' → '));
 *   else throw e;
 * }
 * ```
 */
export const pluginErrors: PluginErrors = defineErrors({
  MSYS_PLUGIN_INVALID_ARGUMENT: {
    category: 'validation',
    message: (d: PluginArgumentDetails) => `${d.path} must be ${d.expected}, received ${d.received}`,
  },
  MSYS_PLUGIN_INVALID_TRANSITION: {
    category: 'state',
    message: (d: PluginTransitionDetails) =>
      `plugin ${d.id}: cannot ${d.operation} while ${d.state}` +
      (d.accepted.length === 0 ? '' : `; ${d.operation} is accepted from ${d.accepted.join(', ')}`),
  },
  MSYS_PLUGIN_HOOK_FAILED: {
    category: 'state',
    message: (d: PluginHookDetails) =>
      `plugin ${d.id}: its ${d.hook} hook threw while ${d.from}; the plugin is now failed (unload it to clear)`,
  },
  MSYS_PLUGIN_DEPENDENCY_CYCLE: {
    category: 'config',
    message: (d: PluginCycleDetails) =>
      `plugin dependencies form a cycle: ${d.cycle.join(' → ')}; remove one of these requires`,
  },
  MSYS_PLUGIN_MISSING_DEPENDENCY: {
    category: 'config',
    message: (d: PluginDependencyDetails) =>
      `plugin ${d.id} requires ${d.dependency}, which is not registered; register it first`,
  },
  MSYS_PLUGIN_VERSION_MISMATCH: {
    category: 'config',
    message: (d: PluginVersionDetails) =>
      `plugin ${d.id} requires ${d.dependency}@${d.range}, but ${d.dependency}@${d.version} is registered`,
  },
  MSYS_PLUGIN_DEPENDENCY_UNAVAILABLE: {
    category: 'state',
    message: (d: PluginUnavailableDetails) =>
      `plugin ${d.id} needs ${d.dependency}, which is ${d.state}; unload and register it again`,
  },
  MSYS_PLUGIN_DUPLICATE: {
    category: 'state',
    message: (d: PluginStateDetails) =>
      `a plugin with id ${d.id} is already registered (${d.state}); unload it before registering another`,
  },
  MSYS_PLUGIN_NOT_FOUND: {
    category: 'state',
    message: (d: PluginIdDetails) => `no plugin with id ${d.id} is registered`,
  },
  MSYS_PLUGIN_NOT_AVAILABLE: {
    category: 'state',
    message: (d: PluginStateDetails) =>
      `plugin ${d.id} has no api while ${d.state}; its api exists once ready, active or paused`,
  },
  MSYS_PLUGIN_IN_USE: {
    category: 'state',
    message: (d: PluginInUseDetails) =>
      `plugin ${d.id} is required by ${d.dependents.join(', ')}; unload those first`,
  },
  MSYS_PLUGIN_UNDECLARED_DEPENDENCY: {
    category: 'validation',
    message: (d: PluginDependencyDetails) =>
      `plugin ${d.id} asked for ${d.dependency}, which is not in its requires; declare it there`,
  },
  MSYS_PLUGIN_STOP_TIMEOUT: {
    category: 'timeout',
    message: (d: PluginTimeoutDetails) =>
      `plugin ${d.id} did not stop within ${d.timeoutMs} ms; it was abandoned`,
  },
  MSYS_PLUGIN_REGISTRY_CLOSED: {
    category: 'state',
    message: (d: RegistryClosedDetails) => `cannot ${d.operation}: the plugin registry has been shut down`,
  },
});
