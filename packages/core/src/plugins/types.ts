/**
 * The public types of the registry: state events, plugin descriptions, queries and options.
 *
 * @module
 */
import type { SystemError } from '../errors/index.js';
import type { PluginDependency } from './define.js';
import type { PluginState } from './lifecycle.js';

/** A state event: one plugin moved from one state to another. */
export interface PluginStateChange {
  /** The plugin id. */
  readonly id: string;
  /** The state it left. */
  readonly from: PluginState;
  /** The state it entered. */
  readonly to: PluginState;
  /** Why, when `to` is `failed`: `MSYS_PLUGIN_HOOK_FAILED` (with the hook's error as cause) or `MSYS_PLUGIN_STOP_TIMEOUT`. */
  readonly error?: SystemError;
}

/** What a registry knows about one plugin. */
export interface PluginInfo {
  /** The plugin id. */
  readonly id: string;
  /** Its version. */
  readonly version: string;
  /** Its kind. */
  readonly kind: string;
  /** Its capabilities. */
  readonly capabilities: readonly string[];
  /** The ids it requires, with their ranges. */
  readonly requires: readonly PluginDependency[];
  /** Its current state. */
  readonly state: PluginState;
}

/** What {@link PluginRegistry.find} matches; every given field must match. */
export interface PluginQuery {
  /** The plugin's kind. */
  readonly kind?: string;
  /** A capability the plugin offers. */
  readonly capability?: string;
  /** The plugin's current state. */
  readonly state?: PluginState;
}

/**
 * The timers the registry uses for shutdown timeouts. The real timers by default; pass the
 * ResourceGovernor's virtual clock to replay a run deterministically.
 */
export interface RegistryClock {
  /**
   * Calls `fn` once after `ms` milliseconds.
   *
   * @param fn - the callback
   * @param ms - the delay
   * @returns a handle for {@link RegistryClock.clearTimeout}
   */
  setTimeout(fn: () => void, ms: number): unknown;
  /**
   * Cancels a pending callback.
   *
   * @param handle - what setTimeout returned
   */
  clearTimeout(handle: unknown): void;
}

/** Options of the {@link PluginRegistry} constructor. */
export interface PluginRegistryOptions {
  /** The timers for shutdown timeouts (default: the global timers). */
  readonly clock?: RegistryClock;
}
