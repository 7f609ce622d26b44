import { defineErrors } from '@msys/core/errors';

/**
 * Every error code thrown by `@msys/attestation`, declared once. Callers branch on `code`.
 *
 * @internal
 */
export const errors = defineErrors({
  MSYS_ATTESTATION_INVALID_ARGUMENT: {
    category: 'validation',
    message: (d: { path: string; expected: string; received: string }) =>
      `${d.path} must be ${d.expected}, received ${d.received}`,
  },
  MSYS_ATTESTATION_TRUNCATED: {
    category: 'serialization',
    message: (d: { structure: string; offset: number; needed: number; available: number }) =>
      `${d.structure} is truncated: needed ${d.needed} byte(s) at offset ${d.offset}, only ${d.available} left`,
  },
  MSYS_ATTESTATION_MALFORMED: {
    category: 'serialization',
    message: (d: { structure: string; reason: string }) => `${d.structure} is malformed: ${d.reason}`,
  },
  MSYS_ATTESTATION_UNSUPPORTED_ALGORITHM: {
    category: 'unsupported',
    message: (d: { structure: string; algorithm: string }) =>
      `${d.structure} uses ${d.algorithm}, which is not supported`,
  },
  MSYS_ATTESTATION_TPM_RC: {
    category: 'io',
    message: (d: { command: string; rc: number; rcName: string; detail: string }) =>
      `TPM2_${d.command} failed with ${d.rcName} (0x${d.rc.toString(16).padStart(3, '0')}): ${d.detail}`,
  },
  MSYS_ATTESTATION_TRANSPORT: {
    category: 'network',
    message: (d: { transport: string; reason: string }) => `${d.transport}: ${d.reason}`,
  },
  MSYS_ATTESTATION_UNKNOWN_POLICY: {
    category: 'config',
    message: (d: { policy: string; known: string[] }) =>
      `no appraisal policy named ${JSON.stringify(d.policy)}; known policies: ${d.known.join(', ') || '(none)'}`,
  },
  MSYS_ATTESTATION_TOKEN_INVALID: {
    category: 'crypto',
    message: (d: { reason: string }) => `attestation result token rejected: ${d.reason}`,
  },
  MSYS_ATTESTATION_CERTIFICATE: {
    category: 'validation',
    message: (d: { reason: string }) => `certificate: ${d.reason}`,
  },
});

/**
 * Builds the `MSYS_ATTESTATION_INVALID_ARGUMENT` error for a bad public input.
 *
 * @internal
 */
export function invalidArgument(path: string, expected: string, received: unknown): Error {
  return errors.MSYS_ATTESTATION_INVALID_ARGUMENT({ path, expected, received: describe(received) });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`;
  if (typeof value === 'string')
    return `string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return `${typeof value} ${String(value)}`;
}
