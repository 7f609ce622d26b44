import type { StandardSchemaV1 } from '@standard-schema/spec';
import { type Assembly, assemble } from './assemble.js';
import { type ConfigIssue, configErrors } from './errors.js';
import { readConfigFile, readConfigFileSync } from './files.js';
import { invalidOption, type NormalizedLoadOptions, normalizeLoadOptions, parseSecrets } from './options.js';
import { formatPath, isPathWithin, type PathKey } from './paths.js';
import { SecretKeys, scrub } from './secrets.js';
import { ConfigShape } from './shape.js';
import type { Config, ConfigDefinition, DefineConfigOptions } from './types.js';
import { deepFreeze, isPlainObject } from './values.js';

type Validate = StandardSchemaV1.Props['validate'];
type ValidationResult = StandardSchemaV1.Result<unknown>;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** The JSON Schema of the input, from Standard JSON Schema when the validator implements it. */
function inputJsonSchema(standard: Record<string, unknown>): unknown {
  const converter = standard.jsonSchema as { input?: unknown } | undefined;
  if (typeof converter?.input !== 'function') return undefined;
  try {
    // Zod throws on types JSON Schema cannot express (dates, bigints) unless told to describe them as `{}`.
    const libraryOptions = standard.vendor === 'zod' ? { libraryOptions: { unrepresentable: 'any' } } : {};
    return (converter.input as (o: object) => unknown)({ target: 'draft-2020-12', ...libraryOptions });
  } catch {
    return undefined;
  }
}

function issuePath(issue: StandardSchemaV1.Issue): PathKey[] {
  return (issue.path ?? []).map((segment) => {
    const key = typeof segment === 'object' && segment !== null ? segment.key : segment;
    return typeof key === 'number' ? key : String(key);
  });
}

/**
 * Defines a configuration: a Standard Schema v1 validator (zod 4, valibot, arktype, …) plus the keys whose
 * values are secret. The definition loads and validates the configuration from defaults, JSON/TOML files,
 * a profile, the environment and overrides — see {@link ConfigDefinition.load} for the precedence.
 *
 * Environment variables: `<envPrefix><SEGMENT>__<SEGMENT>…` sets the key path of the segments
 * (`MSYS_LEDGER__PEERS` → `ledger.peers`). Each segment is matched against the keys known at its level —
 * from the schema's JSON Schema, the defaults and the files — ignoring case, `_` and `-`
 * (`PEER_TIMEOUT_MS` → `peerTimeoutMs`); an unmatched segment is lower-camel-cased. A variable whose first
 * segment matches no known top-level key is ignored, since other programs share the environment
 * (unless nothing is known about the top level, or it is a record). Values are coerced by what the key
 * accepts — the schema's JSON types where it says, else the type of the default, else of the file's value.
 * Where several types are accepted they are tried in this order: `null` (the word), boolean
 * (`true/false/1/0/yes/no/on/off`, any case), number, array (a value starting with `[` is JSON, anything else
 * a comma list whose items are trimmed and coerced by the item type: `a, b` → `["a", "b"]`), object (JSON),
 * string (unchanged). When nothing is known: `true`/`false`, plain decimals and valid JSON arrays/objects are
 * converted, anything else stays a string. Arrays are set whole: `MSYS_LEDGER__PEERS__0` is reported.
 * A value that cannot be coerced is reported as an issue of its variable.
 *
 * Files: the top-level key `profile` is reserved for profile sections (`[profile.prod]` in TOML,
 * `"profile": { "prod": { … } }` in JSON) and is not part of the configuration.
 *
 * @param schema - any Standard Schema v1 validator of the whole configuration
 * @param options - secret key paths and, for validators without Standard JSON Schema, the JSON Schema
 * @returns the definition, with `load`, `loadSync` and `redact`
 * @throws SystemError `MSYS_CONFIG_INVALID_OPTION` (`validation`) when `schema` is not a Standard Schema or
 *   `options` is malformed
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { defineConfig } from '@msys/core/config';
 *
 * const appConfig = defineConfig(
 *   z.object({
 *     ledger: z.object({ port: z.number().int(), peers: z.array(z.string()), token: z.string() }),
 *   }),
 *   { secrets: ['ledger.token'] },
 * );
 * // MSYS_LEDGER__PORT=7001 MSYS_LEDGER__PEERS=a:7000,b:7000 MSYS_LEDGER__TOKEN=…
 * const config = await appConfig.load({ files: ['config.toml'], profile: 'prod' });
 * config.ledger.port; // number, frozen
 * ```
 */
export function defineConfig<S extends StandardSchemaV1>(
  schema: S,
  options: DefineConfigOptions = {},
): ConfigDefinition<S> {
  const standard = (schema as { '~standard'?: unknown } | null)?.['~standard'];
  if (
    (typeof schema !== 'object' && typeof schema !== 'function') ||
    typeof standard !== 'object' ||
    standard === null ||
    (standard as { version?: unknown }).version !== 1 ||
    typeof (standard as { validate?: unknown }).validate !== 'function'
  ) {
    throw invalidOption(
      'schema',
      'a Standard Schema v1 validator (with ~standard.validate), e.g. a zod 4 schema',
      schema,
    );
  }
  if (!isPlainObject(options)) throw invalidOption('options', 'an object', options);
  for (const key of Object.keys(options)) {
    if (key !== 'secrets' && key !== 'jsonSchema') {
      throw invalidOption(`options.${key}`, 'absent (known: secrets, jsonSchema)', options[key]);
    }
  }
  if (options.jsonSchema !== undefined && !isPlainObject(options.jsonSchema)) {
    throw invalidOption('options.jsonSchema', 'a JSON Schema object', options.jsonSchema);
  }
  const props = standard as Record<string, unknown>;
  const validate = props.validate as Validate;
  const vendor = typeof props.vendor === 'string' ? props.vendor : 'unknown';
  const shape = ConfigShape.fromJsonSchema(options.jsonSchema ?? inputJsonSchema(props));
  const declared = parseSecrets(options.secrets, 'options.secrets');
  const baseSecrets = [...declared, ...(shape?.secretPaths() ?? [])];
  const definitionSecrets = new SecretKeys(baseSecrets);

  const prepare = (opts: NormalizedLoadOptions) => new SecretKeys([...baseSecrets, ...opts.secrets]);

  const finish = (
    assembly: Assembly,
    result: ValidationResult,
    secrets: SecretKeys,
    opts: NormalizedLoadOptions,
  ): Config<S> => {
    const issues: ConfigIssue[] = [...assembly.issues];
    for (const issue of result.issues ?? []) {
      const path = issuePath(issue);
      if (assembly.uncoerced.some((p) => isPathWithin(path, p))) continue;
      const extra = (issue as { keys?: unknown }).keys;
      const source = Array.isArray(extra)
        ? [...new Set(extra.map((k) => assembly.layered.sourceOf([...path, String(k)])))].join(', ')
        : assembly.layered.sourceOf(path);
      issues.push({ path: formatPath(path), source, message: issue.message });
    }
    if (issues.length > 0 || result.issues !== undefined) {
      const safe = issues.map((i) => ({ ...i, message: scrub(i.message, assembly.secretValues) }));
      throw configErrors.MSYS_CONFIG_INVALID({ issues: safe });
    }
    const config = deepFreeze(result.value) as Config<S>;
    opts.logger?.debug(
      {
        sources: assembly.layered.sources,
        ...(assembly.ignoredEnv.length === 0 ? {} : { ignoredEnv: assembly.ignoredEnv }),
        config: secrets.redact(config),
      },
      'configuration loaded',
    );
    return config;
  };

  return Object.freeze({
    schema,
    secrets: Object.freeze(definitionSecrets.list()),
    async load(loadOptions?: unknown): Promise<Config<S>> {
      const opts = normalizeLoadOptions(loadOptions);
      const secrets = prepare(opts);
      const reads = await Promise.all(opts.files.map(readConfigFile));
      const assembly = assemble(shape, secrets, opts, reads);
      const result = await validate(assembly.layered.value);
      return finish(assembly, result, secrets, opts);
    },
    loadSync(loadOptions?: unknown): Config<S> {
      const opts = normalizeLoadOptions(loadOptions);
      const secrets = prepare(opts);
      const assembly = assemble(shape, secrets, opts, opts.files.map(readConfigFileSync));
      const result = validate(assembly.layered.value);
      if (isThenable(result)) {
        // The promise is dropped: keep its eventual rejection from surfacing as an unhandled one.
        result.then(undefined, () => {});
        throw configErrors.MSYS_CONFIG_ASYNC_SCHEMA({ vendor });
      }
      return finish(assembly, result, secrets, opts);
    },
    redact(config: unknown, secrets?: readonly string[]): unknown {
      const extra = parseSecrets(secrets, 'secrets');
      return (extra.length === 0 ? definitionSecrets : new SecretKeys([...baseSecrets, ...extra])).redact(
        config,
      );
    },
  }) as ConfigDefinition<S>;
}
