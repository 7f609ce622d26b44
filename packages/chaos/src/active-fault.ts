/**
 * One injected fault, from injection to revert. The engine hands it out as a {@link FaultHandle}.
 *
 * @module
 */
import type { TimerHandle } from '@msys/core/governor';
import type { Fault, FaultKind } from './faults.js';
import type { TargetState } from './targets.js';

/** Where a fault is in its life. */
export type FaultStatus = 'active' | 'reverted';

/** Why a fault ended. */
export type RevertReason = 'reverted' | 'expired' | 'halted' | 'killed';

/** A live fault: revert it, await it, or let `await using` revert it at the end of a scope. */
export interface FaultHandle extends AsyncDisposable {
  /** The fault's id, `f<n>` in injection order (stable across runs of the same scenario). */
  readonly id: string;
  /** The kind of fault. */
  readonly kind: FaultKind;
  /** The spec it was injected with. */
  readonly fault: Fault;
  /** The names of the targets it acts on. */
  readonly targets: readonly string[];
  /** `active` until reverted (by hand, by its duration, by `halt()` or the kill switch). */
  readonly status: FaultStatus;
  /** Why it ended, once it has. */
  readonly reason: RevertReason | undefined;
  /** How many times it fired (calls, connections, requests or fs operations it changed). */
  readonly fired: number;
  /** Settles when the fault has been reverted. */
  readonly reverted: Promise<void>;
  /**
   * Reverts the fault: removes it from its targets and stops its workers, timers and buffers.
   * Idempotent.
   *
   * @returns when everything the fault started has stopped
   */
  revert(): Promise<void>;
}

/** What an active process fault must undo. @internal */
export interface FaultDriver {
  stop(): void | Promise<void>;
}

/** @internal */
export class ActiveFault implements FaultHandle {
  status: FaultStatus = 'active';
  reason: RevertReason | undefined;
  fired = 0;
  readonly reverted: Promise<void>;
  readonly targets: readonly string[];
  driver: FaultDriver | undefined;
  timer: TimerHandle | undefined;
  /** The fault-time budget reserved for this fault, in ms (refunded in part on early revert). */
  reservedMs = 0;
  readonly startedAt: number;
  endedAt: number | undefined;
  #resolve!: () => void;
  #stopping: Promise<void> | undefined;

  constructor(
    readonly id: string,
    readonly fault: Fault,
    readonly probability: number,
    readonly durationMs: number | undefined,
    readonly targetStates: readonly TargetState[],
    startedAt: number,
    private readonly onRevert: (fault: ActiveFault, reason: RevertReason) => Promise<void>,
  ) {
    this.targets = targetStates.map((t) => t.name);
    this.startedAt = startedAt;
    this.reverted = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  get kind(): FaultKind {
    return this.fault.kind;
  }

  revert(): Promise<void> {
    return this.end('reverted');
  }

  /** @internal */
  end(reason: RevertReason): Promise<void> {
    if (this.#stopping === undefined) {
      this.reason = reason;
      this.#stopping = this.onRevert(this, reason).finally(() => this.#resolve());
    }
    return this.#stopping;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.revert();
  }
}
