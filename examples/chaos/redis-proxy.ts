/**
 * A Redis client behind the chaos proxy: starts a real redis-server on a free port, puts a TCP proxy
 * in front of it, and shows latency, a bandwidth cap and a connection reset as the client sees them.
 * Needs the Debian package `redis-server`; skips (exit 0) with a message when it is missing.
 *
 * Run: pnpm exec tsx --conditions=@msys/source examples/chaos/redis-proxy.ts
 */
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChaosEngine } from '@msys/chaos';
import { Redis } from 'ioredis';

try {
  execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
} catch {
  console.log('redis-server is not installed (apt-get install redis-server); skipping this example');
  process.exit(0);
}

const port = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address() as { port: number };
    probe.close(() => resolve(port));
  });
});
const redis = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', ''], {
  stdio: 'ignore',
});

const engine = new ChaosEngine({ seed: 7 });
let client: Redis | undefined;
try {
  // Wait until redis-server answers on its own port.
  for (let i = 0; i < 50; i++) {
    const probe = new Redis({ host: '127.0.0.1', port, lazyConnect: true, retryStrategy: () => null });
    probe.on('error', () => {}); // not up yet: try again
    const ok = await probe.connect().then(
      () => true,
      () => false,
    );
    probe.disconnect();
    if (ok) break;
    await sleep(50);
  }
  const proxy = await engine.proxy({ name: 'redis', upstream: { host: '127.0.0.1', port } });
  // No reconnects and no retries: the example shows what one connection sees.
  client = new Redis({
    host: '127.0.0.1',
    port: proxy.address.port,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    lazyConnect: true,
  });
  await client.connect();
  const redisClient = client;
  const time = async (label: string, fn: () => Promise<unknown>) => {
    const t0 = performance.now();
    const value = await fn();
    console.log(`${label}: ${JSON.stringify(value)} in ${(performance.now() - t0).toFixed(0)} ms`);
  };
  await time('PING, no fault', () => redisClient.ping());

  const latency = engine.inject(
    { kind: 'toxic', toxic: 'latency', latencyMs: 1000, jitterMs: 50 },
    { target: 'redis' },
  );
  await time('PING, 1000 ms latency', () => redisClient.ping());
  await latency.revert();

  const bandwidth = engine.inject({ kind: 'toxic', toxic: 'bandwidth', rateKBps: 256 }, { target: 'redis' });
  await redisClient.set('blob', 'x'.repeat(256 * 1024));
  await time('GET 256 KiB at 256 KB/s', async () => (await redisClient.get('blob'))?.length);
  await bandwidth.revert();

  const reset = new Promise<string>((resolve) => {
    redisClient.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    redisClient.once('end', () => resolve('connection ended'));
  });
  engine.inject({ kind: 'toxic', toxic: 'reset_peer', timeoutMs: 100 }, { target: 'redis' });
  console.log(`after reset_peer the client sees: ${await reset}`);
} finally {
  client?.disconnect();
  await engine.close();
  redis.kill('SIGTERM');
  await new Promise((resolve) => redis.once('exit', resolve));
}
