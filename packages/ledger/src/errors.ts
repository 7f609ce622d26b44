import { defineErrors, describeValue } from '@msys/core/errors';

/**
 * Every error code of `@msys/ledger`, declared once. Callers branch on `code`, never on the message.
 *
 * @internal
 */
export const ledgerErrors = defineErrors({
  MSYS_LEDGER_INVALID_ARGUMENT: {
    category: 'validation',
    message: (d: { path: string; expected: string; received: string }) =>
      `${d.path} must be ${d.expected}, received ${d.received}`,
  },
  MSYS_LEDGER_INVALID_INDICATOR: {
    category: 'validation',
    message: (d: { path: string; kind: string; received: string; reason: string }) =>
      `${d.path} is not a valid ${d.kind} indicator (${d.reason}), received ${d.received}`,
  },
  MSYS_LEDGER_INVALID_STIX: {
    category: 'validation',
    message: (d: { path: string; reason: string }) =>
      `${d.path} is not an importable STIX 2.1 indicator: ${d.reason}`,
  },
  MSYS_LEDGER_OUT_OF_RANGE: {
    category: 'validation',
    message: (d: { path: string; value: string; limit: string }) =>
      `${d.path} is out of range: received ${d.value}, accepted ${d.limit}`,
  },
  MSYS_LEDGER_STORAGE: {
    category: 'io',
    message: (d: { operation: string; path: string }) =>
      `ledger storage failed during ${d.operation} at ${d.path}`,
  },
  MSYS_LEDGER_STORAGE_CORRUPT: {
    category: 'state',
    message: (d: { key: string; reason: string }) => `ledger storage record ${d.key} is corrupt: ${d.reason}`,
  },
  MSYS_LEDGER_CLOSED: {
    category: 'state',
    message: (d: { operation: string }) => `${d.operation} called on a closed ledger`,
  },
  MSYS_LEDGER_ABORTED: {
    category: 'state',
    message: (d: { operation: string }) => `${d.operation} was aborted`,
  },
  MSYS_LEDGER_FRAME_TOO_LARGE: {
    category: 'network',
    message: (d: { size: number; max: number }) =>
      `frame of ${d.size} bytes exceeds the maximum of ${d.max} bytes`,
  },
  MSYS_LEDGER_HANDSHAKE: {
    category: 'crypto',
    message: (d: { peer: string; reason: string }) => `handshake with ${d.peer} failed: ${d.reason}`,
  },
  MSYS_LEDGER_UNKNOWN_PEER: {
    category: 'validation',
    message: (d: { peer: string }) => `unknown peer ${d.peer}`,
  },
  MSYS_LEDGER_NOT_A_VALIDATOR: {
    category: 'permission',
    message: (d: { id: string; epoch: number }) => `replica ${d.id} is not a validator of epoch ${d.epoch}`,
  },
  MSYS_LEDGER_CLOCK_NOT_VIRTUAL: {
    category: 'state',
    message: (d: { operation: string }) => `${d.operation} needs a virtual clock`,
  },
});

/**
 * Throws the validation error of a bad argument.
 *
 * @internal
 */
export function badArgument(path: string, expected: string, received: unknown): never {
  throw ledgerErrors.MSYS_LEDGER_INVALID_ARGUMENT({ path, expected, received: describeValue(received) });
}
