/**
 * The plugin lifecycle as a state machine: which operation moves a plugin from which state to which,
 * and which hook runs on the way.
 *
 * @module
 */
import { pluginErrors } from './errors.js';

/**
 * Where a plugin is in its lifecycle.
 *
 * - `loaded` — registered; `init` has not run; no api.
 * - `ready` — `init` returned the api; not running (never started, or stopped).
 * - `active` — running.
 * - `paused` — running but suspended; the api stays available.
 * - `failed` — a hook threw; the api is dropped; only `unload` is accepted.
 * - `unloaded` — gone; terminal. The id may be registered again.
 */
export type PluginState = 'loaded' | 'ready' | 'active' | 'paused' | 'failed' | 'unloaded';

/** An operation that moves a plugin between states. */
export type PluginOperation = 'init' | 'start' | 'pause' | 'resume' | 'stop' | 'unload';

/** The optional lifecycle hooks that operations run (`init` is separate: it returns the api). */
export type PluginHookName = 'init' | 'start' | 'pause' | 'resume' | 'stop';

/** One edge of the lifecycle: the state it leads to and the hook that runs on the way, if any. */
export interface PluginTransition {
  /** The state reached when the hook (if any) returns. */
  readonly to: PluginState;
  /** The hook that runs; when it throws, the plugin goes to `failed` instead of {@link PluginTransition.to}. */
  readonly hook?: PluginHookName;
}

/**
 * Every transition that exists. Anything not in this table throws `MSYS_PLUGIN_INVALID_TRANSITION`
 * (category `state`) and leaves the plugin as it was.
 *
 * | from \ operation | init | start | pause | resume | stop | unload |
 * |---|---|---|---|---|---|---|
 * | `loaded` | `ready` (init) | `active` (init, start)¹ | – | – | – | `unloaded` |
 * | `ready` | – | `active` (start) | – | – | – | `unloaded` |
 * | `active` | – | – | `paused` (pause) | – | `ready` (stop) | `unloaded` (stop) |
 * | `paused` | – | – | – | `active` (resume) | `ready` (stop) | `unloaded` (stop) |
 * | `failed` | – | – | – | – | – | `unloaded` |
 * | `unloaded` | – | – | – | – | – | – |
 *
 * ¹ `start` on a `loaded` plugin is two transitions, `loaded → ready → active`, each with its own event.
 *
 * Any hook that throws moves the plugin to `failed` (one event, `from → failed`), never to a state in
 * between: a plugin is either where it was, where the operation leads, or `failed`. `stop` keeps the api,
 * so a stopped plugin starts again without running `init` twice; `unload` of a running plugin runs its
 * `stop` hook first (the only way to release what `start` took). `failed` runs no hook on unload because
 * the plugin's own state is unknown.
 */
export const PLUGIN_TRANSITIONS: {
  readonly [O in PluginOperation]: { readonly [S in PluginState]?: PluginTransition };
} = Object.freeze({
  init: { loaded: { to: 'ready', hook: 'init' } },
  start: { loaded: { to: 'active', hook: 'start' }, ready: { to: 'active', hook: 'start' } },
  pause: { active: { to: 'paused', hook: 'pause' } },
  resume: { paused: { to: 'active', hook: 'resume' } },
  stop: { active: { to: 'ready', hook: 'stop' }, paused: { to: 'ready', hook: 'stop' } },
  unload: {
    loaded: { to: 'unloaded' },
    ready: { to: 'unloaded' },
    active: { to: 'unloaded', hook: 'stop' },
    paused: { to: 'unloaded', hook: 'stop' },
    failed: { to: 'unloaded' },
  },
});

/** The states in which a plugin has an api (`registry.get` succeeds). */
export const PLUGIN_API_STATES: readonly PluginState[] = Object.freeze(['ready', 'active', 'paused']);

/** The states in which a plugin is running (started and not stopped). */
export const PLUGIN_RUNNING_STATES: readonly PluginState[] = Object.freeze(['active', 'paused']);

/**
 * Whether an operation is accepted in a state.
 *
 * @param state - the current state
 * @param operation - the operation
 * @returns true when {@link PLUGIN_TRANSITIONS} has the edge
 * @example
 * ```ts
 * canPluginTransition('paused', 'resume'); // true
 * canPluginTransition('failed', 'start');  // false
 * ```
 */
export function canPluginTransition(state: PluginState, operation: PluginOperation): boolean {
  return PLUGIN_TRANSITIONS[operation][state] !== undefined;
}

/**
 * Looks up the transition of an operation, or throws the error a caller sees for an invalid one.
 *
 * @param id - the plugin id, for the error
 * @param state - the current state
 * @param operation - the operation
 * @returns the transition
 * @throws SystemError `MSYS_PLUGIN_INVALID_TRANSITION` (state) when the table has no such edge
 * @internal
 */
export function transitionFor(id: string, state: PluginState, operation: PluginOperation): PluginTransition {
  const edge = PLUGIN_TRANSITIONS[operation][state];
  if (edge === undefined) {
    const accepted = Object.keys(PLUGIN_TRANSITIONS[operation]);
    throw pluginErrors.MSYS_PLUGIN_INVALID_TRANSITION({ id, state, operation, accepted });
  }
  return edge;
}
