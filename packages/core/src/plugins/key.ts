/**
 * Typed plugin keys: a key names a plugin by id and carries the type of its api, so that
 * `registry.get(key)` is typed without a cast.
 *
 * @module
 */
import { describeValue } from '../errors/index.js';
import { pluginErrors } from './errors.js';

/**
 * What a plugin id looks like: lower-case words of letters and digits joined by `.`, `-`, `_` or `/`,
 * starting with a letter, at most 128 characters (e.g. `acme.storage`, `ledger/audit-log`). Reverse-DNS
 * style prefixes keep ids of independent vendors apart.
 */
export const PLUGIN_ID_PATTERN: RegExp = /^[a-z][a-z0-9]*(?:[._/-][a-z0-9]+)*$/;

/** The longest accepted plugin id. */
export const PLUGIN_ID_MAX_LENGTH = 128;

/**
 * A token naming a plugin and the type of the api it provides. Create one with {@link createPluginKey},
 * or use a {@link PluginDefinition} (every definition is its own key).
 *
 * @typeParam Api - the api the plugin's `init` hook returns
 */
export interface PluginKey<Api> {
  /** The id of the plugin this key names. */
  readonly id: string;
  /**
   * Never set at run time: it only carries `Api` in the type, so that keys of different apis are
   * distinct types and `registry.get(key)` returns `Api`.
   */
  readonly apiType?: Api;
}

/**
 * Checks a plugin id.
 *
 * @param path - the argument path, for the message
 * @param id - the candidate id
 * @returns the id
 * @throws SystemError `MSYS_PLUGIN_INVALID_ARGUMENT` when `id` does not match {@link PLUGIN_ID_PATTERN}
 * @internal
 */
export function assertPluginId(path: string, id: unknown): string {
  if (typeof id !== 'string' || id.length > PLUGIN_ID_MAX_LENGTH || !PLUGIN_ID_PATTERN.test(id)) {
    throw pluginErrors.MSYS_PLUGIN_INVALID_ARGUMENT({
      path,
      expected: `a plugin id: lower-case letters and digits joined by . - _ or /, starting with a letter, at most ${PLUGIN_ID_MAX_LENGTH} characters (e.g. "acme.storage")`,
      received: describeValue(id),
    });
  }
  return id;
}

/**
 * Creates a typed key for a plugin id, for code that uses a plugin without importing its definition.
 * The key is only as true as its type argument: the registry checks ids, not types.
 *
 * @typeParam Api - the api of the plugin
 * @param id - the plugin id (see {@link PLUGIN_ID_PATTERN})
 * @returns a frozen key
 * @throws SystemError `MSYS_PLUGIN_INVALID_ARGUMENT` (validation) when the id is malformed
 * @example
 * ```ts
 * interface Storage { read(key: string): Promise<Uint8Array | undefined> }
 * export const StorageKey = createPluginKey<Storage>('acme.storage');
 * const storage = registry.get(StorageKey); // typed as Storage
 * ```
 */
export function createPluginKey<Api>(id: string): PluginKey<Api> {
  return Object.freeze({ id: assertPluginId('id', id) });
}

/**
 * Reads the id of a key, rejecting anything that is not one.
 *
 * @param path - the argument path, for the message
 * @param key - the candidate key
 * @returns the id
 * @internal
 */
export function keyId(path: string, key: unknown): string {
  if (typeof key !== 'object' || key === null || typeof (key as { id?: unknown }).id !== 'string') {
    throw pluginErrors.MSYS_PLUGIN_INVALID_ARGUMENT({
      path,
      expected: 'a PluginKey (from createPluginKey or definePlugin)',
      received: describeValue(key),
    });
  }
  return (key as { id: string }).id;
}
