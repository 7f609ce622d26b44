import { errors } from '../errors.js';

/**
 * A bounds-checked reader of TPM wire data. TPM structures are big-endian (Part 1 §18.2); the PC Client event
 * log is little-endian, hence both byte orders. Every read past the end throws `MSYS_ATTESTATION_TRUNCATED`,
 * never a RangeError from DataView.
 *
 * @internal
 */
export class TpmReader {
  /** The current read position. */
  offset: number;
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    readonly structure: string,
    start = 0,
  ) {
    this.offset = start;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  need(n: number): void {
    if (n < 0 || this.offset + n > this.bytes.length) {
      throw errors.MSYS_ATTESTATION_TRUNCATED({
        structure: this.structure,
        offset: this.offset,
        needed: n,
        available: this.remaining,
      });
    }
  }

  u8(): number {
    this.need(1);
    return this.view.getUint8(this.offset++);
  }

  u16(le = false): number {
    this.need(2);
    const v = this.view.getUint16(this.offset, le);
    this.offset += 2;
    return v;
  }

  u32(le = false): number {
    this.need(4);
    const v = this.view.getUint32(this.offset, le);
    this.offset += 4;
    return v;
  }

  i32(): number {
    this.need(4);
    const v = this.view.getInt32(this.offset);
    this.offset += 4;
    return v;
  }

  u64(le = false): bigint {
    this.need(8);
    const v = this.view.getBigUint64(this.offset, le);
    this.offset += 8;
    return v;
  }

  take(n: number): Uint8Array {
    this.need(n);
    const out = this.bytes.slice(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  /** A TPM2B: a UINT16 size then that many bytes; `max` rejects oversized buffers before allocation. */
  tpm2b(max = 0xffff): Uint8Array {
    const size = this.u16();
    if (size > max) throw this.malformed(`size ${size} exceeds the maximum ${max}`);
    return this.take(size);
  }

  end(): void {
    if (this.remaining !== 0) throw this.malformed(`${this.remaining} unexpected trailing byte(s)`);
  }

  malformed(reason: string): Error {
    return errors.MSYS_ATTESTATION_MALFORMED({
      structure: this.structure,
      reason: `${reason} (offset ${this.offset})`,
    });
  }
}

/**
 * A growable big-endian writer for TPM commands and structures.
 *
 * @internal
 */
export class TpmWriter {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): this {
    this.room(1);
    this.view.setUint8(this.length++, v);
    return this;
  }

  u16(v: number): this {
    this.room(2);
    this.view.setUint16(this.length, v);
    this.length += 2;
    return this;
  }

  u32(v: number): this {
    this.room(4);
    this.view.setUint32(this.length, v >>> 0);
    this.length += 4;
    return this;
  }

  i32(v: number): this {
    this.room(4);
    this.view.setInt32(this.length, v);
    this.length += 4;
    return this;
  }

  u64(v: bigint): this {
    this.room(8);
    this.view.setBigUint64(this.length, v);
    this.length += 8;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }

  tpm2b(b: Uint8Array): this {
    return this.u16(b.length).bytes(b);
  }

  /** Writes a UINT16 size placeholder, runs `body`, then back-fills the size (TPM2B of a structure). */
  sized(body: (w: this) => void): this {
    this.u16(0);
    const start = this.length;
    body(this);
    this.view.setUint16(start - 2, this.length - start);
    return this;
  }

  setU32At(offset: number, v: number): void {
    this.view.setUint32(offset, v >>> 0);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}
