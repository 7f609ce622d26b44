import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChaosEngine } from '../src/index.js';
import { dial, echoServer, redisAvailable, roundTrip, startRedis } from './servers.js';

let echo: Awaited<ReturnType<typeof echoServer>>;
beforeAll(async () => {
  echo = await echoServer();
});
afterAll(async () => {
  await echo.close();
});

async function setup() {
  const engine = new ChaosEngine({ seed: 1 });
  const proxy = await engine.proxy({ name: 'echo', upstream: { host: '127.0.0.1', port: echo.port } });
  const socket = await dial(proxy.address.port);
  return { engine, proxy, socket };
}

function closedWith(socket: Socket): Promise<{ code: string | undefined; ended: boolean }> {
  return new Promise((resolve) => {
    let ended = false;
    socket.on('end', () => {
      ended = true;
    });
    socket.on('error', (e: NodeJS.ErrnoException) => resolve({ code: e.code, ended }));
    socket.on('close', () => resolve({ code: undefined, ended }));
  });
}

describe('TCP proxy against a real echo server', () => {
  it('forwards bytes unchanged without toxics', async () => {
    const { engine, socket } = await setup();
    const data = Buffer.from('hello through the proxy');
    expect((await roundTrip(socket, data)).bytes.toString()).toBe(data.toString());
    socket.destroy();
    await engine.close();
  });

  it('latency (downstream) delays every reply; jitter stays within its band; revert removes it', async () => {
    const { engine, socket } = await setup();
    const h = engine.inject(
      { kind: 'toxic', toxic: 'latency', latencyMs: 200, jitterMs: 50 },
      { target: 'echo' },
    );
    const r = await roundTrip(socket, Buffer.from('x'));
    expect(r.ms).toBeGreaterThanOrEqual(148);
    await h.revert();
    const fast = await roundTrip(socket, Buffer.from('y'));
    expect(fast.ms).toBeLessThan(r.ms);
    socket.destroy();
    await engine.close();
  });

  it('latency upstream delays the request direction', async () => {
    const { engine, socket } = await setup();
    engine.inject(
      { kind: 'toxic', toxic: 'latency', latencyMs: 150, stream: 'upstream' },
      { target: 'echo' },
    );
    expect((await roundTrip(socket, Buffer.from('x'))).ms).toBeGreaterThanOrEqual(148);
    socket.destroy();
    await engine.close();
  });

  it('bandwidth: 64 KiB at 128 KB/s takes about 0.5 s', async () => {
    const { engine, socket } = await setup();
    engine.inject({ kind: 'toxic', toxic: 'bandwidth', rateKBps: 128 }, { target: 'echo' });
    const r = await roundTrip(socket, Buffer.alloc(64 * 1024, 7));
    expect(r.bytes.length).toBe(64 * 1024);
    expect(r.ms).toBeGreaterThan(400);
    expect(r.ms).toBeLessThan(1500);
    socket.destroy();
    await engine.close();
  });

  it('slicer: a 10 KiB reply arrives in many small chunks', async () => {
    const { engine, socket } = await setup();
    engine.inject(
      { kind: 'toxic', toxic: 'slicer', averageSize: 100, sizeVariation: 20, delayUs: 100 },
      { target: 'echo' },
    );
    let chunks = 0;
    socket.on('data', () => {
      chunks++;
    });
    const r = await roundTrip(socket, Buffer.alloc(10 * 1024, 1));
    expect(r.bytes.length).toBe(10 * 1024);
    expect(chunks).toBeGreaterThan(20);
    socket.destroy();
    await engine.close();
  });

  it('limit_data closes the connection after N bytes', async () => {
    const { engine, socket } = await setup();
    engine.inject({ kind: 'toxic', toxic: 'limit_data', bytes: 10 }, { target: 'echo' });
    let got = 0;
    socket.on('data', (d) => {
      got += d.length;
    });
    const closed = closedWith(socket);
    socket.write(Buffer.alloc(100, 2));
    await closed;
    expect(got).toBe(10);
    await engine.close();
  });

  it('reset_peer: the client sees ECONNRESET', async () => {
    const { engine, socket } = await setup();
    const closed = closedWith(socket);
    engine.inject({ kind: 'toxic', toxic: 'reset_peer', timeoutMs: 50 }, { target: 'echo' });
    expect((await closed).code).toBe('ECONNRESET');
    await engine.close();
  });

  it('timeout: data stops; the connection closes after timeoutMs', async () => {
    const { engine, socket } = await setup();
    engine.inject({ kind: 'toxic', toxic: 'timeout', timeoutMs: 300 }, { target: 'echo' });
    let got = 0;
    socket.on('data', (d) => {
      got += d.length;
    });
    const closed = closedWith(socket);
    const t0 = performance.now();
    socket.write('ping');
    await closed;
    expect(got).toBe(0);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(250);
    await engine.close();
  });

  it('timeout 0 holds data until the toxic is reverted, then delivers it', async () => {
    const { engine, socket } = await setup();
    const h = engine.inject({ kind: 'toxic', toxic: 'timeout' }, { target: 'echo' });
    const p = roundTrip(socket, Buffer.from('held'));
    await sleep(200);
    await h.revert();
    expect((await p).bytes.toString()).toBe('held');
    socket.destroy();
    await engine.close();
  });

  it('slow_close delays the close towards the client', async () => {
    const { engine, socket } = await setup();
    engine.inject({ kind: 'toxic', toxic: 'slow_close', delayMs: 300 }, { target: 'echo' });
    const closed = closedWith(socket);
    const t0 = performance.now();
    socket.end();
    await closed;
    expect(performance.now() - t0).toBeGreaterThanOrEqual(250);
    await engine.close();
  });

  it('down: connections drop and new ones are refused until reverted', async () => {
    const { engine, proxy, socket } = await setup();
    const closed = closedWith(socket);
    const h = engine.inject({ kind: 'toxic', toxic: 'down' }, { target: 'echo' });
    await closed;
    await expect(dial(proxy.address.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await h.revert();
    await sleep(20);
    const again = await dial(proxy.address.port);
    expect((await roundTrip(again, Buffer.from('up'))).bytes.toString()).toBe('up');
    again.destroy();
    await engine.close();
  });

  it('toxicity: about that share of connections gets the toxic, decided per connection', async () => {
    const engine = new ChaosEngine({ seed: 5 });
    const proxy = await engine.proxy({ name: 'echo', upstream: echo.port });
    engine.inject({ kind: 'toxic', toxic: 'reset_peer', timeoutMs: 0 }, { target: 'echo', probability: 0.5 });
    let resets = 0;
    for (let i = 0; i < 40; i++) {
      const s = await dial(proxy.address.port).catch((e: NodeJS.ErrnoException) => e);
      if (s instanceof Error) {
        if (s.code === 'ECONNRESET') resets++;
        continue;
      }
      const outcome = await Promise.race([
        closedWith(s),
        roundTrip(s, Buffer.from('ok')).then(() => ({ code: 'OK', ended: false })),
      ]);
      if (outcome.code === 'ECONNRESET') resets++;
      s.destroy();
    }
    expect(resets).toBeGreaterThan(8);
    expect(resets).toBeLessThan(32);
    expect(engine.journal().decisions.filter((d) => d.target === 'echo')).toHaveLength(resets);
    await engine.close();
    expect(proxy.closed).toBe(true);
  });
});

describe.skipIf(!redisAvailable)('TCP proxy against a real redis-server', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('with 1000 ms latency a PING takes ≥ 1 s; after revert it is fast again', async () => {
    const engine = new ChaosEngine({ seed: 1 });
    const proxy = await engine.proxy({ name: 'redis', upstream: `127.0.0.1:${redis.port}` });
    const client = new Redis(proxy.address.port, '127.0.0.1', { maxRetriesPerRequest: 0, lazyConnect: true });
    await client.connect();
    expect(await client.ping()).toBe('PONG');
    const h = engine.inject({ kind: 'toxic', toxic: 'latency', latencyMs: 1000 }, { target: 'redis' });
    const t0 = performance.now();
    expect(await client.ping()).toBe('PONG');
    const slow = performance.now() - t0;
    expect(slow).toBeGreaterThanOrEqual(1000);
    await h.revert();
    const t1 = performance.now();
    await client.set('k', 'v');
    expect(await client.get('k')).toBe('v');
    expect(performance.now() - t1).toBeLessThan(slow);
    client.disconnect();
    await engine.close();
  });

  it('reset_peer: the redis client sees ECONNRESET', async () => {
    const engine = new ChaosEngine({ seed: 1 });
    const proxy = await engine.proxy({ name: 'redis', upstream: redis.port });
    const client = new Redis(proxy.address.port, '127.0.0.1', {
      maxRetriesPerRequest: 0,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    const errors: string[] = [];
    client.on('error', (e: NodeJS.ErrnoException) => errors.push(e.code ?? e.message));
    await client.connect();
    engine.inject({ kind: 'toxic', toxic: 'reset_peer', timeoutMs: 0 }, { target: 'redis' });
    await client.ping().catch(() => undefined);
    await sleep(50);
    expect(errors).toContain('ECONNRESET');
    client.disconnect();
    await engine.close();
  });
});
