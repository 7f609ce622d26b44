/**
 * The targets of an engine, the faults attached to them, and the decisions made on their calls: target
 * registration and selection, the blast-radius checks, and the per-call decision (drawn from the
 * target's own seeded stream, or read back from a replayed journal).
 *
 * @internal
 * @module
 */
import type { ActiveFault } from './active-fault.js';
import type { BlastRadius } from './blast-radius.js';
import { chaosErrors } from './errors.js';
import { CALL_KINDS, type Fault, PROCESS_KINDS } from './faults.js';
import type { CallStats, Firing } from './internal.js';
import type { DecisionRecord, JournalEvent } from './journal.js';
import type { ChaosRandom } from './random.js';
import type { JournalRecorder } from './recorder.js';
import { choose, matches, type TargetSelector, TargetState, type TargetType } from './targets.js';
import type { ChaosMetrics } from './telemetry.js';

/** What a replaying engine reads from its journal. @internal */
export interface ReplayState {
  readonly injects: readonly JournalEvent[];
  readonly decisions: readonly DecisionRecord[];
  readonly history: Map<string, ActiveFault>;
}

const COMPATIBLE: Record<string, readonly TargetType[]> = {
  toxic: ['proxy', 'unknown'],
  fs: ['fs', 'unknown'],
  http: ['fetch', 'unknown'],
};

/** @internal */
export class FaultRegistry {
  readonly targets = new Map<string, TargetState>();
  /** Faults injected for "every target of their kind": they reach targets registered later. */
  readonly dynamic = new Set<ActiveFault>();
  readonly stats: CallStats = { calls: 0, affected: 0, suppressed: 0 };
  /** Fault time used or reserved, in ms. */
  faultMsUsed = 0;
  readonly #random: ChaosRandom;
  readonly #selectRandom: ChaosRandom;
  readonly #replay: ReplayState | undefined;
  readonly #recorder: JournalRecorder;
  readonly #metrics: ChaosMetrics;

  constructor(
    readonly limits: BlastRadius,
    random: ChaosRandom,
    replay: ReplayState | undefined,
    recorder: JournalRecorder,
    metrics: ChaosMetrics,
  ) {
    this.#metrics = metrics;
    this.#random = random;
    this.#selectRandom = random.fork('select');
    this.#replay = replay;
    this.#recorder = recorder;
  }

  resolve(spec: Fault, selector: TargetSelector | undefined, injection: number): TargetState[] {
    if (PROCESS_KINDS.has(spec.kind)) return [this.register('process', 'process', [])];
    const types = COMPATIBLE[spec.kind] ?? (CALL_KINDS.has(spec.kind) ? ['call', 'unknown'] : []);
    const replayed = this.#replay?.injects[injection];
    if (replayed !== undefined && replayed.kind === spec.kind && replayed.targets !== undefined) {
      return replayed.targets.map((name) => this.register(name, 'unknown', []));
    }
    if (selector === undefined) {
      // Targets only named so far (type unknown) are reached by name, not by "every target of its kind".
      return [...this.targets.values()].filter((t) => t.type !== 'unknown' && types.includes(t.type));
    }
    if (selector.names !== undefined && (selector.mode ?? 'all') === 'all') {
      for (const name of selector.names) this.register(name, 'unknown', []);
    }
    const candidates = [...this.targets.values()].filter(
      (t) =>
        types.includes(t.type) &&
        (t.type !== 'unknown' || selector.names?.includes(t.name) === true) &&
        matches(selector, t),
    );
    return choose(selector, candidates, this.#selectRandom);
  }

  checkLimits(
    targets: readonly TargetState[],
    durationMs: number | undefined,
    active: number,
  ): number | undefined {
    const l = this.limits;
    const tooMany = (limit: string, value: number, max: number) =>
      chaosErrors.MSYS_CHAOS_BLAST_RADIUS({ limit, value, max });
    if (l.maxConcurrentFaults !== undefined && active + 1 > l.maxConcurrentFaults) {
      throw tooMany('maxConcurrentFaults', active + 1, l.maxConcurrentFaults);
    }
    if (l.allowedTargets !== undefined) {
      const outside = targets.find(
        (t) => t.type !== 'process' && !matches(l.allowedTargets as TargetSelector, t),
      );
      if (outside) throw tooMany('allowedTargets', 1, 0);
    }
    if (l.maxTargetFraction !== undefined) {
      const { affectedTargets, knownTargets } = this.targetCounts(targets);
      const max = Math.floor(l.maxTargetFraction * knownTargets);
      if (affectedTargets > max) throw tooMany('maxTargetFraction', affectedTargets, max);
    }
    if (l.maxTotalFaultMs !== undefined) {
      const remaining = l.maxTotalFaultMs - this.faultMsUsed;
      const want = durationMs ?? remaining;
      if (remaining <= 0 || want > remaining)
        throw tooMany('maxTotalFaultMs', this.faultMsUsed + want, l.maxTotalFaultMs);
      return want;
    }
    return durationMs;
  }

  targetCounts(extra: readonly TargetState[] = []): { affectedTargets: number; knownTargets: number } {
    let known = 0;
    let affected = 0;
    for (const t of this.targets.values()) {
      if (t.type === 'process') continue;
      known++;
      if (t.faultCount > 0 || extra.includes(t)) affected++;
    }
    return { affectedTargets: affected, knownTargets: known };
  }

  register(name: string, type: TargetType, tags: readonly string[]): TargetState {
    let t = this.targets.get(name);
    if (t === undefined) {
      t = new TargetState(name, type, tags, this.#random);
      this.targets.set(name, t);
      const recorded = (this.#replay?.decisions ?? []).filter((d) => d.target === name);
      if (this.#replay !== undefined) {
        t.replayed = new Map();
        for (const d of recorded) {
          const list = t.replayed.get(d.call) ?? [];
          list.push({ fault: d.fault, ...(d.value === undefined ? {} : { value: d.value }) });
          t.replayed.set(d.call, list);
        }
      }
    } else if (t.type === 'unknown' && type !== 'unknown') {
      t.type = type;
      for (const tag of tags) t.tags.add(tag);
    } else return t;
    // A fault injected for "every target of its kind" reaches targets registered later, within the limits.
    for (const f of this.dynamic) {
      const types = COMPATIBLE[f.kind] ?? ['call'];
      if (type === 'unknown' || !types.includes(type) || f.targetStates.includes(t)) continue;
      const max = this.limits.maxTargetFraction;
      if (max !== undefined) {
        const c = this.targetCounts([t]);
        if (c.affectedTargets > Math.floor(max * c.knownTargets)) continue;
      }
      if (this.limits.allowedTargets !== undefined && !matches(this.limits.allowedTargets, t)) continue;
      attach(t, f);
      (f.targetStates as TargetState[]).push(t);
      (f.targets as string[]).push(t.name);
    }
    return t;
  }

  decide(
    t: TargetState,
    call: number,
    faults: readonly ActiveFault[],
    isCall: boolean,
  ): Firing[] | undefined {
    let out: Firing[] | undefined;
    if (this.#replay !== undefined) {
      const recorded = t.replayed?.get(call);
      if (recorded === undefined) return undefined;
      for (const r of recorded) {
        const f = this.#replay.history.get(r.fault);
        // A call replays every recorded fault; a connection/request asks about the given faults only.
        if (f === undefined || !(isCall || faults.includes(f))) continue;
        if (out === undefined) out = [];
        out.push({ fault: f, value: r.value });
      }
      if (out === undefined) return undefined;
    } else {
      // Draws allocate nothing until a fault fires: a fault that does not fire costs one float.
      const random = t.random;
      for (let i = 0; i < faults.length; i++) {
        const f = faults[i] as ActiveFault;
        if (f.status !== 'active' || (f.probability < 1 && !(random.float() < f.probability))) continue;
        if (out === undefined) out = [];
        out.push({ fault: f, value: drawValue(f.fault, random) });
      }
      if (out === undefined) return undefined;
      const max = this.limits.maxCallFraction;
      if (isCall && max !== undefined && this.stats.affected + 1 > max * this.stats.calls) {
        this.stats.suppressed++;
        return undefined;
      }
    }
    if (isCall) this.stats.affected++;
    for (const { fault, value } of out) {
      fault.fired++;
      this.#recorder.decision(t.name, call, fault.id, fault.kind, value);
      this.#metrics.fired.add(1, { 'msys.chaos.fault.kind': fault.kind });
    }
    return out;
  }

  /** Attaches a new fault to its targets (process faults have none to attach to). */
  attach(f: ActiveFault, selector: TargetSelector | undefined): void {
    this.#replay?.history.set(f.id, f);
    this.faultMsUsed += f.reservedMs;
    if (PROCESS_KINDS.has(f.kind)) return;
    for (const t of f.targetStates) attach(t, f);
    if ((selector === undefined || (selector.mode ?? 'all') === 'all') && selector?.names === undefined) {
      this.dynamic.add(f);
    }
  }

  /** Detaches a fault and charges the budget for the time it really lasted. */
  detach(f: ActiveFault, endedAt: number): void {
    this.dynamic.delete(f);
    for (const t of f.targetStates) detach(t, f);
    const used = Math.min(f.reservedMs || Number.POSITIVE_INFINITY, Math.max(0, endedAt - f.startedAt));
    if (f.reservedMs > 0) this.faultMsUsed -= f.reservedMs - used;
    else this.faultMsUsed += used;
  }
}

function drawValue(fault: Fault, random: ChaosRandom): number | undefined {
  if (fault.kind !== 'latency') return undefined;
  switch (fault.distribution ?? 'fixed') {
    case 'uniform':
      return (fault.minMs ?? 0) + random.float() * ((fault.maxMs ?? 0) - (fault.minMs ?? 0));
    case 'normal':
      return Math.max(0, random.normal(fault.ms ?? 0, fault.jitterMs ?? 0));
    default:
      return fault.ms ?? 0;
  }
}

function listFor(fault: ActiveFault): 'callFaults' | 'toxics' | 'fsFaults' | 'httpFaults' {
  if (fault.kind === 'toxic') return 'toxics';
  if (fault.kind === 'fs') return 'fsFaults';
  if (fault.kind === 'http') return 'httpFaults';
  return 'callFaults';
}

// Decisions iterate these arrays synchronously and never across an await, so in-place edits are safe.
function attach(t: TargetState, f: ActiveFault): void {
  t[listFor(f)].push(f);
}

function detach(t: TargetState, f: ActiveFault): void {
  const list = t[listFor(f)];
  const i = list.lastIndexOf(f);
  if (i >= 0) list.splice(i, 1);
}
