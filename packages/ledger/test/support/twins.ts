import { SeededRandom, VirtualClock } from '@msys/core/governor';
import type { Transport } from '../../src/index.js';

/**
 * The network of a Twins run (Bano, Sonnino, Chursin, Perelman, Li, Ching, Malkhi: "Twins: BFT Systems Made
 * Robust", OPODIS 2022): some validator ids are held by two nodes ("twins") running the honest code with the
 * same key, which is how a Byzantine validator equivocates without any hand-written attack. A frame sent to a
 * validator id reaches every node holding that id in the sender's partition.
 */
export class TwinsNetwork {
  readonly clock = new VirtualClock();
  readonly random: SeededRandom;
  readonly #nodes = new Map<
    string,
    { validator: string; handler?: (peer: string, f: Uint8Array) => void; closed: boolean }
  >();
  #partition: string[][] | undefined;

  constructor(seed: number) {
    this.random = new SeededRandom(seed);
  }

  /** A node named `node` holding validator id `validator`. */
  endpoint(node: string, validator: string): Transport {
    const entry: { validator: string; handler?: (peer: string, f: Uint8Array) => void; closed: boolean } = {
      validator,
      closed: false,
    };
    this.#nodes.set(node, entry);
    return {
      localId: validator,
      send: (to, frame) => this.#send(node, to, frame),
      onMessage: (h) => {
        entry.handler = h;
      },
      close: async () => {
        entry.closed = true;
      },
    };
  }

  /** Splits nodes (by node name) into groups; nodes in no group are isolated. */
  partition(groups: string[][] | undefined): void {
    this.#partition = groups;
  }

  #together(a: string, b: string): boolean {
    if (this.#partition === undefined) return true;
    return this.#partition.some((g) => g.includes(a) && g.includes(b));
  }

  #send(from: string, to: string, frame: Uint8Array): void {
    const sender = this.#nodes.get(from);
    if (sender === undefined) return;
    const copy = new Uint8Array(frame);
    for (const [name, node] of this.#nodes) {
      if (node.validator !== to || name === from) continue;
      this.clock.setTimeout(
        () => {
          if (!node.closed && this.#together(from, name)) node.handler?.(sender.validator, copy);
        },
        1 + this.random.float() * 9,
      );
    }
  }
}
