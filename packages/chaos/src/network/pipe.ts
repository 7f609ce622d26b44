/**
 * One direction of a proxied connection and the toxics that act on it, with Toxiproxy's semantics
 * (github.com/Shopify/toxiproxy, `toxics/*.go`): latency delays each chunk relative to its arrival,
 * bandwidth meters bytes against a deadline, slicer cuts chunks, limit_data closes after N bytes,
 * slow_close delays the FIN, timeout holds all data.
 *
 * @module
 */
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ActiveFault } from '../active-fault.js';
import type { ToxicFault } from '../faults.js';
import type { ChaosRandom } from '../random.js';

/** What a pipe asks its connection. @internal */
export interface PipeOwner {
  /** The toxics acting on this direction of this connection now. */
  toxics(direction: 'upstream' | 'downstream'): ActiveFault[];
  /** The connection's random stream (latency jitter, slice sizes). */
  readonly random: ChaosRandom;
  /** Closes both sides of the connection. */
  close(): void;
  /** True once the connection is closed. */
  readonly closed: boolean;
}

const HIGH_WATER = 64;

/** @internal */
export class Pipe {
  readonly #queue: { chunk: Buffer; at: number }[] = [];
  #pumping = false;
  #ended = false;
  #sent = 0;

  constructor(
    private readonly src: Socket,
    private readonly dst: Socket,
    private readonly direction: 'upstream' | 'downstream',
    private readonly owner: PipeOwner,
  ) {
    src.on('data', (chunk: Buffer) => this.#onData(chunk));
    src.on('end', () => {
      this.#ended = true;
      this.#kick();
    });
  }

  #onData(chunk: Buffer): void {
    if (!this.#pumping && this.#queue.length === 0 && this.owner.toxics(this.direction).length === 0) {
      // Fast path: no toxic on this direction — plain forwarding with backpressure.
      this.#sent += chunk.length;
      if (!this.dst.write(chunk)) {
        this.src.pause();
        this.dst.once('drain', () => this.src.resume());
      }
      return;
    }
    this.#queue.push({ chunk, at: performance.now() });
    if (this.#queue.length > HIGH_WATER) this.src.pause();
    this.#kick();
  }

  #kick(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    void this.#pump().finally(() => {
      this.#pumping = false;
    });
  }

  async #pump(): Promise<void> {
    while (!this.owner.closed) {
      const item = this.#queue.shift();
      if (item === undefined) break;
      if (this.#queue.length < HIGH_WATER / 2 && this.src.isPaused()) this.src.resume();
      await this.#send(item.chunk, item.at);
    }
    if (this.#ended && this.#queue.length === 0 && !this.owner.closed) {
      const slow = this.#find('slow_close');
      if (slow !== undefined) await sleep(slow.delayMs ?? 0);
      this.dst.end();
    }
  }

  #find(type: ToxicFault['toxic']): ToxicFault | undefined {
    for (const f of this.owner.toxics(this.direction)) {
      const spec = f.fault as ToxicFault;
      if (spec.toxic === type) return spec;
    }
    return undefined;
  }

  async #holdWhileTimeout(): Promise<void> {
    for (;;) {
      const held = this.owner.toxics(this.direction).find((f) => (f.fault as ToxicFault).toxic === 'timeout');
      if (held === undefined || this.owner.closed) return;
      await held.reverted;
    }
  }

  async #send(chunk: Buffer, arrivedAt: number): Promise<void> {
    await this.#holdWhileTimeout();
    const latency = this.#find('latency');
    if (latency !== undefined) {
      const jitter = latency.jitterMs ?? 0;
      const delay =
        (latency.latencyMs ?? 0) + (jitter > 0 ? (this.owner.random.float() * 2 - 1) * jitter : 0);
      const wait = delay - (performance.now() - arrivedAt);
      if (wait > 0) await sleep(wait);
    }
    let data = chunk;
    const limit = this.#find('limit_data');
    if (limit !== undefined) {
      const room = Math.max(0, (limit.bytes ?? 0) - this.#sent);
      if (data.length >= room) {
        if (room > 0) this.#write(data.subarray(0, room));
        this.owner.close();
        return;
      }
    }
    const slicer = this.#find('slicer');
    const bandwidth = this.#find('bandwidth');
    if (slicer === undefined && bandwidth === undefined) {
      this.#write(data);
      return;
    }
    const rate = bandwidth === undefined ? 0 : (bandwidth.rateKBps ?? 1) * 1024; // bytes per second
    let deadline = performance.now();
    while (data.length > 0 && !this.owner.closed) {
      let size = data.length;
      if (slicer !== undefined) {
        const variation = slicer.sizeVariation ?? 0;
        const avg = slicer.averageSize ?? 1;
        size = Math.max(1, Math.round(avg + (this.owner.random.float() * 2 - 1) * variation));
      } else if (rate > 0) {
        size = Math.max(1, Math.floor(rate / 10)); // 100 ms of data per write, as Toxiproxy does
      }
      const piece = data.subarray(0, size);
      data = data.subarray(piece.length);
      this.#write(piece);
      if (rate > 0) {
        deadline += (piece.length / rate) * 1000;
        const wait = deadline - performance.now();
        if (wait > 0) await sleep(wait);
      }
      if (slicer !== undefined && data.length > 0 && (slicer.delayUs ?? 0) > 0)
        await sleep((slicer.delayUs ?? 0) / 1000);
    }
  }

  #write(data: Buffer): void {
    this.#sent += data.length;
    if (!this.dst.destroyed) this.dst.write(data);
  }
}
