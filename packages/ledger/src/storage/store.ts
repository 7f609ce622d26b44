/** One write of a batch: put `value` at `key`, or delete `key` when `value` is undefined. */
export interface StoreWrite {
  /** The key (ASCII; fixed-width hex numbers so that keys sort numerically). */
  readonly key: string;
  /** The JSON value, or undefined to delete. */
  readonly value?: string;
}

/**
 * What a replica needs from its database: atomic batches that are durable once they resolve, point reads
 * and ordered scans of a key prefix. {@link LevelStore} is the durable implementation; {@link MemoryStore}
 * serves simulations, where determinism matters and durability does not.
 */
export interface LedgerStore {
  /** True when a resolved `write` survives power loss. */
  readonly durable: boolean;
  /**
   * Applies the writes atomically; resolves once they are durable (for a durable store).
   *
   * @param writes - puts and deletes
   */
  write(writes: readonly StoreWrite[]): Promise<void>;
  /**
   * Reads one key.
   *
   * @param key - the key
   * @returns the value, or undefined
   */
  get(key: string): Promise<string | undefined>;
  /**
   * Scans the keys that start with `prefix`, in key order.
   *
   * @param prefix - the key prefix
   * @returns the key/value pairs
   */
  scan(prefix: string): AsyncIterable<readonly [string, string]>;
  /** Releases the database. */
  close(): Promise<void>;
}

/**
 * An in-memory {@link LedgerStore} for simulations and tests of the protocol: same contract, no durability.
 *
 * @example
 * ```ts
 * const ledger = await Ledger.open({ ...options, storage: { store: new MemoryStore() } });
 * ```
 */
export class MemoryStore implements LedgerStore {
  /** Always false: nothing survives the process. */
  readonly durable = false;
  readonly #data = new Map<string, string>();

  /**
   * Applies the writes at once.
   *
   * @param writes - puts and deletes
   */
  async write(writes: readonly StoreWrite[]): Promise<void> {
    for (const w of writes) {
      if (w.value === undefined) this.#data.delete(w.key);
      else this.#data.set(w.key, w.value);
    }
  }

  /**
   * Reads one key.
   *
   * @param key - the key
   * @returns the value, or undefined
   */
  async get(key: string): Promise<string | undefined> {
    return this.#data.get(key);
  }

  /**
   * Scans a key prefix.
   *
   * @param prefix - the key prefix
   * @returns the matching pairs in key order
   */
  async *scan(prefix: string): AsyncIterable<readonly [string, string]> {
    const keys = [...this.#data.keys()].filter((k) => k.startsWith(prefix)).sort();
    for (const k of keys) {
      const v = this.#data.get(k);
      if (v !== undefined) yield [k, v];
    }
  }

  /** Nothing to release. */
  async close(): Promise<void> {}
}
