import { type EquivocationEntry, validateEntry } from '../intel/entry.js';
import type { Validator } from './types.js';

/**
 * Remembers the first proposal per view and the first vote per (view, voter); a second, different one signed
 * by the same key is proof of equivocation, returned as a ledger entry that anyone can re-verify.
 *
 * @internal
 */
export class EquivocationDetector {
  readonly #proposals = new Map<number, { hash: string; signature: string }>();
  readonly #votes = new Map<string, { hash: string; signature: string }>();
  readonly #reported = new Set<string>();

  #check(
    map: Map<string | number, { hash: string; signature: string }>,
    key: string | number,
    validator: Validator | undefined,
    view: number,
    hash: string,
    signature: string,
    message: 'proposal' | 'vote',
  ): EquivocationEntry | undefined {
    const first = map.get(key);
    if (first === undefined) {
      map.set(key, { hash, signature });
      return undefined;
    }
    if (first.hash === hash || validator === undefined) return undefined;
    const replica = Buffer.from(validator.publicKey).toString('hex');
    const id = `${message}:${replica}:${view}`;
    if (this.#reported.has(id)) return undefined;
    this.#reported.add(id);
    const statements = [first, { hash, signature }]
      .sort((a, b) => (a.hash < b.hash ? -1 : 1))
      .map((s) => ({ blockHash: s.hash, signature: s.signature }));
    // observedAt is fixed to the view so that every honest replica produces the same entry (one leaf, not n).
    // Validated, so that it is in canonical form (peers refuse non-canonical entries).
    const entry: EquivocationEntry = {
      type: 'equivocation',
      replica,
      view,
      message,
      statements,
      observedAt: view,
    };
    return validateEntry(entry, view) as EquivocationEntry;
  }

  /** Records a proposal; returns evidence on a conflicting one. */
  proposal(v: Validator | undefined, view: number, hash: string, sig: string): EquivocationEntry | undefined {
    return this.#check(this.#proposals as never, view, v, view, hash, sig, 'proposal');
  }

  /** Records a vote; returns evidence on a conflicting one. */
  vote(v: Validator | undefined, view: number, hash: string, sig: string): EquivocationEntry | undefined {
    const key = `${view}:${v === undefined ? '' : Buffer.from(v.publicKey).toString('hex')}`;
    return this.#check(this.#votes as never, key, v, view, hash, sig, 'vote');
  }

  /** Forgets views below `view` (after a checkpoint). */
  forgetBelow(view: number): void {
    for (const k of this.#proposals.keys()) if (k < view) this.#proposals.delete(k);
    for (const k of this.#votes.keys()) if (Number(k.split(':')[0]) < view) this.#votes.delete(k);
  }
}
