import { type Clock, type Random, SeededRandom, VirtualClock } from '@msys/core/governor';
import { badArgument } from '../errors.js';
import type { Transport } from './transport.js';

/** Fault settings of an {@link InMemoryNetwork}; every probability is in [0, 1]. */
export interface NetworkFaults {
  /** Minimum one-way delay, ms (default 1). */
  readonly minDelayMs?: number;
  /** Maximum one-way delay, ms (default 10); delays are uniform in [min, max], so frames reorder. */
  readonly maxDelayMs?: number;
  /** Probability a frame is lost (default 0). */
  readonly dropRate?: number;
  /** Probability a frame is delivered twice (default 0). */
  readonly duplicateRate?: number;
}

/** Counters of an {@link InMemoryNetwork}. */
export interface NetworkStats {
  /** Frames handed to `send`. */
  readonly sent: number;
  /** Frames delivered (duplicates counted). */
  readonly delivered: number;
  /** Frames lost to the drop rate. */
  readonly dropped: number;
  /** Frames lost to a partition or a closed endpoint. */
  readonly blocked: number;
  /** Extra copies delivered. */
  readonly duplicated: number;
}

/**
 * A deterministic simulated network: every delay, drop, duplicate and reorder comes from one seeded random
 * stream and every delivery is a timer on one virtual clock, so a seed replays a run exactly. Partitions
 * split the replicas into groups that cannot talk until {@link InMemoryNetwork.heal}.
 *
 * @example
 * ```ts
 * const net = new InMemoryNetwork({ seed: 7, faults: { dropRate: 0.05 } });
 * const a = net.endpoint('a');
 * net.partition([['a', 'b'], ['c', 'd']]);
 * await net.clock.advance(1000);
 * net.heal();
 * ```
 */
export class InMemoryNetwork {
  /** The virtual clock that drives deliveries; give it to the replicas too. */
  readonly clock: Clock;
  /** The seeded random stream of the network's faults. */
  readonly random: Random;
  readonly #handlers = new Map<string, (peer: string, frame: Uint8Array) => void>();
  readonly #closed = new Set<string>();
  #faults: Required<NetworkFaults>;
  #groups: Map<string, number> | undefined;
  #stats = { sent: 0, delivered: 0, dropped: 0, blocked: 0, duplicated: 0 };

  /**
   * @param options - `seed` for the random stream; or a `clock` and `random` (e.g. a deterministic
   *   ResourceGovernor's) to share; `faults` to start with
   * @throws SystemError `MSYS_LEDGER_INVALID_ARGUMENT` for bad fault settings
   */
  constructor(
    options: {
      readonly seed?: number;
      readonly clock?: Clock;
      readonly random?: Random;
      readonly faults?: NetworkFaults;
    } = {},
  ) {
    this.clock = options.clock ?? new VirtualClock();
    this.random = options.random ?? new SeededRandom(options.seed ?? 1);
    this.#faults = this.#resolve(options.faults ?? {});
  }

  #resolve(f: NetworkFaults): Required<NetworkFaults> {
    const rate = (name: string, v: number | undefined): number => {
      if (v === undefined) return 0;
      if (typeof v !== 'number' || !(v >= 0 && v <= 1))
        badArgument(`faults.${name}`, 'a number in [0, 1]', v);
      return v;
    };
    const minDelayMs = f.minDelayMs ?? 1;
    const maxDelayMs = f.maxDelayMs ?? Math.max(10, minDelayMs);
    if (!(minDelayMs >= 0) || !(maxDelayMs >= minDelayMs)) {
      badArgument('faults.maxDelayMs', `a number ≥ minDelayMs (${minDelayMs})`, maxDelayMs);
    }
    return {
      minDelayMs,
      maxDelayMs,
      dropRate: rate('dropRate', f.dropRate),
      duplicateRate: rate('duplicateRate', f.duplicateRate),
    };
  }

  /** The counters so far. */
  get stats(): NetworkStats {
    return { ...this.#stats };
  }

  /**
   * Changes the fault settings from now on.
   *
   * @param faults - the new settings
   */
  setFaults(faults: NetworkFaults): void {
    this.#faults = this.#resolve(faults);
  }

  /**
   * Splits the network: frames flow only between ids of the same group; ids in no group are isolated.
   *
   * @param groups - disjoint lists of replica ids
   */
  partition(groups: readonly (readonly string[])[]): void {
    this.#groups = new Map();
    groups.forEach((g, i) => {
      for (const id of g) this.#groups?.set(id, i);
    });
  }

  /** Removes the partition. */
  heal(): void {
    this.#groups = undefined;
  }

  /**
   * Creates the endpoint of one replica.
   *
   * @param id - the replica id
   * @returns its transport
   */
  endpoint(id: string): Transport {
    this.#closed.delete(id);
    return {
      localId: id,
      send: (peer, frame) => this.#send(id, peer, frame),
      onMessage: (handler) => {
        this.#handlers.set(id, handler);
      },
      close: async () => {
        this.#closed.add(id);
        this.#handlers.delete(id);
      },
    };
  }

  #connected(a: string, b: string): boolean {
    if (this.#groups === undefined) return true;
    const ga = this.#groups.get(a);
    return ga !== undefined && ga === this.#groups.get(b);
  }

  #send(from: string, to: string, frame: Uint8Array): void {
    this.#stats.sent++;
    if (this.#closed.has(from)) return void this.#stats.blocked++;
    if (this.random.float() < this.#faults.dropRate) return void this.#stats.dropped++;
    const copies = this.random.float() < this.#faults.duplicateRate ? 2 : 1;
    if (copies === 2) this.#stats.duplicated++;
    // A private copy: the receiver must never share memory with the sender.
    const bytes = new Uint8Array(frame);
    for (let i = 0; i < copies; i++) {
      const { minDelayMs, maxDelayMs } = this.#faults;
      const delay = minDelayMs + this.random.float() * (maxDelayMs - minDelayMs);
      this.clock.setTimeout(() => {
        // Partitions are judged at delivery time: a frame in flight when the link is cut is lost.
        const handler = this.#handlers.get(to);
        if (handler === undefined || this.#closed.has(to) || !this.#connected(from, to)) {
          this.#stats.blocked++;
          return;
        }
        this.#stats.delivered++;
        handler(from, bytes);
      }, delay);
    }
  }
}
