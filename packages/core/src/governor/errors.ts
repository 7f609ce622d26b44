/**
 * The error codes of the governor, declared once. Codes are stable: callers branch on them.
 *
 * @module
 */
import { defineErrors, invalidArgument, type SystemError } from '../errors/index.js';

/** @internal */
export const governorErrors = defineErrors({
  MSYS_RESOURCE_RAM_LIMIT: {
    category: 'resource',
    message: (d: { requested: number; reserved: number; limit: number }) =>
      `cannot reserve ${d.requested} bytes: ${d.reserved} of ${d.limit} bytes are already reserved ` +
      '(release a lease or raise options.ramLimitBytes)',
  },
  MSYS_PERMISSION_DENIED: {
    category: 'permission',
    message: (d: { kind: 'fs' | 'net'; target: string; mode?: string; allowed: string[] }) =>
      `${d.kind === 'fs' ? `${d.mode ?? 'read'} access to ${d.target}` : `connection to ${d.target}`} is not in ` +
      `the sandbox allow-list (options.sandbox.${d.kind === 'fs' ? (d.mode === 'write' ? 'fsWrite' : 'fsRead') : 'net'}: ` +
      `${d.allowed.length === 0 ? 'empty' : d.allowed.join(', ')})`,
  },
  MSYS_GOVERNOR_CLOCK_NOT_VIRTUAL: {
    category: 'unsupported',
    message: (_d: { operation: string }) =>
      'advance() needs a virtual clock; create the governor with options.deterministic to get one',
  },
  MSYS_GOVERNOR_ABORTED: {
    category: 'state',
    message: (d: { operation: string }) => `${d.operation} was aborted by its signal`,
  },
  MSYS_GOVERNOR_CLOSED: {
    category: 'state',
    message: (d: { operation: string }) => `${d.operation} was called after the governor was closed`,
  },
  MSYS_GOVERNOR_SPAWN_TIMEOUT: {
    category: 'timeout',
    message: (d: { script: string; timeoutMs: number; stderrTail: string }) =>
      `isolated script ${d.script} did not finish within ${d.timeoutMs} ms and was killed` +
      (d.stderrTail === '' ? '' : `; stderr ends with: ${d.stderrTail}`),
  },
  MSYS_GOVERNOR_SPAWN_FAILED: {
    category: 'io',
    message: (d: {
      script: string;
      reason: string;
      exitCode: number | null;
      signal: string | null;
      stderrTail: string;
      childError?: { name: string; message: string; code?: string };
    }) =>
      `isolated script ${d.script} failed: ${d.reason} (exit code ${String(d.exitCode)}, signal ${String(d.signal)})` +
      (d.stderrTail === '' ? '' : `; stderr ends with: ${d.stderrTail}`),
  },
});

/**
 * A `validation` error for a bad constructor option.
 *
 * @internal
 */
export function invalidOption(path: string, expected: string, received: unknown): SystemError {
  return invalidArgument('MSYS_GOVERNOR_INVALID_OPTION', path, expected, received);
}

/**
 * A `validation` error for a bad method argument.
 *
 * @internal
 */
export function invalidGovernorArgument(path: string, expected: string, received: unknown): SystemError {
  return invalidArgument('MSYS_GOVERNOR_INVALID_ARGUMENT', path, expected, received);
}

/**
 * The rejection of an operation whose signal fired; the signal's reason is the cause.
 *
 * @internal
 */
export function abortedError(operation: string, signal: AbortSignal): SystemError {
  return governorErrors.MSYS_GOVERNOR_ABORTED({ operation }, { cause: signal.reason });
}
