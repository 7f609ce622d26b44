import { badArgument } from '../errors.js';

/** A validator as a reconfiguration entry lists it: its transport id and Ed25519 public key, hex. */
export interface ReconfigurationValidator {
  /** Transport address / replica id. */
  readonly id: string;
  /** 32-byte Ed25519 public key, 64 hex digits. */
  readonly publicKey: string;
}

/** One current validator's approval of a reconfiguration (see `Ledger.approveReconfiguration`). */
export interface ReconfigurationApproval {
  /** The approving validator's id in the current epoch. */
  readonly id: string;
  /** Its Ed25519 signature over the reconfiguration statement of the current epoch, hex. */
  readonly signature: string;
}

/**
 * A change of the validator set. It commits like any entry; the epoch ends at the block that commits it (the
 * epoch boundary), provided `epoch` is the current epoch + 1 and 2f+1 validators of the current epoch approved
 * it — otherwise it is recorded and has no effect.
 */
export interface ReconfigurationEntry {
  /** Discriminator. */
  readonly type: 'reconfigure';
  /** The epoch it starts: the current epoch + 1. */
  readonly epoch: number;
  /** The new validator set, n = 3f+1, in index order. */
  readonly validators: readonly ReconfigurationValidator[];
  /** Approvals by current validators; a quorum (2f+1 of the current set) is needed to take effect. */
  readonly approvals: readonly ReconfigurationApproval[];
  /** The requesting organisation. */
  readonly source: string;
  /** Why. */
  readonly reason: string;
  /** When, epoch ms. */
  readonly observedAt: number;
}

/** The input form of a {@link ReconfigurationEntry}: `approvals` and `observedAt` optional. */
export interface ReconfigurationEntryInput {
  /** Discriminator. */
  readonly type: 'reconfigure';
  /** See {@link ReconfigurationEntry.epoch}. */
  readonly epoch: number;
  /** See {@link ReconfigurationEntry.validators}. */
  readonly validators: readonly ReconfigurationValidator[];
  /** See {@link ReconfigurationEntry.approvals}; default none. */
  readonly approvals?: readonly ReconfigurationApproval[];
  /** See {@link ReconfigurationEntry.source}. */
  readonly source: string;
  /** See {@link ReconfigurationEntry.reason}. */
  readonly reason: string;
  /** See {@link ReconfigurationEntry.observedAt}. */
  readonly observedAt?: number;
}

/** Most validators a set may list. */
export const MAX_VALIDATORS = 256;
const HEX64 = /^[0-9a-f]{64}$/;
const HEX128 = /^[0-9a-f]{128}$/;
const ID = /^[\x21-\x7e]{1,64}$/;

/**
 * Validates a reconfiguration: epoch ≥ 1, n = 3f+1 validators (1 ≤ n ≤ 256) with unique printable ids and unique
 * 32-byte keys, well-formed approvals. Keys are kept in sorted order (canonical JSON).
 *
 * @internal
 */
export function validateReconfiguration(
  input: ReconfigurationEntryInput,
  observedAt: number,
  path: string,
  text: (path: string, v: unknown, max: number) => string,
): ReconfigurationEntry {
  const epoch = input.epoch;
  if (typeof epoch !== 'number' || !Number.isSafeInteger(epoch) || epoch < 1)
    badArgument(`${path}.epoch`, 'an integer ≥ 1', epoch);
  const list = input.validators;
  if (
    !Array.isArray(list) ||
    list.length < 1 ||
    list.length > MAX_VALIDATORS ||
    (list.length - 1) % 3 !== 0
  ) {
    badArgument(`${path}.validators`, `an array of n = 3f+1 validators (n ≤ ${MAX_VALIDATORS})`, list);
  }
  const ids = new Set<string>();
  const pubs = new Set<string>();
  const validators = list.map((v: ReconfigurationValidator, i) => {
    if (typeof v !== 'object' || v === null) badArgument(`${path}.validators[${i}]`, '{ id, publicKey }', v);
    if (typeof v.id !== 'string' || !ID.test(v.id) || ids.has(v.id))
      badArgument(`${path}.validators[${i}].id`, 'a unique printable string of 1–64 chars', v.id);
    if (typeof v.publicKey !== 'string' || !HEX64.test(v.publicKey) || pubs.has(v.publicKey)) {
      badArgument(
        `${path}.validators[${i}].publicKey`,
        'a unique Ed25519 key as 64 lower-case hex digits',
        v.publicKey,
      );
    }
    ids.add(v.id);
    pubs.add(v.publicKey);
    return { id: v.id, publicKey: v.publicKey };
  });
  const rawApprovals = input.approvals ?? [];
  if (!Array.isArray(rawApprovals) || rawApprovals.length > MAX_VALIDATORS)
    badArgument(`${path}.approvals`, `an array of at most ${MAX_VALIDATORS} approvals`, rawApprovals);
  const approvals = rawApprovals.map((a: ReconfigurationApproval, i) => {
    if (typeof a !== 'object' || a === null) badArgument(`${path}.approvals[${i}]`, '{ id, signature }', a);
    if (typeof a.id !== 'string' || !ID.test(a.id))
      badArgument(`${path}.approvals[${i}].id`, 'a validator id', a.id);
    if (typeof a.signature !== 'string' || !HEX128.test(a.signature))
      badArgument(`${path}.approvals[${i}].signature`, '128 lower-case hex digits', a.signature);
    return { id: a.id, signature: a.signature };
  });
  const source = text(`${path}.source`, input.source, 253);
  const reason = text(`${path}.reason`, input.reason, 4096);
  return { approvals, epoch, observedAt, reason, source, type: 'reconfigure', validators };
}
