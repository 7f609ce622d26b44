/**
 * Hex and base64url codecs. Decoders are strict — every character is checked and base64url must be
 * canonical — so that one byte string has exactly one text form (Node's own decoders skip bad characters).
 *
 * @module
 */
import { describeValue } from '../errors/index.js';
import { cryptoErrors, invalidCryptoArgument } from './errors.js';
import { requireBytes } from './guards.js';

const BASE64URL_ALPHABET = /^[A-Za-z0-9_-]*$/;
const BASE64URL_VALUES = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function view(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Encodes bytes as lower-case hexadecimal.
 *
 * @param bytes - the bytes
 * @returns two characters per byte, `0-9a-f`
 * @throws SystemError `MSYS_CRYPTO_INVALID_ARGUMENT` when `bytes` is not a Uint8Array
 * @example
 * ```ts
 * toHex(new Uint8Array([1, 171])); // '01ab'
 * ```
 */
export function toHex(bytes: Uint8Array): string {
  return view(requireBytes(bytes, 'bytes')).toString('hex');
}

/**
 * Decodes hexadecimal (either case) into bytes.
 *
 * @param hex - an even number of the characters `0-9`, `a-f`, `A-F`, nothing else (no `0x`, no spaces)
 * @returns the bytes
 * @throws SystemError `MSYS_CRYPTO_INVALID_HEX` (`serialization`) for an odd length or a non-hex character;
 *   `MSYS_CRYPTO_INVALID_ARGUMENT` when `hex` is not a string
 * @example
 * ```ts
 * fromHex('01ab'); // Uint8Array [1, 171]
 * ```
 */
export function fromHex(hex: string): Uint8Array {
  if (typeof hex !== 'string') throw invalidCryptoArgument('hex', 'a string', hex);
  if (hex.length % 2 !== 0) throw invalidHex(hex, `the length ${hex.length} is odd`);
  const out = new Uint8Array(hex.length / 2);
  // Node's decoder stops at the first pair that is not hex; a short count is how we learn of a bad character.
  const written = view(out).write(hex, 'hex');
  if (written !== out.length) {
    const at = /[^0-9a-fA-F]/.exec(hex)?.index ?? written * 2;
    throw invalidHex(hex, `the character at index ${at} is not hexadecimal`);
  }
  return out;
}

/**
 * Encodes bytes as base64url without padding (RFC 4648 §5, as JWS uses it: RFC 7515 §2).
 *
 * @param bytes - the bytes
 * @returns the text, `A-Z a-z 0-9 - _`, no `=`
 * @throws SystemError `MSYS_CRYPTO_INVALID_ARGUMENT` when `bytes` is not a Uint8Array
 * @example
 * ```ts
 * toBase64url(new Uint8Array([251, 255])); // '-_8'
 * ```
 */
export function toBase64url(bytes: Uint8Array): string {
  return view(requireBytes(bytes, 'bytes')).toString('base64url');
}

/**
 * Decodes unpadded base64url (RFC 4648 §5). Rejects padding, the `+` `/` characters of plain base64,
 * whitespace, impossible lengths (4k + 1) and non-zero trailing bits (RFC 4648 §3.5), so that decoding
 * then encoding gives back the same text.
 *
 * @param text - unpadded base64url
 * @returns the bytes
 * @throws SystemError `MSYS_CRYPTO_INVALID_BASE64URL` (`serialization`) for malformed text;
 *   `MSYS_CRYPTO_INVALID_ARGUMENT` when `text` is not a string
 * @example
 * ```ts
 * fromBase64url('-_8'); // Uint8Array [251, 255]
 * ```
 */
export function fromBase64url(text: string): Uint8Array {
  if (typeof text !== 'string') throw invalidCryptoArgument('text', 'a string', text);
  if (!BASE64URL_ALPHABET.test(text)) {
    const at = /[^A-Za-z0-9_-]/.exec(text)?.index ?? 0;
    throw invalidBase64url(text, `the character at index ${at} is not in the base64url alphabet`);
  }
  const rest = text.length % 4;
  if (rest === 1) throw invalidBase64url(text, `no byte string encodes to ${text.length} characters`);
  if (rest !== 0) {
    // The last character of a 2- or 3-character group carries 4 or 2 unused low bits, which must be zero.
    const last = BASE64URL_VALUES.indexOf(text[text.length - 1] ?? 'A');
    const unused = rest === 2 ? 0b1111 : 0b11;
    if ((last & unused) !== 0) throw invalidBase64url(text, 'the unused trailing bits are not zero');
  }
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  view(out).write(text, 'base64url');
  return out;
}

function invalidHex(received: unknown, reason: string) {
  return cryptoErrors.MSYS_CRYPTO_INVALID_HEX({ received: describeValue(received), reason });
}

function invalidBase64url(received: unknown, reason: string) {
  return cryptoErrors.MSYS_CRYPTO_INVALID_BASE64URL({ received: describeValue(received), reason });
}
