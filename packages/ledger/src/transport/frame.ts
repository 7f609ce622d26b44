/** Default largest frame accepted: 16 MiB (a full block of entries fits with room to spare). */
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

/**
 * Prefixes a payload with its length as a big-endian uint32.
 *
 * @param payload - the frame payload
 * @returns the bytes to write on the stream
 */
export function encodeFrame(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + payload.length);
  new DataView(out.buffer).setUint32(0, payload.length);
  out.set(payload, 4);
  return out;
}

/**
 * Splits a byte stream into length-prefixed frames. Input is untrusted: a length above `maxFrameBytes` puts
 * the decoder in a failed state (the stream cannot be resynchronised, so the connection must be closed) —
 * it never throws and never buffers more than one maximum frame.
 */
export class FrameDecoder {
  readonly #max: number;
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  #failed = false;

  /**
   * @param maxFrameBytes - the largest payload accepted
   */
  constructor(maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES) {
    this.#max = maxFrameBytes;
  }

  /** True once an oversized length was seen. */
  get failed(): boolean {
    return this.#failed;
  }

  /**
   * Feeds bytes; returns every complete frame they finish.
   *
   * @param chunk - bytes from the stream
   * @returns the complete payloads, in order
   */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.#failed) return [];
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    const frames: Uint8Array[] = [];
    while (this.#buffered >= 4) {
      const head = this.#peek(4);
      const length = new DataView(head.buffer, head.byteOffset, 4).getUint32(0);
      if (length > this.#max) {
        this.#failed = true;
        this.#chunks = [];
        this.#buffered = 0;
        return frames;
      }
      if (this.#buffered < 4 + length) break;
      const all = this.#take(4 + length);
      frames.push(all.subarray(4));
    }
    return frames;
  }

  #peek(n: number): Uint8Array {
    const first = this.#chunks[0] as Uint8Array;
    if (first.length >= n) return first;
    const merged = new Uint8Array(this.#buffered);
    let at = 0;
    for (const c of this.#chunks) {
      merged.set(c, at);
      at += c.length;
    }
    this.#chunks = [merged];
    return merged;
  }

  #take(n: number): Uint8Array {
    const merged = this.#peek(n);
    const out = merged.slice(0, n);
    const rest = merged.subarray(n);
    this.#chunks = rest.length > 0 ? [rest] : [];
    this.#buffered -= n;
    return out;
  }
}
