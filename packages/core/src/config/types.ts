import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Logger } from '../logging/index.js';

/** Values that are kept whole (never walked into) by {@link DeepReadonly} and {@link PartialConfig}. */
export type ConfigAtom =
  | string
  | number
  | bigint
  | boolean
  | symbol
  | null
  | undefined
  | Date
  | RegExp
  | Uint8Array
  | ((...args: never[]) => unknown);

/** `T` with every property and array element read-only, all the way down (the type of a loaded config). */
export type DeepReadonly<T> = T extends ConfigAtom
  ? T
  : T extends ReadonlyMap<infer K, infer V>
    ? ReadonlyMap<K, DeepReadonly<V>>
    : T extends ReadonlySet<infer V>
      ? ReadonlySet<DeepReadonly<V>>
      : { readonly [K in keyof T]: DeepReadonly<T[K]> };

/**
 * A partial configuration: any subset of the schema's input, at any depth. Arrays are replaced whole, so they
 * stay complete (read-only ones are accepted). `undefined` means "not set" and is skipped.
 */
export type PartialConfig<T> = T extends ConfigAtom
  ? T
  : T extends readonly unknown[]
    ? DeepReadonly<T>
    : T extends object
      ? { readonly [K in keyof T]?: PartialConfig<T[K]> | undefined }
      : T;

/** The type of a configuration loaded with schema `S`: its output type, deeply read-only. */
export type Config<S extends StandardSchemaV1> = DeepReadonly<StandardSchemaV1.InferOutput<S>>;

/** A configuration file with its options; a bare string in `files` means `{ path, optional: false }`. */
export interface ConfigFile {
  /** The path, absolute or relative to `options.cwd`; also the file's source label in issues. */
  readonly path: string;
  /** When true a missing file is skipped; otherwise it is reported as an issue. Default false. */
  readonly optional?: boolean;
  /** The format; by default taken from the extension (`.json`, `.toml`). */
  readonly format?: 'json' | 'toml';
}

/** Options of {@link defineConfig}. */
export interface DefineConfigOptions {
  /**
   * Secret key paths, dotted (`ledger.token`); a `*` segment matches any one key or index
   * (`peers.*.key`). Values at or below them never appear in messages, details or logs. Keys the schema's
   * JSON Schema marks `writeOnly: true` (zod: `.meta({ writeOnly: true })`) are secret too.
   */
  readonly secrets?: readonly string[];
  /**
   * The JSON Schema of the configuration's input, for validators that do not implement Standard JSON Schema
   * (`~standard.jsonSchema`); it guides env key matching and coercion. Zod 4 needs none.
   */
  readonly jsonSchema?: Readonly<Record<string, unknown>>;
}

/** Options of {@link ConfigDefinition.load} and {@link ConfigDefinition.loadSync}. */
export interface LoadOptions<In = unknown> {
  /** The lowest layer: values used when no other source sets a key. */
  readonly defaults?: PartialConfig<In>;
  /** JSON (`.json`) and TOML (`.toml`) files, merged in order (later wins). */
  readonly files?: readonly (string | ConfigFile)[];
  /** The environment; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Only variables starting with this prefix are read; default `MSYS_`. */
  readonly envPrefix?: string;
  /** The profile whose `[profile.<name>]` sections (JSON: `profile.<name>`) apply over the files. */
  readonly profile?: string | undefined;
  /** The top layer: values that win over every other source (e.g. command-line flags). */
  readonly overrides?: PartialConfig<In>;
  /** More secret key paths for this load, added to the definition's. */
  readonly secrets?: readonly string[];
  /** The directory relative file paths start from; default `process.cwd()`. */
  readonly cwd?: string;
  /** Receives one `debug` record per successful load: the sources used and the config with secrets redacted. */
  readonly logger?: Logger;
}

/**
 * A configuration definition made by {@link defineConfig}: the schema plus the rules for loading it.
 *
 * @typeParam S - the Standard Schema of the configuration
 */
export interface ConfigDefinition<S extends StandardSchemaV1> {
  /** The schema given to {@link defineConfig}. */
  readonly schema: S;
  /** The secret key patterns (from `options.secrets` and the schema's `writeOnly` keys), dotted. */
  readonly secrets: readonly string[];
  /**
   * Loads the configuration from its sources, in this order of precedence (later wins):
   * `defaults` < `files` (in order) < each file's `[profile.<name>]` section (files in order) < environment
   * < `overrides`. Objects merge key by key; arrays and scalars replace. The merged value is validated by the
   * schema (async schemas are awaited) and the schema's output is returned deeply frozen.
   *
   * @param options - the sources
   * @returns the validated, deeply frozen configuration
   * @throws SystemError `MSYS_CONFIG_INVALID` (`config`) listing every problem (missing files, parse errors,
   *   unknown profile, uncoercible variables, schema issues), each with its source; secrets redacted
   * @throws SystemError `MSYS_CONFIG_INVALID_OPTION` (`validation`) when `options` is malformed
   */
  load(options?: LoadOptions<StandardSchemaV1.InferInput<S>>): Promise<Config<S>>;
  /**
   * {@link ConfigDefinition.load} without awaiting: files are read synchronously.
   *
   * @param options - the sources
   * @returns the validated, deeply frozen configuration
   * @throws SystemError `MSYS_CONFIG_ASYNC_SCHEMA` (`unsupported`) when the schema validates asynchronously
   * @throws SystemError `MSYS_CONFIG_INVALID` / `MSYS_CONFIG_INVALID_OPTION` as for `load`
   */
  loadSync(options?: LoadOptions<StandardSchemaV1.InferInput<S>>): Config<S>;
  /**
   * A JSON-like copy of a configuration with every secret value replaced by `"[redacted]"`, for logs.
   *
   * @param config - a loaded configuration (or any part-built one)
   * @param secrets - more secret key paths, as in `LoadOptions.secrets`
   * @returns the redacted copy
   */
  redact(config: unknown, secrets?: readonly string[]): unknown;
}
