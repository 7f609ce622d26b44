/**
 * A governed fs facade: the promise API of `node:fs/promises` for the operations services use most,
 * with `fs` faults (EIO, ENOSPC, EACCES, slow operations) on matching paths. Code under test takes
 * `engine.fs` where it would take `fs/promises`.
 *
 * @module
 */
import type { Dirent, MakeDirectoryOptions, ObjectEncodingOptions, Stats } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { constants } from 'node:os';
import { resolve } from 'node:path';
import type { FsFault, FsOperation } from './faults.js';
import type { EngineInternals } from './internal.js';
import type { TargetState } from './targets.js';

const MESSAGES = {
  EIO: 'i/o error',
  ENOSPC: 'no space left on device',
  EACCES: 'permission denied',
} as const;

/** The error a failing fs operation throws: shaped like Node's own (`code`, `errno`, `syscall`, `path`). */
export interface FsFaultError extends Error {
  /** `EIO`, `ENOSPC` or `EACCES`. */
  readonly code: string;
  /** The negative errno. */
  readonly errno: number;
  /** The system call, e.g. `open`, `write`. */
  readonly syscall: string;
  /** The path. */
  readonly path: string;
}

/** `engine.fs`: fs/promises operations that pass through the engine's fs faults. */
export class ChaosFs {
  readonly #engine: EngineInternals;
  readonly #target: TargetState;

  /** @internal */
  constructor(engine: EngineInternals, name: string) {
    this.#engine = engine;
    this.#target = engine.register(name, 'fs', []);
  }

  async #gate(op: FsOperation, syscall: string, path: string): Promise<void> {
    const faults = this.#target.fsFaults;
    if (faults.length === 0) return;
    const full = resolve(path);
    const matching = faults.filter((f) => {
      const spec = f.fault as FsFault;
      if (spec.ops !== undefined && !spec.ops.includes(op)) return false;
      if (spec.path !== undefined && !full.startsWith(resolve(spec.path))) return false;
      if (spec.pattern !== undefined && !new RegExp(spec.pattern).test(full)) return false;
      return true;
    });
    if (matching.length === 0) return;
    const firing = this.#engine.decide(this.#target, this.#target.calls++, matching, false);
    if (firing === undefined) return;
    let delay = 0;
    let code: FsFault['error'];
    for (const { fault } of firing) {
      const spec = fault.fault as FsFault;
      delay += spec.delayMs ?? 0;
      code ??= spec.error;
    }
    if (delay > 0) await this.#engine.clock.sleep(delay);
    if (code !== undefined) {
      throw Object.assign(new Error(`${code}: ${MESSAGES[code]}, ${syscall} '${path}'`), {
        code,
        errno: -(constants.errno[code] ?? 5),
        syscall,
        path,
      }) as FsFaultError;
    }
  }

  /**
   * `fs.promises.readFile` through the `read` faults.
   *
   * @param path - the file
   * @param options - encoding / flag, as for `fs.promises.readFile`
   * @returns the contents
   */
  async readFile(
    path: string,
    options?: BufferEncoding | (ObjectEncodingOptions & { flag?: string }),
  ): Promise<string | Buffer> {
    await this.#gate('read', 'open', path);
    return fsp.readFile(path, options);
  }

  /**
   * `fs.promises.writeFile` through the `write` faults.
   *
   * @param path - the file
   * @param data - what to write
   * @param options - encoding / mode / flag
   * @returns when written
   */
  async writeFile(
    path: string,
    data: string | Uint8Array,
    options?: BufferEncoding | ObjectEncodingOptions,
  ): Promise<void> {
    await this.#gate('write', 'write', path);
    return fsp.writeFile(path, data, options);
  }

  /**
   * `fs.promises.appendFile` through the `write` faults.
   *
   * @param path - the file
   * @param data - what to append
   * @param options - encoding / mode / flag
   * @returns when written
   */
  async appendFile(
    path: string,
    data: string | Uint8Array,
    options?: BufferEncoding | ObjectEncodingOptions,
  ): Promise<void> {
    await this.#gate('write', 'write', path);
    return fsp.appendFile(path, data, options);
  }

  /**
   * `fs.promises.open` through the `open` faults.
   *
   * @param path - the file
   * @param flags - open flags, default `r`
   * @param mode - the mode for a new file
   * @returns the file handle
   */
  async open(path: string, flags?: string | number, mode?: number): Promise<fsp.FileHandle> {
    await this.#gate('open', 'open', path);
    return fsp.open(path, flags, mode);
  }

  /**
   * `fs.promises.stat` through the `stat` faults.
   *
   * @param path - the path
   * @returns its stats
   */
  async stat(path: string): Promise<Stats> {
    await this.#gate('stat', 'stat', path);
    return fsp.stat(path);
  }

  /**
   * `fs.promises.readdir` through the `readdir` faults.
   *
   * @param path - the directory
   * @returns the entry names
   */
  async readdir(path: string): Promise<string[]> {
    await this.#gate('readdir', 'scandir', path);
    return fsp.readdir(path);
  }

  /**
   * `fs.promises.readdir(path, { withFileTypes: true })` through the `readdir` faults.
   *
   * @param path - the directory
   * @returns the entries
   */
  async readdirEntries(path: string): Promise<Dirent[]> {
    await this.#gate('readdir', 'scandir', path);
    return fsp.readdir(path, { withFileTypes: true });
  }

  /**
   * `fs.promises.unlink` through the `unlink` faults.
   *
   * @param path - the file
   * @returns when removed
   */
  async unlink(path: string): Promise<void> {
    await this.#gate('unlink', 'unlink', path);
    return fsp.unlink(path);
  }

  /**
   * `fs.promises.mkdir` through the `mkdir` faults.
   *
   * @param path - the directory
   * @param options - `recursive` / `mode`
   * @returns the first directory created, when recursive
   */
  async mkdir(path: string, options?: MakeDirectoryOptions): Promise<string | undefined> {
    await this.#gate('mkdir', 'mkdir', path);
    return fsp.mkdir(path, options);
  }
}
