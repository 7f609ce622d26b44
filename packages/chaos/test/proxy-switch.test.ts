import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChaosEngine, type ChaosProxy, type FaultHandle, type ToxicFault } from '../src/index.js';
import { dial, echoServer } from './servers.js';

// Toxics that delay, cut or hold bytes but never drop them: a proxied direction switches from
// pipe() to the toxic pipeline when one is injected and back when the last one is reverted.
const toxic: fc.Arbitrary<Omit<ToxicFault, 'kind'>> = fc.oneof(
  fc.record({ toxic: fc.constant('latency' as const), latencyMs: fc.integer({ min: 0, max: 4 }) }),
  fc.record({
    toxic: fc.constant('slicer' as const),
    averageSize: fc.integer({ min: 512, max: 16_384 }),
    sizeVariation: fc.integer({ min: 0, max: 256 }),
  }),
  fc.record({ toxic: fc.constant('bandwidth' as const), rateKBps: fc.constant(400_000) }),
  fc.record({ toxic: fc.constant('timeout' as const), timeoutMs: fc.constant(0) }),
  fc.record({ toxic: fc.constant('slow_close' as const), delayMs: fc.constant(1) }),
);

type Step =
  | { readonly op: 'write'; readonly size: number }
  | { readonly op: 'inject'; readonly toxic: Omit<ToxicFault, 'kind'>; readonly upstream: boolean }
  | { readonly op: 'revert'; readonly which: number }
  | { readonly op: 'pause'; readonly ms: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ op: fc.constant('write' as const), size: fc.integer({ min: 1, max: 200_000 }) }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('inject' as const), toxic, upstream: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('revert' as const), which: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({ op: fc.constant('pause' as const), ms: fc.integer({ min: 0, max: 5 }) }),
  },
);

/** Bytes whose every 4-byte word is its own index: a lost, doubled or swapped run cannot go unseen. */
function stream(length: number): Buffer {
  const words = Buffer.alloc(Math.ceil(length / 4) * 4);
  for (let i = 0; i < words.length / 4; i++) words.writeUInt32BE(i, i * 4);
  return words.subarray(0, length);
}

/** Resolves with what came back once `expected.length` bytes did; rejects at the first wrong byte. */
function collect(socket: Socket, expected: Buffer): Promise<Buffer> {
  const length = expected.length;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let got = 0;
    const timer = setTimeout(() => reject(new Error(`received ${got} of ${length} bytes`)), 3_000);
    socket.on('data', (d: Buffer) => {
      if (!d.equals(expected.subarray(got, got + d.length))) {
        clearTimeout(timer);
        reject(new Error(`bytes ${got}..${got + d.length} differ from what was sent`));
      }
      chunks.push(d);
      got += d.length;
      if (got >= length) {
        clearTimeout(timer);
        resolve(Buffer.concat(chunks));
      }
    });
    socket.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

let echo: Awaited<ReturnType<typeof echoServer>>;
let engine: ChaosEngine;
let proxy: ChaosProxy;
beforeAll(async () => {
  echo = await echoServer();
  engine = new ChaosEngine({ seed: 7 });
  proxy = await engine.proxy({ name: 'echo', upstream: echo.port });
});
afterAll(async () => {
  await engine.close();
  await echo.close();
});

describe('proxy mode switches (pipe() ⇄ toxic pipeline)', () => {
  it('loses, duplicates and reorders no byte across random injections and reverts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 24 }), async (steps) => {
        const total = steps.reduce((n, s) => n + (s.op === 'write' ? s.size : 0), 0) || 1;
        const payload = stream(total);
        const socket = await dial(proxy.address.port);
        const received = collect(socket, payload);
        const active: FaultHandle[] = [];
        let sent = 0;
        try {
          for (const s of steps) {
            if (s.op === 'write') {
              socket.write(payload.subarray(sent, sent + s.size));
              sent += s.size;
            } else if (s.op === 'inject') {
              const spec = { kind: 'toxic', ...s.toxic, stream: s.upstream ? 'upstream' : 'downstream' };
              active.push(engine.inject(spec as ToxicFault, { target: 'echo' }));
            } else if (s.op === 'revert' && active.length > 0) {
              await active.splice(s.which % active.length, 1)[0]?.revert();
            } else if (s.op === 'pause') {
              // A timer lets I/O run: bytes cross the proxy in whichever mode it is in now.
              await sleep(s.ms);
            }
          }
          if (sent < total) socket.write(payload.subarray(sent));
          // Revert with bytes still queued (held by a timeout toxic, delayed by latency).
          await sleep(2);
          for (const h of active.splice(0)) await h.revert();
          const bytes = await received;
          expect(bytes.length).toBe(total);
          expect(bytes.equals(payload)).toBe(true);
        } finally {
          for (const h of active) await h.revert();
          socket.destroy();
        }
      }),
      { numRuns: 100, seed: 20_261_125, endOnFailure: true },
    );
    expect(engine.stats().activeFaults).toBe(0);
  }, 60_000);

  it('keeps forwarding after many switches on one long-lived connection', async () => {
    const socket = await dial(proxy.address.port);
    const payload = stream(2 * 1024 * 1024);
    const received = collect(socket, payload);
    for (let i = 0; i < 32; i++) {
      const piece = payload.subarray(i * 65_536, (i + 1) * 65_536);
      const h = engine.inject(
        { kind: 'toxic', toxic: 'latency', latencyMs: 1, stream: i % 2 === 0 ? 'upstream' : 'downstream' },
        { target: 'echo' },
      );
      socket.write(piece.subarray(0, 30_000));
      await sleep(0);
      await h.revert();
      socket.write(piece.subarray(30_000));
    }
    expect((await received).equals(payload)).toBe(true);
    socket.destroy();
  });
});
