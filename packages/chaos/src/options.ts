/**
 * The options and results of the engine's public methods.
 *
 * @module
 */
import type { Logger } from '@msys/core/logging';
import type { FaultHandle, RevertReason } from './active-fault.js';
import type { BlastRadius } from './blast-radius.js';
import type { ChaosGovernor } from './clock.js';
import type { Fault } from './faults.js';
import type { TargetSelector } from './targets.js';

/** Options of {@link ChaosEngine}. */
export interface ChaosEngineOptions {
  /** Seeds every decision; a run with the same seed and call sequence makes the same decisions. */
  readonly seed?: number | bigint | string;
  /** Takes time (`clock`) from the governor, and randomness (`random.fork('chaos')`) when it is deterministic. */
  readonly governor?: ChaosGovernor;
  /** Receives a debug record per injection and revert (pino-compatible). */
  readonly logger?: Logger;
  /** The limits every injection must respect. */
  readonly blastRadius?: BlastRadius;
  /** The kill switch: when it aborts, every fault is reverted and no new one is accepted. */
  readonly signal?: AbortSignal;
  /**
   * The most events and decisions the journal keeps (each); later ones are counted in
   * `journal().dropped` instead, which bounds the memory of a long-running engine. Default 1,000,000.
   */
  readonly journalLimit?: number;
}

/** Options of {@link ChaosEngine.inject}. */
export interface InjectOptions {
  /** A target name or a selector; default: every target the fault kind applies to. */
  readonly target?: string | TargetSelector;
  /** Revert the fault after this many ms of the engine's clock; default: until reverted. */
  readonly durationMs?: number;
  /** The chance that the fault acts on each call / connection / request / fs operation; default 1. */
  readonly probability?: number;
}

/** What {@link ChaosEngine.halt} did. */
export interface HaltResult {
  /** How many faults were reverted. */
  readonly reverted: number;
  /** How long reverting them took, in ms (wall clock). */
  readonly ms: number;
}

/** The events an engine emits. */
export interface ChaosEvents {
  /** A fault was injected. */
  inject: [fault: FaultHandle];
  /** A fault was reverted. */
  revert: [fault: FaultHandle, reason: RevertReason];
  /** An injection was refused by the blast radius. */
  refused: [fault: Fault, error: Error];
  /** `halt()` ran (also on the kill switch). */
  halt: [result: HaltResult];
}
