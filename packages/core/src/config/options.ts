import { describeValue } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import { configErrors } from './errors.js';
import { type ConfigFileSpec, resolveFile } from './files.js';
import { parseSecretPattern } from './secrets.js';
import { isPlainObject, type PlainObject } from './values.js';

/** Load options after validation, with defaults filled in. */
export interface NormalizedLoadOptions {
  readonly defaults: PlainObject;
  readonly files: readonly ConfigFileSpec[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly envPrefix: string;
  readonly profile: string | undefined;
  readonly overrides: PlainObject;
  readonly secrets: readonly (readonly string[])[];
  readonly logger: Logger | undefined;
}

const LOAD_KEYS = new Set([
  'defaults',
  'files',
  'env',
  'envPrefix',
  'profile',
  'overrides',
  'secrets',
  'cwd',
  'logger',
]);
const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

/** @internal */
export function invalidOption(path: string, expected: string, received: unknown, describe = describeValue) {
  return configErrors.MSYS_CONFIG_INVALID_OPTION({ path, expected, received: describe(received) });
}

/**
 * Validates secret patterns.
 *
 * @internal
 */
export function parseSecrets(value: unknown, path: string): string[][] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalidOption(path, 'an array of dotted key paths', value);
  return value.map((entry, i) => {
    const parsed = typeof entry === 'string' ? parseSecretPattern(entry) : undefined;
    if (!parsed) throw invalidOption(`${path}[${i}]`, 'a dotted key path such as "ledger.token"', entry);
    return parsed;
  });
}

function formatOf(path: string): 'json' | 'toml' | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.toml')) return 'toml';
  return undefined;
}

function parseFiles(value: unknown, cwd: string): ConfigFileSpec[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw invalidOption('options.files', 'an array of paths or { path, optional?, format? }', value);
  return value.map((entry: unknown, i) => {
    const at = `options.files[${i}]`;
    const spec: unknown = typeof entry === 'string' ? { path: entry } : entry;
    if (!isPlainObject(spec)) throw invalidOption(at, 'a path or { path, optional?, format? }', entry);
    const { path, optional, format } = spec;
    if (typeof path !== 'string' || path === '')
      throw invalidOption(`${at}.path`, 'a non-empty string', path);
    if (optional !== undefined && typeof optional !== 'boolean') {
      throw invalidOption(`${at}.optional`, 'a boolean', optional);
    }
    if (format !== undefined && format !== 'json' && format !== 'toml') {
      throw invalidOption(`${at}.format`, '"json" or "toml"', format);
    }
    const resolvedFormat = format ?? formatOf(path);
    if (resolvedFormat === undefined) {
      throw invalidOption(`${at}.path`, 'a path ending in .json or .toml (or give format)', path);
    }
    for (const key of Object.keys(spec)) {
      if (key !== 'path' && key !== 'optional' && key !== 'format') {
        throw invalidOption(`${at}.${key}`, 'absent (known keys: path, optional, format)', spec[key]);
      }
    }
    return { path, resolved: resolveFile(path, cwd), optional: optional ?? false, format: resolvedFormat };
  });
}

function parseEnv(value: unknown): Readonly<Record<string, string | undefined>> {
  if (value === undefined) return process.env;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidOption('options.env', 'an object of strings, like process.env', value);
  }
  for (const [name, v] of Object.entries(value)) {
    // The value itself is not echoed: it may be a secret.
    if (v !== undefined && typeof v !== 'string') {
      throw invalidOption(`options.env.${name}`, 'a string', v, (x) => typeof x);
    }
  }
  return value as Record<string, string | undefined>;
}

function parseLayer(value: unknown, path: string): PlainObject {
  if (value === undefined) return {};
  if (!isPlainObject(value)) throw invalidOption(path, 'a plain object', value);
  return value;
}

function parseLogger(value: unknown): Logger | undefined {
  if (value === undefined) return undefined;
  const candidate = value as Record<string, unknown> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    LEVELS.some((l) => typeof candidate[l] !== 'function')
  ) {
    throw invalidOption('options.logger', 'a pino-compatible logger (trace…fatal methods)', value);
  }
  return value as Logger;
}

/**
 * Validates the options of `load`/`loadSync`.
 *
 * @internal
 */
export function normalizeLoadOptions(options: unknown): NormalizedLoadOptions {
  if (options === undefined) options = {};
  if (!isPlainObject(options)) throw invalidOption('options', 'an object', options);
  for (const key of Object.keys(options)) {
    if (!LOAD_KEYS.has(key))
      throw invalidOption(`options.${key}`, `absent (known: ${[...LOAD_KEYS].join(', ')})`, options[key]);
  }
  const { cwd, envPrefix, profile } = options;
  if (cwd !== undefined && (typeof cwd !== 'string' || cwd === '')) {
    throw invalidOption('options.cwd', 'a non-empty string', cwd);
  }
  if (envPrefix !== undefined && typeof envPrefix !== 'string') {
    throw invalidOption('options.envPrefix', 'a string', envPrefix);
  }
  if (profile !== undefined && (typeof profile !== 'string' || profile === '')) {
    throw invalidOption('options.profile', 'a non-empty string', profile);
  }
  return {
    defaults: parseLayer(options.defaults, 'options.defaults'),
    files: parseFiles(options.files, cwd ?? process.cwd()),
    env: parseEnv(options.env),
    envPrefix: envPrefix ?? 'MSYS_',
    profile,
    overrides: parseLayer(options.overrides, 'options.overrides'),
    secrets: parseSecrets(options.secrets, 'options.secrets'),
    logger: parseLogger(options.logger),
  };
}
