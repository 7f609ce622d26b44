import { ClassicLevel } from 'classic-level';
import { ledgerErrors } from '../errors.js';
import type { LedgerStore, StoreWrite } from './store.js';

/**
 * The durable {@link LedgerStore}: LevelDB through classic-level. Chosen over lmdb because LevelDB's
 * write-ahead log gives atomic multi-key batches with an explicit per-batch `sync` (fsync) flag — exactly
 * the "one fsync per committed block" policy — it ships prebuilt for linux-x64 (no compiler at install), and
 * appends stay fast as the log grows (LSM tree), where a B-tree pays random page writes.
 *
 * fsync policy: every batch is written with `sync: true`; a replica writes one batch per proposal it
 * processes (the committed block, its entries and leaf hashes, and its vote state together), and a client's
 * write is acknowledged only after the batch holding it has resolved.
 */
export class LevelStore implements LedgerStore {
  /** Always true: resolved writes were fsync'd. */
  readonly durable = true;
  readonly #db: ClassicLevel<string, string>;
  readonly #path: string;

  private constructor(db: ClassicLevel<string, string>, path: string) {
    this.#db = db;
    this.#path = path;
  }

  /**
   * Opens (creating if needed) the database in directory `path`.
   *
   * @param path - a directory owned by this replica
   * @returns the open store
   * @throws SystemError `MSYS_LEDGER_STORAGE` (io) when LevelDB cannot open it (e.g. locked by another process)
   */
  static async open(path: string): Promise<LevelStore> {
    const db = new ClassicLevel<string, string>(path, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    try {
      await db.open();
    } catch (cause) {
      throw ledgerErrors.MSYS_LEDGER_STORAGE({ operation: 'open', path }, { cause });
    }
    return new LevelStore(db, path);
  }

  /**
   * Writes one atomic batch with `sync: true`.
   *
   * @param writes - puts and deletes, applied atomically and fsync'd before the promise resolves
   */
  async write(writes: readonly StoreWrite[]): Promise<void> {
    const ops = writes.map((w) =>
      w.value === undefined
        ? { type: 'del' as const, key: w.key }
        : { type: 'put' as const, key: w.key, value: w.value },
    );
    try {
      await this.#db.batch(ops, { sync: true });
    } catch (cause) {
      throw ledgerErrors.MSYS_LEDGER_STORAGE({ operation: 'write', path: this.#path }, { cause });
    }
  }

  /**
   * Reads one key.
   *
   * @param key - the key
   * @returns the value, or undefined
   */
  async get(key: string): Promise<string | undefined> {
    return this.#db.get(key);
  }

  /**
   * Scans a key prefix.
   *
   * @param prefix - the key prefix
   * @returns the matching pairs in key order
   */
  async *scan(prefix: string): AsyncIterable<readonly [string, string]> {
    // '\xff' sorts after every ASCII key character, bounding the scan to the prefix.
    for await (const pair of this.#db.iterator({ gte: prefix, lt: `${prefix}\xff` })) yield pair;
  }

  /** Closes LevelDB (releases its directory lock). */
  async close(): Promise<void> {
    await this.#db.close();
  }
}
