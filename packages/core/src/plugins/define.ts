/**
 * Plugin definitions: what a plugin declares about itself (id, version, kind, capabilities, requirements)
 * and the hooks the registry calls as it moves the plugin through its lifecycle.
 *
 * @module
 */
import semver from 'semver';
import { describeValue } from '../errors/index.js';
import { pluginErrors } from './errors.js';
import { assertPluginId, keyId, PLUGIN_ID_PATTERN, type PluginKey } from './key.js';

const DEFINITION_BRAND = Symbol.for('@msys/core/plugin-definition');
const HOOKS = ['start', 'pause', 'resume', 'stop'] as const;
const NAME_MAX_LENGTH = 64;

/** What the `init` hook receives. */
export interface PluginInitContext {
  /** The id of the plugin being initialized. */
  readonly id: string;
  /**
   * Aborted when the registry gives up on the plugin (a `shutdown` whose timeout the hook overran):
   * long-running hooks should pass it on to their I/O.
   */
  readonly signal: AbortSignal;
  /**
   * The api of a dependency. Only plugins named in `requires` may be asked for: the registry made sure
   * they exist, satisfy the range and were initialized first.
   *
   * @param key - the dependency's key
   * @returns its api
   * @throws SystemError `MSYS_PLUGIN_UNDECLARED_DEPENDENCY` (validation) for a key not in `requires`
   */
  get<D>(key: PluginKey<D>): D;
}

/** What the `start`, `pause`, `resume` and `stop` hooks receive. */
export interface PluginContext<Api> extends PluginInitContext {
  /** The api that `init` returned. */
  readonly api: Api;
}

/** A dependency on another plugin, with an optional SemVer range its version must satisfy. */
export interface PluginRequirement {
  /** The plugin required. */
  readonly key: PluginKey<unknown>;
  /** A node-semver range, e.g. `^2.1.0`; omitted means any version. */
  readonly range?: string;
}

/** A requirement after normalization: the id and the range, if one was given. */
export interface PluginDependency {
  /** The id of the plugin required. */
  readonly id: string;
  /** The SemVer range its version must satisfy, if any. */
  readonly range?: string;
}

/** What {@link definePlugin} takes. */
export interface PluginSpec<Api> {
  /** The plugin id (see `PLUGIN_ID_PATTERN`), or a key created for it (which also fixes `Api`). */
  readonly id: string | PluginKey<Api>;
  /** The plugin's SemVer 2.0 version, e.g. `1.4.0`; dependents' ranges are checked against it. */
  readonly version: string;
  /** What sort of plugin this is (`storage`, `transport`, …), for `registry.find({ kind })`. */
  readonly kind: string;
  /** What it offers (`kv.read`, `tls`, …), for `registry.find({ capability })`. */
  readonly capabilities?: readonly string[];
  /** The plugins it needs, started before it and stopped after it. */
  readonly requires?: readonly (PluginKey<unknown> | PluginRequirement)[];
  /**
   * Builds the plugin's api; runs once, on `loaded → ready`.
   *
   * @param ctx - the id, an abort signal and the apis of the requirements
   */
  init(ctx: PluginInitContext): Api | Promise<Api>;
  /**
   * Runs on `ready → active`.
   *
   * @param ctx - the id, the api, an abort signal and the apis of the requirements
   */
  start?(ctx: PluginContext<Api>): void | Promise<void>;
  /**
   * Runs on `active → paused`.
   *
   * @param ctx - the id, the api, an abort signal and the apis of the requirements
   */
  pause?(ctx: PluginContext<Api>): void | Promise<void>;
  /**
   * Runs on `paused → active`.
   *
   * @param ctx - the id, the api, an abort signal and the apis of the requirements
   */
  resume?(ctx: PluginContext<Api>): void | Promise<void>;
  /**
   * Runs when a running plugin stops or is unloaded.
   *
   * @param ctx - the id, the api, an abort signal and the apis of the requirements
   */
  stop?(ctx: PluginContext<Api>): void | Promise<void>;
}

/**
 * A validated, frozen plugin definition. It is also the plugin's key: `registry.get(definition)`
 * returns `Api`.
 */
export interface PluginDefinition<Api> extends PluginKey<Api> {
  /** The plugin id. */
  readonly id: string;
  /** The plugin's SemVer version. */
  readonly version: string;
  /** What sort of plugin this is. */
  readonly kind: string;
  /** What it offers. */
  readonly capabilities: readonly string[];
  /** The plugins it needs, in declaration order (their start order). */
  readonly requires: readonly PluginDependency[];
  /**
   * Builds the plugin's api.
   *
   * @param ctx - the id, an abort signal and the apis of the requirements
   */
  init(ctx: PluginInitContext): Api | Promise<Api>;
  /**
   * Runs on `ready → active`, if given.
   *
   * @param ctx - the id, the api, an abort signal and the apis of the requirements
   */
  start?(ctx: PluginContext<Api>): void | Promise<void>;
  /**
   * Runs on `active → paused`, if given.
   *
   * @param ctx - the id, the api, an abort signal and the apis of the requirements
   */
  pause?(ctx: PluginContext<Api>): void | Promise<void>;
  /**
   * Runs on `paused → active`, if given.
   *
   * @param ctx - the id, the api, an abort signal and the apis of the requirements
   */
  resume?(ctx: PluginContext<Api>): void | Promise<void>;
  /**
   * Runs when a running plugin stops or is unloaded, if given.
   *
   * @param ctx - the id, the api, an abort signal and the apis of the requirements
   */
  stop?(ctx: PluginContext<Api>): void | Promise<void>;
}

function invalid(path: string, expected: string, received: unknown) {
  return pluginErrors.MSYS_PLUGIN_INVALID_ARGUMENT({ path, expected, received: describeValue(received) });
}

function assertName(path: string, value: unknown): string {
  if (typeof value !== 'string' || value.length > NAME_MAX_LENGTH || !PLUGIN_ID_PATTERN.test(value)) {
    throw invalid(
      path,
      `a lower-case name such as "storage" or "kv.read" (at most ${NAME_MAX_LENGTH} characters)`,
      value,
    );
  }
  return value;
}

function assertVersion(path: string, value: unknown): string {
  // semver.valid also accepts "v1.2.3" and "=1.2.3" and returns the cleaned form; a plugin's version
  // must be written the SemVer 2.0 way (§2: "X.Y.Z"), so the leading character must be a digit.
  if (typeof value !== 'string' || !/^\d/.test(value) || semver.valid(value) === null) {
    throw invalid(path, 'a SemVer 2.0 version such as "1.4.0" or "2.0.0-rc.1"', value);
  }
  return value;
}

function normalizeRequirement(path: string, entry: unknown): PluginDependency {
  const isKey =
    typeof entry === 'object' && entry !== null && typeof (entry as { id?: unknown }).id === 'string';
  if (isKey) return { id: assertPluginId(`${path}.id`, (entry as { id: string }).id) };
  if (typeof entry !== 'object' || entry === null || !('key' in entry)) {
    throw invalid(path, 'a PluginKey or { key, range? }', entry);
  }
  const req = entry as { key: unknown; range?: unknown };
  const id = assertPluginId(`${path}.key.id`, keyId(`${path}.key`, req.key));
  if (req.range === undefined) return { id };
  if (typeof req.range !== 'string' || semver.validRange(req.range) === null) {
    throw invalid(`${path}.range`, 'a node-semver range such as "^1.2.0" or ">=2 <4"', req.range);
  }
  return { id, range: req.range };
}

function freezeList<T>(
  path: string,
  value: unknown,
  each: (path: string, item: unknown) => T,
  idOf: (t: T) => string,
) {
  if (value === undefined) return Object.freeze([]) as readonly T[];
  if (!Array.isArray(value)) throw invalid(path, 'an array', value);
  const seen = new Set<string>();
  const out = value.map((item, i) => {
    const t = each(`${path}[${i}]`, item);
    const name = idOf(t);
    if (seen.has(name)) throw invalid(`${path}[${i}]`, 'an entry not listed before', name);
    seen.add(name);
    return Object.freeze(t);
  });
  return Object.freeze(out) as readonly T[];
}

/**
 * Defines a plugin: validates what it declares and returns a frozen definition that is also its typed key.
 * `Api` is inferred from what `init` returns (or fixed by passing a key as `id`).
 *
 * @typeParam Api - the api the plugin provides
 * @param spec - id, version, kind, capabilities, requirements and hooks
 * @returns the definition, to pass to `registry.register` and to use as a key
 * @throws SystemError `MSYS_PLUGIN_INVALID_ARGUMENT` (validation) naming the field: a malformed id, kind or
 *   capability, a version that is not SemVer, an invalid range, a duplicate or self requirement, or a hook
 *   that is not a function
 * @example
 * ```ts
 * const cache = definePlugin({
 *   id: 'acme.cache',
 *   version: '1.2.0',
 *   kind: 'cache',
 *   capabilities: ['kv.read', 'kv.write'],
 *   requires: [{ key: StorageKey, range: '^2.0.0' }],
 *   init: (ctx) => new Cache(ctx.get(StorageKey)),
 *   start: ({ api }) => api.warm(),
 *   stop: ({ api }) => api.flush(),
 * });
 * registry.register(cache);
 * await registry.startAll();
 * registry.get(cache).lookup('k'); // typed as Cache
 * ```
 */
export function definePlugin<Api>(spec: PluginSpec<Api>): PluginDefinition<Api> {
  if (typeof spec !== 'object' || spec === null) throw invalid('spec', 'an object', spec);
  const rawId: unknown = spec.id;
  const id = assertPluginId(
    'spec.id',
    typeof rawId === 'object' && rawId !== null ? keyId('spec.id', rawId) : rawId,
  );
  const version = assertVersion('spec.version', spec.version);
  const kind = assertName('spec.kind', spec.kind);
  const capabilities = freezeList('spec.capabilities', spec.capabilities, assertName, (c) => c);
  const requires = freezeList('spec.requires', spec.requires, normalizeRequirement, (r) => r.id);
  const self = requires.findIndex((r) => r.id === id);
  if (self >= 0) throw invalid(`spec.requires[${self}]`, 'another plugin than the one being defined', id);
  if (typeof spec.init !== 'function') throw invalid('spec.init', 'a function returning the api', spec.init);
  const hooks: Partial<Record<(typeof HOOKS)[number], unknown>> = {};
  for (const name of HOOKS) {
    const hook: unknown = spec[name];
    if (hook === undefined) continue;
    if (typeof hook !== 'function') throw invalid(`spec.${name}`, 'a function or undefined', hook);
    hooks[name] = hook;
  }
  const definition = { id, version, kind, capabilities, requires, init: spec.init, ...hooks };
  Object.defineProperty(definition, DEFINITION_BRAND, { value: true });
  return Object.freeze(definition) as PluginDefinition<Api>;
}

/**
 * Whether a value is a definition made by {@link definePlugin} (also one made by another copy of this
 * package: the brand is a `Symbol.for`).
 *
 * @param value - anything
 * @returns true for a definition
 */
export function isPluginDefinition(value: unknown): value is PluginDefinition<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [DEFINITION_BRAND]?: unknown })[DEFINITION_BRAND] === true
  );
}
