import { invalidArgument } from '../errors/index.js';

/** @internal Code for a bad argument to a telemetry function. */
export const INVALID_ARGUMENT = 'MSYS_TELEMETRY_INVALID_ARGUMENT';

const PACKAGE_NAME = /^(?:@msys\/)?([a-z0-9][a-z0-9._-]*)$/;

/**
 * Normalizes `ledger` or `@msys/ledger` to the instrumentation scope name `@msys/ledger`.
 *
 * @internal
 */
export function scopeName(pkg: unknown, path: string): string {
  const match = typeof pkg === 'string' ? PACKAGE_NAME.exec(pkg) : null;
  if (!match) throw invalidArgument(INVALID_ARGUMENT, path, 'an @msys package name such as "ledger"', pkg);
  return `@msys/${match[1]}`;
}

/**
 * The instrument name syntax of the OpenTelemetry metrics API specification ("Instrument name syntax"):
 * an ASCII letter, then up to 254 letters, digits, `_`, `.`, `-` or `/`. The SDK only logs a warning and
 * drops the instrument when a name breaks it; we fail loudly instead.
 */
const INSTRUMENT_NAME = /^[A-Za-z][A-Za-z0-9_.\-/]{0,254}$/;

/** @internal */
export function instrumentName(name: unknown, path: string): string {
  if (typeof name !== 'string' || !INSTRUMENT_NAME.test(name)) {
    throw invalidArgument(
      INVALID_ARGUMENT,
      path,
      'an OpenTelemetry instrument name (a letter, then up to 254 of [A-Za-z0-9_.-/])',
      name,
    );
  }
  return name;
}

/** @internal */
export function optionalVersion(version: unknown, path: string): string | undefined {
  if (version === undefined) return undefined;
  if (typeof version !== 'string' || version.length === 0) {
    throw invalidArgument(INVALID_ARGUMENT, path, 'a non-empty version string or undefined', version);
  }
  return version;
}
