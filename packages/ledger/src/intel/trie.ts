/**
 * A binary prefix trie over IP address bits, stored in typed arrays (no object per node) so that a million
 * networks stay within tens of megabytes and a lookup walks at most 32 (IPv4) or 128 (IPv6) array slots.
 * Each node may carry a slot number; a lookup reports the slots of every prefix that covers the address.
 *
 * @internal
 */
export class PrefixTrie {
  #zero = new Int32Array(1024);
  #one = new Int32Array(1024);
  #slot = new Int32Array(1024).fill(-1);
  #count = 1;

  /** Number of nodes, the root included. */
  get nodes(): number {
    return this.#count;
  }

  #grow(): void {
    const size = this.#zero.length * 2;
    const zero = new Int32Array(size);
    zero.set(this.#zero);
    const one = new Int32Array(size);
    one.set(this.#one);
    const slot = new Int32Array(size).fill(-1);
    slot.set(this.#slot);
    this.#zero = zero;
    this.#one = one;
    this.#slot = slot;
  }

  /** Finds or creates the node of `words/prefix` and returns its number. */
  insert(words: Uint32Array, prefix: number): number {
    let node = 0;
    for (let bit = 0; bit < prefix; bit++) {
      const set = ((words[bit >>> 5] as number) >>> (31 - (bit & 31))) & 1;
      const next = set === 1 ? (this.#one[node] as number) : (this.#zero[node] as number);
      if (next !== 0) {
        node = next;
        continue;
      }
      if (this.#count === this.#zero.length) this.#grow();
      const created = this.#count++;
      if (set === 1) this.#one[node] = created;
      else this.#zero[node] = created;
      node = created;
    }
    return node;
  }

  /** The slot of a node, or -1. */
  slot(node: number): number {
    return this.#slot[node] as number;
  }

  /** Sets the slot of a node. */
  setSlot(node: number, slot: number): void {
    this.#slot[node] = slot;
  }

  /** Pushes the slot of every node on the path of `words` up to `maxBits` bits (shortest prefix first). */
  collect(words: Uint32Array | number, maxBits: number, out: number[]): void {
    let node = 0;
    const single = typeof words === 'number';
    for (let bit = 0; ; bit++) {
      const s = this.#slot[node] as number;
      if (s >= 0) out.push(s);
      if (bit === maxBits) return;
      const word = single ? words : ((words as Uint32Array)[bit >>> 5] as number);
      const set = (word >>> (31 - (bit & 31))) & 1;
      node = set === 1 ? (this.#one[node] as number) : (this.#zero[node] as number);
      if (node === 0) return;
    }
  }
}
