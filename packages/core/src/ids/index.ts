/**
 * Identifiers: UUID v7 for everything the SDK creates (time-ordered, so ids sort by creation time and
 * index well in B-trees), UUID v4 where an id must reveal nothing about when it was made.
 *
 * @module
 */
import { v4, v7, validate, version } from 'uuid';
import { invalidArgument } from '../errors/index.js';

/**
 * A new UUID version 7 (RFC 9562 §5.7): a 48-bit Unix millisecond timestamp followed by random bits.
 * Ids generated in one process sort lexicographically in generation order, also within one millisecond,
 * because `uuid` keeps a counter in the bits after the timestamp (RFC 9562 §6.2, method 1) and never lets
 * the timestamp go backwards when the wall clock does.
 *
 * @returns a lower-case UUID string, e.g. `019a9b8c-1f2e-7a3b-9c4d-5e6f708192a3`
 * @example
 * ```ts
 * const id = newId();
 * idTimestamp(id); // ≈ Date.now()
 * ```
 */
export function newId(): string {
  return v7();
}

/**
 * A new random UUID version 4 (RFC 9562 §5.4): 122 random bits, no timestamp.
 *
 * @returns a lower-case UUID string
 */
export function uuidv4(): string {
  return v4();
}

/**
 * Whether `value` is a UUID string of the RFC 9562 form (any version 1–8, or the nil and max UUIDs),
 * in either letter case.
 *
 * @param value - anything
 * @returns true for a well-formed UUID string
 */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && validate(value);
}

/**
 * The version number of a UUID (the high nibble of octet 6, RFC 9562 §4.2).
 *
 * @param id - a UUID string
 * @returns the version, e.g. 7 for {@link newId}, 4 for {@link uuidv4}
 * @throws SystemError `MSYS_ID_INVALID` when `id` is not a UUID
 */
export function uuidVersion(id: string): number {
  if (!isUuid(id)) throw invalidArgument('MSYS_ID_INVALID', 'id', 'a UUID string', id);
  return version(id);
}

/**
 * The creation time embedded in a UUID v7: its first 48 bits, Unix epoch milliseconds (RFC 9562 §5.7).
 *
 * @param id - a UUID v7 string, such as one from {@link newId}
 * @returns epoch milliseconds
 * @throws SystemError `MSYS_ID_INVALID` when `id` is not a UUID of version 7
 */
export function idTimestamp(id: string): number {
  if (!isUuid(id) || version(id) !== 7)
    throw invalidArgument('MSYS_ID_INVALID', 'id', 'a UUID v7 string', id);
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
