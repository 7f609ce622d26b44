import { defineErrors, type ErrorFactory } from '../errors/index.js';

/** One problem found while loading a configuration. */
export interface ConfigIssue {
  /** The dotted key path, e.g. `ledger.port` (`''` for a problem with a whole source, such as a parse error). */
  readonly path: string;
  /**
   * Where the offending value came from: `defaults`, a file path as given (`config.toml`), a profile section
   * (`config.toml [profile.prod]`), an environment variable (`env MSYS_LEDGER__PORT`), `overrides`,
   * `options.profile`, or `(unset)` when no source set the key.
   */
  readonly source: string;
  /** What is wrong; never contains the value of a secret key. */
  readonly message: string;
}

/** The details of `MSYS_CONFIG_INVALID`. */
export interface ConfigInvalidDetails extends Record<string, unknown> {
  /** Every problem found, in the order of the sources (defaults, files, profile, environment, overrides, schema). */
  readonly issues: readonly ConfigIssue[];
}

/** The details of `MSYS_CONFIG_ASYNC_SCHEMA`. */
export interface ConfigAsyncSchemaDetails extends Record<string, unknown> {
  /** The vendor of the schema (`zod`, `valibot`, …). */
  readonly vendor: string;
}

function renderIssue(issue: ConfigIssue): string {
  return issue.path === ''
    ? `${issue.source}: ${issue.message}`
    : `${issue.source}: ${issue.path}: ${issue.message}`;
}

/** The error factories of the config module, one per code (see {@link configErrors}). */
export interface ConfigErrors {
  /** Creates (does not throw) a `MSYS_CONFIG_INVALID` error (category `config`). */
  readonly MSYS_CONFIG_INVALID: ErrorFactory<ConfigInvalidDetails>;
  /** Creates (does not throw) a `MSYS_CONFIG_ASYNC_SCHEMA` error (category `unsupported`). */
  readonly MSYS_CONFIG_ASYNC_SCHEMA: ErrorFactory<ConfigAsyncSchemaDetails>;
  /** Creates (does not throw) a `MSYS_CONFIG_INVALID_OPTION` error (category `validation`). */
  readonly MSYS_CONFIG_INVALID_OPTION: ErrorFactory<{ path: string; expected: string; received: string }>;
}

/**
 * The error codes of the config module. Callers branch on `code` (or use `configErrors.MSYS_CONFIG_INVALID.is(e)`
 * to narrow the details' type).
 *
 * - `MSYS_CONFIG_INVALID` (`config`): the sources do not make a valid configuration; `details.issues` lists every problem.
 * - `MSYS_CONFIG_INVALID_OPTION` (`validation`): an argument of `defineConfig`/`load` is malformed.
 * - `MSYS_CONFIG_ASYNC_SCHEMA` (`unsupported`): `loadSync` was given a schema that validates asynchronously.
 *
 * @example
 * ```ts
 * try {
 *   await appConfig.load({ files: ['config.toml'] });
 * } catch (e) {
 *   if (configErrors.MSYS_CONFIG_INVALID.is(e)) for (const i of e.details.issues) console.error(i.source, i.path, i.message);
 *   else throw e;
 * }
 * ```
 */
export const configErrors: ConfigErrors = defineErrors({
  MSYS_CONFIG_INVALID: {
    category: 'config',
    message: (d: ConfigInvalidDetails) =>
      `configuration is invalid (${d.issues.length} problem${d.issues.length === 1 ? '' : 's'}):\n${d.issues
        .map((i) => `  - ${renderIssue(i)}`)
        .join('\n')}`,
  },
  MSYS_CONFIG_INVALID_OPTION: {
    category: 'validation',
    message: (d: { path: string; expected: string; received: string }) =>
      `${d.path} must be ${d.expected}, received ${d.received}`,
  },
  MSYS_CONFIG_ASYNC_SCHEMA: {
    category: 'unsupported',
    message: (d: ConfigAsyncSchemaDetails) =>
      `loadSync: the ${d.vendor} schema validates asynchronously (it returned a Promise); call load() instead`,
  },
});
