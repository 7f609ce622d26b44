/**
 * The logger every `@msys` class accepts: the subset of pino's API that the SDK calls. `@msys` writes no logger
 * of its own; pass a pino instance (or anything shaped like one) as `options.logger`, or get
 * {@link silentLogger} by default.
 *
 * @module
 */

/**
 * One logging method, called the two ways pino accepts:
 * `log('message', ...interpolationArgs)` or `log({ merged: 'fields' }, 'message', ...interpolationArgs)`.
 */
export interface LogMethod {
  /**
   * Logs a message; `args` fill printf-style placeholders (`%s`, `%d`, `%o`) in it.
   *
   * @param msg - the message
   * @param args - values for the placeholders in `msg`
   */
  (msg: string, ...args: unknown[]): void;
  /**
   * Logs an object whose fields are merged into the record, with an optional message.
   *
   * @param obj - fields to merge into the log record (an `Error` goes under `err`)
   * @param msg - the message
   * @param args - values for the placeholders in `msg`
   */
  (obj: object, msg?: string, ...args: unknown[]): void;
}

/**
 * The pino-compatible logger subset: six level methods, `child` bindings and the current `level`.
 * A `pino()` instance is assignable to it without adapters.
 *
 * @example
 * ```ts
 * import pino from 'pino';
 * import type { Logger } from '@msys/core/logging';
 *
 * const logger: Logger = pino({ level: 'debug' });
 * logger.child({ peer: 'p1' }).info({ height: 12 }, 'block committed');
 * ```
 */
export interface Logger {
  /** The current threshold level name (`trace`, `debug`, `info`, `warn`, `error`, `fatal` or `silent`). */
  level: string;
  /** Logs at level `trace` (10): very fine-grained diagnostics. */
  trace: LogMethod;
  /** Logs at level `debug` (20): diagnostics for developers. */
  debug: LogMethod;
  /** Logs at level `info` (30): normal operational events. */
  info: LogMethod;
  /** Logs at level `warn` (40): something unexpected that was handled. */
  warn: LogMethod;
  /** Logs at level `error` (50): an operation failed. */
  error: LogMethod;
  /** Logs at level `fatal` (60): the component cannot continue. */
  fatal: LogMethod;
  /**
   * Creates a logger that adds `bindings` to every record it writes.
   *
   * @param bindings - fields added to every record, e.g. `{ component: 'ledger', peer: 'p1' }`
   * @returns the child logger
   */
  child(bindings: Record<string, unknown>): Logger;
}

const discard: LogMethod = () => {};

/**
 * A logger that writes nothing; its `child` is itself and its `level` is always `silent`
 * (assignments to `level` are ignored). The default of every `options.logger` in `@msys`.
 *
 * @example
 * ```ts
 * const logger = options.logger ?? silentLogger;
 * logger.debug({ attempt }, 'retrying');
 * ```
 */
export const silentLogger: Logger = Object.freeze({
  get level(): string {
    return 'silent';
  },
  set level(_ignored: string) {},
  trace: discard,
  debug: discard,
  info: discard,
  warn: discard,
  error: discard,
  fatal: discard,
  child(): Logger {
    return silentLogger;
  },
});
