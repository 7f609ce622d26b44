/**
 * `@msys/core` — errors, logging, telemetry, crypto, config, ids/time/versions, the ResourceGovernor and
 * the PluginRegistry: what every `@msys` package stands on. Each module is also its own subpath export
 * (`@msys/core/errors`, `@msys/core/crypto`, …).
 *
 * @packageDocumentation
 */

export type {
  Config,
  ConfigAsyncSchemaDetails,
  ConfigAtom,
  ConfigDefinition,
  ConfigErrors,
  ConfigFile,
  ConfigInvalidDetails,
  ConfigIssue,
  DeepReadonly,
  DefineConfigOptions,
  LoadOptions,
  PartialConfig,
  StandardSchemaV1,
} from './config/index.js';
export {
  configErrors,
  defineConfig,
  REDACTED,
} from './config/index.js';
export type {
  Blake3Options,
  CryptoBackend,
  CryptoBackendName,
  KeyPair,
} from './crypto/index.js';
export {
  blake3,
  createCrypto,
  decrypt,
  encrypt,
  fromBase64url,
  fromHex,
  generateKeyPair,
  getPublicKey,
  open,
  randomBytes,
  seal,
  sha256,
  sign,
  timingSafeEqual,
  toBase64url,
  toHex,
  verify,
} from './crypto/index.js';
export type {
  ErrorCategory,
  ErrorCodeSpec,
  ErrorFactory,
  JsonValue,
  SystemErrorJSON,
  SystemErrorOptions,
} from './errors/index.js';
export {
  defineErrors,
  describeValue,
  ERROR_CATEGORIES,
  invalidArgument,
  isSystemError,
  SystemError,
} from './errors/index.js';
export type {
  AcquireOptions,
  Clock,
  FsAccessMode,
  GovernorEventName,
  GovernorEvents,
  GovernorListener,
  GovernorOptions,
  GovernorUsage,
  IoRefusal,
  LimitEvent,
  MemoryLease,
  PressureEvent,
  Random,
  SandboxOptions,
  Seed,
  SpawnIsolatedOptions,
  SpawnIsolatedResult,
  ThrottleEvent,
  TimerHandle,
  TokenBucketOptions,
} from './governor/index.js';
export {
  CryptoRandom,
  GovernorEmitter,
  RealClock,
  ResourceGovernor,
  SeededRandom,
  TokenBucket,
  VIRTUAL_EPOCH_MS,
  VirtualClock,
} from './governor/index.js';
export {
  idTimestamp,
  isUuid,
  newId,
  uuidVersion,
  uuidv4,
} from './ids/index.js';
export type {
  Logger,
  LogMethod,
} from './logging/index.js';
export { silentLogger } from './logging/index.js';
export type {
  PluginArgumentDetails,
  PluginContext,
  PluginCycleDetails,
  PluginDefinition,
  PluginDependency,
  PluginDependencyDetails,
  PluginErrors,
  PluginHookDetails,
  PluginHookName,
  PluginIdDetails,
  PluginInfo,
  PluginInitContext,
  PluginInUseDetails,
  PluginKey,
  PluginOperation,
  PluginQuery,
  PluginRegistryOptions,
  PluginRequirement,
  PluginSpec,
  PluginState,
  PluginStateChange,
  PluginStateDetails,
  PluginTimeoutDetails,
  PluginTransition,
  PluginTransitionDetails,
  PluginUnavailableDetails,
  PluginVersionDetails,
  RegistryClock,
  RegistryClosedDetails,
  ShutdownOptions,
  ShutdownReport,
} from './plugins/index.js';
export {
  canPluginTransition,
  createPluginKey,
  definePlugin,
  isPluginDefinition,
  PLUGIN_API_STATES,
  PLUGIN_ID_MAX_LENGTH,
  PLUGIN_ID_PATTERN,
  PLUGIN_RUNNING_STATES,
  PLUGIN_TRANSITIONS,
  PluginRegistry,
  pluginErrors,
} from './plugins/index.js';
export type {
  MsysAttributeName,
  TraceContextOptions,
} from './telemetry/index.js';
export {
  ATTR,
  counter,
  extractTraceContext,
  formatTraceParent,
  getMeter,
  getTracer,
  histogram,
  injectTraceContext,
  parseTraceParent,
  TRACEPARENT_HEADER,
  TRACESTATE_HEADER,
  TraceContextPropagator,
  withSpan,
} from './telemetry/index.js';
export {
  now,
  parseIsoNs,
  toIsoNs,
} from './time/index.js';
export type {
  ParsedVersion,
  SatisfiesOptions,
} from './versions/index.js';
export {
  compareVersions,
  isValidVersion,
  parseVersion,
  satisfies,
} from './versions/index.js';
