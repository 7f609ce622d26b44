import { connect } from 'node:net';
import { SeededRandom } from '@msys/core/governor';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '../src/consensus/codec.js';
import type { ConsensusMessage } from '../src/consensus/types.js';
import {
  canonicalJson,
  encodeFrame,
  FrameDecoder,
  Ledger,
  MemoryStore,
  type TcpRandomSource,
  TcpTransport,
  validateEntry,
} from '../src/index.js';
import { agreementViolations, intelEntry, openLoopbackMesh, testKey } from './support/cluster.js';

/** A seeded stream that counts the floats drawn from it. */
class CountingRandom extends SeededRandom {
  draws = 0;
  override float(): number {
    this.draws++;
    return super.float();
  }
}

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function pair(governor?: TcpRandomSource) {
  const ka = testKey(0, 'tcp');
  const kb = testKey(1, 'tcp');
  const a = await TcpTransport.open({
    id: 'a',
    keyPair: ka,
    listen: { host: '127.0.0.1', port: 0 },
    maxFrameBytes: 1024,
    ...(governor === undefined ? {} : { governor }),
  });
  const b = await TcpTransport.open({
    id: 'b',
    keyPair: kb,
    listen: { host: '127.0.0.1', port: 0 },
    maxFrameBytes: 1024,
  });
  open.push(a, b);
  a.setPeers([{ id: 'b', host: '127.0.0.1', port: b.port, publicKey: kb.publicKey }]);
  b.setPeers([{ id: 'a', host: '127.0.0.1', port: a.port, publicKey: ka.publicKey }]);
  return { a, b, ka, kb };
}

const until = async (f: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!f() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return f();
};

describe('FrameDecoder', () => {
  it('reassembles frames split at any byte boundary', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 10 }),
        fc.array(fc.nat(50), { maxLength: 20 }),
        (payloads, cuts) => {
          const stream = Buffer.concat(payloads.map((p) => encodeFrame(p)));
          const d = new FrameDecoder(1024);
          const out: Uint8Array[] = [];
          let at = 0;
          for (const c of cuts) {
            out.push(...d.push(stream.subarray(at, Math.min(stream.length, at + c))));
            at = Math.min(stream.length, at + c);
          }
          out.push(...d.push(stream.subarray(at)));
          expect(out.map((x) => Buffer.from(x).toString('hex'))).toEqual(
            payloads.map((p) => Buffer.from(p).toString('hex')),
          );
        },
      ),
    );
  });

  it('survives random bytes: never throws, fails closed on an oversized length', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 20 }), (chunks) => {
        const d = new FrameDecoder(100);
        for (const c of chunks) for (const f of d.push(c)) expect(f.length).toBeLessThanOrEqual(100);
      }),
      { numRuns: 1000 },
    );
    const d = new FrameDecoder(100);
    expect(d.push(Uint8Array.of(0, 0, 1, 0))).toEqual([]);
    expect(d.failed).toBe(true);
  });

  it('the message decoder rejects random bytes and mutated messages without throwing', () => {
    const limits = { validators: 4, maxEntries: 10, maxBlocks: 4 };
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc.json().map((j) => new TextEncoder().encode(j)),
        ),
        (bytes) => {
          expect(decodeMessage(bytes, limits)).toBeUndefined();
        },
      ),
      { numRuns: 2000 },
    );
    const vote = {
      t: 'vote',
      epoch: 0,
      view: 1,
      height: 1,
      blockHash: 'a'.repeat(64),
      vote: { voter: 1, signature: 'b'.repeat(128) },
    };
    expect(decodeMessage(new TextEncoder().encode(JSON.stringify(vote)), limits)).toEqual(vote);
    for (const bad of [
      { ...vote, view: -1 },
      { ...vote, vote: { voter: 9, signature: 'b'.repeat(128) } },
      { ...vote, t: 'nope' },
    ]) {
      expect(decodeMessage(new TextEncoder().encode(JSON.stringify(bad)), limits)).toBeUndefined();
    }
  });

  it('carries entries as canonical JSON strings and rejects any other entry form', () => {
    const limits = { validators: 4, maxEntries: 10, maxBlocks: 4 };
    const entry = validateEntry(intelEntry(1), 1);
    const h = 'a'.repeat(64);
    const block = {
      epoch: 0,
      view: 2,
      height: 2,
      parent: h,
      justify: {
        epoch: 0,
        view: 1,
        height: 1,
        blockHash: h,
        votes: [{ voter: 1, signature: 'b'.repeat(128) }],
      },
      proposer: 2,
      timestamp: 5,
      entries: [entry],
      hash: 'c'.repeat(64),
    };
    const messages: ConsensusMessage[] = [
      { t: 'proposal', block, signature: 'd'.repeat(128) },
      { t: 'submit', entries: [entry] },
      { t: 'blocks', blocks: [block] },
    ];
    for (const m of messages) expect(decodeMessage(encodeMessage(m), limits)).toEqual(m);
    const wire = (entries: unknown[]) => new TextEncoder().encode(JSON.stringify({ t: 'submit', entries }));
    expect(decodeMessage(wire([canonicalJson(entry)]), limits)).toEqual({ t: 'submit', entries: [entry] });
    // An entry as an object, or as a string that is valid but not canonical (keys out of order), is refused.
    expect(decodeMessage(wire([entry]), limits)).toBeUndefined();
    const shuffled = Object.fromEntries(Object.entries(entry).reverse());
    expect(decodeMessage(wire([JSON.stringify(shuffled)]), limits)).toBeUndefined();
    expect(decodeMessage(wire(['{']), limits)).toBeUndefined();
  });
});

describe('TcpTransport', () => {
  it('delivers frames after a mutual signed-challenge handshake and reconnects after a drop', async () => {
    // The reconnect jitter is drawn from the governor's random stream (replayable), not Math.random.
    const seeded = new CountingRandom(42);
    const twin = new SeededRandom(42);
    const { a, b } = await pair({ random: seeded });
    const got: string[] = [];
    b.onMessage((peer, f) => got.push(`${peer}:${new TextDecoder().decode(f)}`));
    a.send('b', new TextEncoder().encode('hello'));
    expect(await until(() => got.length === 1)).toBe(true);
    expect(got).toEqual(['a:hello']);
    expect(a.stats.connects).toBe(1);
    // The listener restarts on the same port: the dialer redials with backoff and delivers what it queued.
    const port = b.port;
    await b.close();
    const b2 = await TcpTransport.open({
      id: 'b',
      keyPair: testKey(1, 'tcp'),
      listen: { host: '127.0.0.1', port },
    });
    open.push(b2);
    b2.setPeers([{ id: 'a', host: '127.0.0.1', port: a.port, publicKey: testKey(0, 'tcp').publicKey }]);
    const again: string[] = [];
    b2.onMessage((peer, f) => again.push(`${peer}:${new TextDecoder().decode(f)}`));
    await new Promise((r) => setTimeout(r, 30));
    a.send('b', new TextEncoder().encode('again'));
    expect(await until(() => again.length === 1)).toBe(true);
    expect(again).toEqual(['a:again']);
    expect(a.stats.connects).toBe(2);
    expect(seeded.draws).toBeGreaterThanOrEqual(1);
    // Nothing else drew from the stream: it is exactly where a twin stream is after as many draws.
    for (let i = 0; i < seeded.draws; i++) twin.float();
    expect(seeded.uint32()).toBe(twin.uint32());
  });

  it('refuses a peer that cannot sign for its claimed id, and disconnects oversized frames', async () => {
    const { a, b } = await pair();
    const impostor = await TcpTransport.open({
      id: 'a',
      keyPair: testKey(9, 'tcp'),
      listen: { host: '127.0.0.1', port: 0 },
    });
    open.push(impostor);
    impostor.setPeers([{ id: 'b', host: '127.0.0.1', port: b.port, publicKey: testKey(1, 'tcp').publicKey }]);
    const got: Uint8Array[] = [];
    b.onMessage((_p, f) => got.push(f));
    impostor.send('b', Uint8Array.of(1, 2, 3));
    expect(await until(() => b.stats.handshakeFailures >= 1)).toBe(true);
    expect(got).toEqual([]);

    const raw = connect(b.port, '127.0.0.1');
    await new Promise((r) => raw.once('connect', r));
    raw.write(Buffer.from([0, 1, 0, 0, 9, 9]));
    expect(await until(() => b.stats.oversizedFrames >= 1)).toBe(true);
    raw.destroy();
    const garbage = connect(b.port, '127.0.0.1');
    await new Promise((r) => garbage.once('connect', r));
    garbage.write(encodeFrame(Uint8Array.of(2, 123, 125, 255)));
    expect(await until(() => b.stats.handshakeFailures >= 2)).toBe(true);
    garbage.destroy();
    void a;
  });

  it('runs a 4-replica ledger over loopback', async () => {
    const keys = [0, 1, 2, 3].map((i) => testKey(i, 'tcp-cluster'));
    const transports = await openLoopbackMesh(keys);
    const validators = keys.map((k, i) => ({ id: `r${i}`, publicKey: k.publicKey }));
    const ledgers = await Promise.all(
      keys.map((k, i) =>
        Ledger.open({
          id: `r${i}`,
          keyPair: k,
          validators,
          transport: transports[i]!,
          storage: { store: new MemoryStore() },
          viewTimeoutMs: 300,
        }),
      ),
    );
    open.push(...ledgers);
    const receipts = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => ledgers[i % 4]!.submit(intelEntry(i))));
    expect(receipts.map((r) => r.index).sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await until(() => ledgers.every((l) => l.size === 6))).toBe(true);
    expect(agreementViolations(ledgers)).toEqual([]);
  });
});
