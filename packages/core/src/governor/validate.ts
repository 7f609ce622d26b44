/**
 * Up-front validation of the governor's constructor options: every problem is reported as
 * `MSYS_GOVERNOR_INVALID_OPTION` naming the option path, the value received and what is accepted.
 *
 * @module
 */
import { invalidOption } from './errors.js';
import type { GovernorOptions } from './governor.js';

const KNOWN_OPTIONS = [
  'cpuPercentCap',
  'cpuWindowMs',
  'ramLimitBytes',
  'pressureRssBytes',
  'pressureIntervalMs',
  'maxIoOpsPerSec',
  'ioBurst',
  'deterministic',
  'sandbox',
  'logger',
] as const;

const LOGGER_METHODS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'child'] as const;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function positiveSafeInteger(options: Record<string, unknown>, key: string): void {
  const v = options[key];
  if (v !== undefined && (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1)) {
    throw invalidOption(`options.${key}`, 'a positive safe integer', v);
  }
}

function positiveFinite(options: Record<string, unknown>, key: string): void {
  const v = options[key];
  if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)) {
    throw invalidOption(`options.${key}`, 'a finite number > 0', v);
  }
}

/**
 * Throws on the first invalid option. The sandbox lists and the seed are checked by their owners
 * (Sandbox, seedToUint64) with the same code and option paths.
 *
 * @internal
 */
export function checkGovernorOptions(options: unknown): asserts options is GovernorOptions {
  if (!isPlainObject(options)) throw invalidOption('options', 'an object (or omitted)', options);
  for (const key of Object.keys(options)) {
    if (!(KNOWN_OPTIONS as readonly string[]).includes(key)) {
      throw invalidOption(
        `options.${key}`,
        `absent (known options: ${KNOWN_OPTIONS.join(', ')})`,
        options[key],
      );
    }
  }
  const cap = options.cpuPercentCap;
  if (cap !== undefined && (typeof cap !== 'number' || !(cap > 0 && cap <= 100))) {
    throw invalidOption('options.cpuPercentCap', 'a number in (0, 100] (percent of one core)', cap);
  }
  // Below ~50 ms a window holds too few 1 ms timer ticks to measure a duty cycle.
  const win = options.cpuWindowMs;
  if (win !== undefined && (typeof win !== 'number' || !Number.isFinite(win) || win < 50)) {
    throw invalidOption('options.cpuWindowMs', 'a finite number ≥ 50 (milliseconds)', win);
  }
  if (win !== undefined && cap === undefined) {
    throw invalidOption('options.cpuWindowMs', 'omitted unless options.cpuPercentCap is set', win);
  }
  const ram = options.ramLimitBytes;
  if (ram !== undefined && (typeof ram !== 'number' || !Number.isSafeInteger(ram) || ram < 0)) {
    throw invalidOption('options.ramLimitBytes', 'a non-negative safe integer (bytes)', ram);
  }
  positiveSafeInteger(options, 'pressureRssBytes');
  positiveFinite(options, 'pressureIntervalMs');
  if (options.pressureIntervalMs !== undefined && options.pressureRssBytes === undefined) {
    throw invalidOption(
      'options.pressureIntervalMs',
      'omitted unless options.pressureRssBytes is set',
      options.pressureIntervalMs,
    );
  }
  positiveFinite(options, 'maxIoOpsPerSec');
  positiveSafeInteger(options, 'ioBurst');
  if (options.ioBurst !== undefined && options.maxIoOpsPerSec === undefined) {
    throw invalidOption('options.ioBurst', 'omitted unless options.maxIoOpsPerSec is set', options.ioBurst);
  }
  const det = options.deterministic;
  if (det !== undefined) {
    if (!isPlainObject(det) || !('seed' in det)) {
      throw invalidOption('options.deterministic', 'an object { seed }', det);
    }
    const seed = det.seed;
    if (
      typeof seed !== 'bigint' &&
      typeof seed !== 'string' &&
      !(typeof seed === 'number' && Number.isSafeInteger(seed))
    ) {
      throw invalidOption('options.deterministic.seed', 'a safe integer, a bigint or a string', seed);
    }
  }
  const logger = options.logger;
  if (logger !== undefined) {
    if (typeof logger !== 'object' || logger === null) {
      throw invalidOption('options.logger', 'a pino-compatible logger', logger);
    }
    const missing = LOGGER_METHODS.find((m) => typeof (logger as Record<string, unknown>)[m] !== 'function');
    if (missing !== undefined) {
      throw invalidOption('options.logger', `a pino-compatible logger (it lacks ${missing}())`, logger);
    }
  }
}
