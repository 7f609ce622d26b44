/**
 * Keeps the journal: the timeline of events and every decision that fired, bounded by `journalLimit`.
 *
 * @internal
 * @module
 */
import type { DecisionRecord, Journal, JournalEvent } from './journal.js';
import type { TargetState } from './targets.js';

/** @internal */
export class JournalRecorder {
  readonly #events: JournalEvent[] = [];
  readonly #decisions: DecisionRecord[] = [];
  readonly #dropped = { events: 0, decisions: 0 };
  readonly #start: number;

  constructor(
    private readonly now: () => number,
    private readonly limit: number,
  ) {
    this.#start = now();
  }

  event(event: Omit<JournalEvent, 'seq' | 'atMs'>): void {
    if (this.#events.length >= this.limit) {
      this.#dropped.events++;
      return;
    }
    this.#events.push({ seq: this.#events.length, atMs: Math.round(this.now() - this.#start), ...event });
  }

  decision(target: string, call: number, fault: string, kind: string, value: number | undefined): void {
    if (this.#decisions.length >= this.limit) {
      this.#dropped.decisions++;
      return;
    }
    this.#decisions.push({ target, call, fault, kind, ...(value === undefined ? {} : { value }) });
  }

  journal(seed: string, targets: Iterable<TargetState>): Journal {
    const calls: Record<string, number> = {};
    for (const t of targets) if (t.type !== 'process') calls[t.name] = t.calls;
    return {
      format: 'msys-chaos-journal',
      version: 1,
      seed,
      events: this.#events.slice(),
      decisions: this.#decisions.slice(),
      calls,
      ...(this.#dropped.events + this.#dropped.decisions > 0 ? { dropped: { ...this.#dropped } } : {}),
    };
  }
}
