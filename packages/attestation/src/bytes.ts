import { timingSafeEqual } from 'node:crypto';
import { invalidArgument } from './errors.js';

/** @internal */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** @internal */
export function fromHex(hex: string): Uint8Array {
  const clean = hex.startsWith('0x') ? hex.slice(2) : hex;
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) {
    throw invalidArgument('hex', 'an even-length hexadecimal string', hex);
  }
  return new Uint8Array(Buffer.from(clean, 'hex'));
}

/** @internal */
export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Constant-time equality that is false (not a throw) for different lengths. @internal */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Accepts a Uint8Array (Buffer included) or throws the typed validation error. @internal */
export function asBytes(value: unknown, path: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  throw invalidArgument(path, 'a Uint8Array', value);
}

/** @internal */
export function u32be(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0);
  return b;
}
