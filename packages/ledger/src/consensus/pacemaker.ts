import type { Clock, TimerHandle } from '@msys/core/governor';

/** Consecutive views led by one replica. */
export const LEADER_TERM = 4;

/**
 * The leader of `view` among `n` validators. Leaders rotate in terms of LEADER_TERM consecutive views. Plain
 * round robin would never commit with one Byzantine replica among four: a commit needs a direct chain
 * b ← b' ← b'' of consecutive views plus the next view's leader to certify b'' — four honest leaders in a row,
 * which n = 4 round robin never has.
 *
 * @internal
 */
export function leaderOf(view: number, n: number): number {
  return Math.floor(view / LEADER_TERM) % n;
}

/** The first view of the term after the one `view` belongs to: a timeout skips the failed leader's term. @internal */
export function nextTerm(view: number): number {
  return (Math.floor(view / LEADER_TERM) + 1) * LEADER_TERM;
}

/** What a {@link Pacemaker} drives. @internal */
export interface PacemakerHooks {
  readonly clock: Clock;
  /** Base view timeout, ms; doubled per consecutive timeout up to 2^5. */
  readonly viewTimeoutMs: number;
  /** Whether there is work to agree on (no work, no view timer). */
  readonly hasWork: () => boolean;
  /** The view timer fired. */
  readonly onTimeout: () => void;
  /** The heartbeat fired (every 5 base timeouts). */
  readonly onHeartbeat: () => void;
}

/**
 * The timers of HotStuff's pacemaker (§5): a view timer with exponential backoff while there is work, and a
 * heartbeat. The heartbeat exists because a replica that missed commits while partitioned, and has no pending
 * entries of its own, would otherwise never hear of them once the cluster idles.
 *
 * @internal
 */
export class Pacemaker {
  readonly #h: PacemakerHooks;
  #timer: TimerHandle | undefined;
  #heartbeat: TimerHandle | undefined;
  #timeouts = 0;
  #stopped = false;

  constructor(hooks: PacemakerHooks) {
    this.#h = hooks;
  }

  /** (Re)arms the view timer while there is work; `reset` restarts it after progress. */
  arm(reset = false): void {
    if (this.#stopped) return;
    if (this.#timer !== undefined) {
      if (!reset) return;
      this.#h.clock.clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (!this.#h.hasWork()) return;
    const delay = this.#h.viewTimeoutMs * 2 ** Math.min(this.#timeouts, 5);
    this.#timer = this.#h.clock.setTimeout(() => {
      this.#timer = undefined;
      this.#h.onTimeout();
    }, delay);
  }

  /** Starts the heartbeat. */
  startHeartbeat(): void {
    if (this.#stopped) return;
    this.#heartbeat = this.#h.clock.setTimeout(() => {
      this.#heartbeat = undefined;
      this.#h.onHeartbeat();
      this.startHeartbeat();
    }, this.#h.viewTimeoutMs * 5);
  }

  /** A view made progress: the backoff restarts. */
  progressed(): void {
    this.#timeouts = 0;
  }

  /** A view timed out: the next timer is twice as long. */
  timedOut(): void {
    this.#timeouts++;
  }

  /** Clears both timers for good. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#h.clock.clearTimeout(this.#timer);
    if (this.#heartbeat !== undefined) this.#h.clock.clearTimeout(this.#heartbeat);
  }
}
