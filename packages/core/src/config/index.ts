/**
 * Typed configuration from layered sources: defaults < JSON/TOML files < the files' `[profile.<name>]`
 * sections < environment variables < overrides, validated by any Standard Schema v1 validator (zod 4 in the
 * examples) and returned deeply frozen. Every problem is reported at once, each with its source, in one
 * `MSYS_CONFIG_INVALID` error; values of secret keys never appear in messages, details or logs.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { defineConfig } from '@msys/core/config';
 *
 * const appConfig = defineConfig(z.object({ ledger: z.object({ port: z.number(), token: z.string() }) }), {
 *   secrets: ['ledger.token'],
 * });
 * const config = await appConfig.load({ defaults: { ledger: { port: 7000 } }, files: ['config.toml'] });
 * ```
 *
 * @module
 */
export type { StandardSchemaV1 } from '@standard-schema/spec';
export { defineConfig } from './define.js';
export {
  type ConfigAsyncSchemaDetails,
  type ConfigErrors,
  type ConfigInvalidDetails,
  type ConfigIssue,
  configErrors,
} from './errors.js';
export { REDACTED } from './secrets.js';
export type {
  Config,
  ConfigAtom,
  ConfigDefinition,
  ConfigFile,
  DeepReadonly,
  DefineConfigOptions,
  LoadOptions,
  PartialConfig,
} from './types.js';
