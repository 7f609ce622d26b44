/**
 * `@msys/chaos` — ChaosEngine: real CPU, memory, network and call faults, experiments, blast-radius
 * control and deterministic replay.
 *
 * @packageDocumentation
 */
export type { FaultHandle, FaultStatus, RevertReason } from './active-fault.js';
export type { BlastRadius, BlastStats } from './blast-radius.js';
export type { WrapOptions, Wrapped } from './call.js';
export type { ChaosClock, ChaosGovernor } from './clock.js';
export { ChaosEngine } from './engine.js';
export { fromChaosToolkit } from './experiment/ctk.js';
export { type FunctionRegistry, type ProbeResult, withinTolerance } from './experiment/probes.js';
export {
  type ActivityResult,
  type ExperimentResult,
  type RunOptions,
  runExperiment,
  type Verdict,
} from './experiment/run.js';
export {
  type ActionActivity,
  type Activity,
  type ActivityCommon,
  type ActivityContext,
  type Experiment,
  type FaultActivity,
  type FunctionProbe,
  type HttpProbe,
  type ParallelActivity,
  type PauseActivity,
  type Pauses,
  type Probe,
  type ProbeActivity,
  type ProxyActivity,
  type Tolerance,
  validateExperiment,
} from './experiment/schema.js';
export {
  type AbortFault,
  type CallFault,
  type ClockSkewFault,
  type CorruptFault,
  type CpuFault,
  type ErrorFault,
  type EventLoopBlockFault,
  type Fault,
  type FaultKind,
  type FsFault,
  type FsOperation,
  type HttpFault,
  type LatencyFault,
  type MemoryFault,
  type ProcessFault,
  type TimeoutFault,
  type ToxicFault,
  type ToxicType,
  validateFault,
} from './faults.js';
export { ChaosFs, type FsFaultError } from './fs.js';
export {
  type DecisionRecord,
  type Journal,
  type JournalEvent,
  parseJournal,
  renderReport,
} from './journal.js';
export { ChaosDispatcher, type FetchDispatcherOptions, type HttpRule } from './network/http.js';
export { ChaosProxy, type Endpoint, type ProxyOptions } from './network/proxy.js';
export type { ChaosEngineOptions, ChaosEvents, HaltResult, InjectOptions } from './options.js';
export type { ChaosRandom } from './random.js';
export type { TargetSelector, TargetType } from './targets.js';
