import { defineErrors, describeValue } from '@msys/core/errors';

/**
 * Every error code of @msys/chaos, declared once. Callers branch on `code`, never on the message.
 *
 * @internal
 */
export const chaosErrors = defineErrors({
  MSYS_CHAOS_INVALID_FAULT: {
    category: 'validation',
    message: (d: { path: string; expected: string; received: string }) =>
      `${d.path} must be ${d.expected}, received ${d.received}`,
  },
  MSYS_CHAOS_INVALID_OPTION: {
    category: 'validation',
    message: (d: { path: string; expected: string; received: string }) =>
      `${d.path} must be ${d.expected}, received ${d.received}`,
  },
  MSYS_CHAOS_INVALID_EXPERIMENT: {
    category: 'validation',
    message: (d: { path: string; expected: string; received: string }) =>
      `${d.path} must be ${d.expected}, received ${d.received}`,
  },
  MSYS_CHAOS_UNSUPPORTED_FIELD: {
    category: 'unsupported',
    message: (d: { fields: string[] }) =>
      `the Chaos Toolkit experiment uses fields this engine cannot map: ${d.fields.join(', ')}`,
  },
  MSYS_CHAOS_INVALID_JOURNAL: {
    category: 'serialization',
    message: (d: { path: string; expected: string; received: string }) =>
      `journal ${d.path} must be ${d.expected}, received ${d.received}`,
  },
  MSYS_CHAOS_BLAST_RADIUS: {
    category: 'resource',
    message: (d: { limit: string; value: number; max: number }) =>
      `injection refused: blastRadius.${d.limit} would reach ${d.value}, the limit is ${d.max}`,
  },
  MSYS_CHAOS_HALTED: {
    category: 'state',
    message: (d: { reason: string }) =>
      `the engine's kill switch is set (${d.reason}); no fault can be injected`,
  },
  MSYS_CHAOS_INJECTED_ERROR: {
    category: 'io',
    message: (d: { target: string; fault: string }) => `fault ${d.fault} failed a call to ${d.target}`,
  },
  MSYS_CHAOS_CALL_ABORTED: {
    category: 'timeout',
    message: (d: { target: string; fault: string }) => `fault ${d.fault} aborted a call to ${d.target}`,
  },
  MSYS_CHAOS_PROXY_FAILED: {
    category: 'network',
    message: (d: { name: string; reason: string }) => `proxy ${d.name} could not start: ${d.reason}`,
  },
  MSYS_CHAOS_EXPERIMENT_FAILED: {
    category: 'state',
    message: (d: { title: string; reason: string }) => `experiment "${d.title}" failed: ${d.reason}`,
  },
});

/**
 * Builds a `validation` error for a bad fault spec, naming the path and the value.
 *
 * @internal
 */
export function invalidFault(path: string, expected: string, received: unknown): Error {
  return chaosErrors.MSYS_CHAOS_INVALID_FAULT({ path, expected, received: describeValue(received) });
}

/**
 * Builds a `validation` error for a bad option, naming the path and the value.
 *
 * @internal
 */
export function invalidOption(path: string, expected: string, received: unknown): Error {
  return chaosErrors.MSYS_CHAOS_INVALID_OPTION({ path, expected, received: describeValue(received) });
}

/**
 * Builds a `validation` error for a bad experiment, naming the path and the value.
 *
 * @internal
 */
export function invalidExperiment(path: string, expected: string, received: unknown): Error {
  return chaosErrors.MSYS_CHAOS_INVALID_EXPERIMENT({ path, expected, received: describeValue(received) });
}
