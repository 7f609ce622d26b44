import type { QuorumCertificate } from './types.js';

/**
 * Votes and NEW-VIEW messages gathered by a leader, per view; a quorum of votes for one block forms a
 * {@link QuorumCertificate}.
 *
 * @internal
 */
export class VoteCollector {
  readonly #votes = new Map<string, Map<number, string>>();
  readonly #newViews = new Map<number, Map<number, QuorumCertificate>>();
  readonly #quorum: number;
  readonly #epoch: number;

  constructor(quorum: number, epoch = 0) {
    this.#quorum = quorum;
    this.#epoch = epoch;
  }

  /** Adds a verified vote; returns the certificate when this vote completes a quorum (once). */
  vote(
    view: number,
    height: number,
    blockHash: string,
    voter: number,
    signature: string,
  ): QuorumCertificate | undefined {
    const key = `${view}:${height}:${blockHash}`;
    const votes = this.#votes.get(key) ?? new Map<number, string>();
    this.#votes.set(key, votes);
    if (votes.has(voter) || votes.size >= this.#quorum) return undefined;
    votes.set(voter, signature);
    if (votes.size < this.#quorum) return undefined;
    return {
      epoch: this.#epoch,
      view,
      height,
      blockHash,
      votes: [...votes].map(([v, s]) => ({ voter: v, signature: s })),
    };
  }

  /** Adds a verified NEW-VIEW; returns how many distinct replicas asked for `view`. */
  newView(view: number, sender: number, highQC: QuorumCertificate): number {
    const senders = this.#newViews.get(view) ?? new Map<number, QuorumCertificate>();
    this.#newViews.set(view, senders);
    senders.set(sender, highQC);
    return senders.size;
  }

  /** How many distinct replicas asked for `view`. */
  newViewCount(view: number): number {
    return this.#newViews.get(view)?.size ?? 0;
  }

  /** Forgets views below `view`. */
  forgetBelow(view: number): void {
    for (const key of this.#votes.keys()) if (Number(key.split(':')[0]) < view) this.#votes.delete(key);
    for (const v of this.#newViews.keys()) if (v < view) this.#newViews.delete(v);
  }
}
