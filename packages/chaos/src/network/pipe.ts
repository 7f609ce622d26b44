/**
 * One direction of a proxied connection and the toxics that act on it, with Toxiproxy's semantics
 * (github.com/Shopify/toxiproxy, `toxics/*.go`): latency delays each chunk relative to its arrival,
 * bandwidth meters bytes against a deadline, slicer cuts chunks, limit_data closes after N bytes,
 * slow_close delays the FIN, timeout holds all data.
 *
 * A direction runs in one of two modes. With no toxic on it, the sockets are joined by `pipe()`: Node
 * forwards each chunk with its own backpressure and no code of ours runs per chunk. When a toxic is
 * injected the pipe is detached and chunks go through the toxic pipeline (a queue and an async pump);
 * when the last toxic is reverted and the queue has drained, `pipe()` takes over again. Both switches
 * happen between two `data` events, so every byte is written to the destination exactly once and in
 * arrival order: what `pipe()` forwarded is already in the destination's write buffer, what arrives
 * after the switch queues behind it.
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
  /**
   * The toxics acting on the data of this direction of this connection now (toxicity decided, `down`
   * and `reset_peer` excluded: they act on the connection, not on its bytes). The same array until
   * the set changes, so the pump reads it without allocating.
   */
  toxics(direction: 'upstream' | 'downstream'): readonly ActiveFault[];
  /** The connection's random stream (latency jitter, slice sizes). */
  readonly random: ChaosRandom;
  /** Closes both sides of the connection. */
  close(): void;
  /** True once the connection is closed. */
  readonly closed: boolean;
}

/** Chunks queued in the toxic pipeline before the source is paused (about 4 MiB of 64 KiB reads). */
const HIGH_WATER = 64;

const NOTHING = Buffer.alloc(0);
const COMPACT_AT = 1024;

/** @internal */
export class Pipe {
  // The toxic pipeline's queue: two parallel arrays read from `#head`, so queueing a chunk allocates
  // no record; both are reset whenever the queue empties.
  readonly #chunks: Buffer[] = [];
  readonly #arrivals: number[] = [];
  #head = 0;
  #piped = false;
  #listening = false;
  #pumping = false;
  #ended = false;
  readonly #onData = (chunk: Buffer): void => {
    this.#chunks.push(chunk);
    this.#arrivals.push(performance.now());
    if (this.#chunks.length - this.#head > HIGH_WATER) this.src.pause();
    this.#kick();
  };

  constructor(
    private readonly src: Socket,
    private readonly dst: Socket,
    private readonly direction: 'upstream' | 'downstream',
    private readonly owner: PipeOwner,
  ) {
    src.on('end', () => {
      this.#ended = true;
      this.#kick();
    });
    this.sync();
  }

  /** Chunks waiting in the toxic pipeline. */
  get #pending(): number {
    return this.#chunks.length - this.#head;
  }

  /**
   * Chooses the mode after the direction's toxics changed: the toxic pipeline as soon as one acts,
   * `pipe()` again once none does and the pipeline has nothing left to send.
   */
  sync(): void {
    if (this.owner.closed || this.#ended) return;
    if (this.owner.toxics(this.direction).length > 0) {
      if (this.#piped) {
        // unpipe() pauses the source; chunks it has not emitted yet stay in its buffer, in order.
        this.src.unpipe(this.dst);
        this.#piped = false;
      }
      if (!this.#listening) {
        this.#listening = true;
        this.src.on('data', this.#onData);
        if (this.#pending <= HIGH_WATER) this.src.resume();
      }
    } else if (!this.#pumping && this.#pending === 0 && !this.#piped) {
      if (this.#listening) {
        this.src.off('data', this.#onData);
        this.#listening = false;
      }
      this.#piped = true;
      // pipe() resumes the source unless the destination is waiting for 'drain'.
      this.src.pipe(this.dst, { end: false });
    }
  }

  #kick(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    this.#pump().catch(() => this.owner.close());
  }

  /** Drops the head of the queue. */
  #advance(): void {
    this.#chunks[this.#head++] = NOTHING; // release the chunk now, not at the next compaction
    if (this.#head === this.#chunks.length) {
      this.#chunks.length = 0;
      this.#arrivals.length = 0;
      this.#head = 0;
    } else if (this.#head >= COMPACT_AT) {
      // A queue that never empties (a steady stream under bandwidth) must not grow without bound.
      this.#chunks.splice(0, this.#head);
      this.#arrivals.splice(0, this.#head);
      this.#head = 0;
    }
  }

  async #pump(): Promise<void> {
    try {
      while (!this.owner.closed) {
        if (this.#head === this.#chunks.length) break;
        const chunk = this.#chunks[this.#head] as Buffer;
        const at = this.#arrivals[this.#head] as number;
        this.#advance();
        if (this.#pending < HIGH_WATER / 2 && this.#listening && this.src.isPaused()) this.src.resume();
        await this.#send(chunk, at);
        if (this.dst.writableNeedDrain) await this.#drained();
      }
      if (this.#ended && this.#pending === 0 && !this.owner.closed) {
        const slow = this.#find('slow_close');
        if (slow !== undefined) await sleep(slow.delayMs ?? 0);
        if (!this.owner.closed) this.dst.end();
        return;
      }
    } finally {
      // Synchronous with the loop's last check: a chunk arriving later finds #pumping false.
      this.#pumping = false;
    }
    this.sync();
  }

  #drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.dst.off('drain', done).off('close', done);
        resolve();
      };
      this.dst.on('drain', done).on('close', done);
    });
  }

  #find(type: ToxicFault['toxic']): ToxicFault | undefined {
    for (const f of this.owner.toxics(this.direction)) {
      const spec = f.fault as ToxicFault;
      // A fault is detached before its 'revert' event updates the list: skip it in between.
      if (spec.toxic === type && f.status === 'active') return spec;
    }
    return undefined;
  }

  async #holdWhileTimeout(): Promise<void> {
    for (;;) {
      let held: ActiveFault | undefined;
      for (const f of this.owner.toxics(this.direction)) {
        if ((f.fault as ToxicFault).toxic === 'timeout' && f.status === 'active') held = f;
      }
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
      // bytesWritten counts what pipe() forwarded before the toxic pipeline took over, too.
      const room = Math.max(0, (limit.bytes ?? 0) - this.dst.bytesWritten);
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
    if (!this.dst.destroyed) this.dst.write(data);
  }
}
