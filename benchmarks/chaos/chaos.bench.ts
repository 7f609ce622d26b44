/**
 * @msys/chaos hot paths and the proxy, each beside a peer measured in the same run:
 * - wrapped calls with no fault firing (the fast path, and a fault that draws but does not fire), beside
 *   cockatiel 3.2.1's policy wrapper around the same function — the cost a wrapper adds to every call;
 * - injections + reverts per second (one call fault each), the product's "faults/s";
 * - 1,000 injections then `halt()`; `halt()` times itself, and its p50/p95 alone are printed after the
 *   table;
 * - TCP throughput of 4 MiB echoed through the proxy without toxics, beside the same bytes over a direct
 *   socket to the same echo server, and beside a bare two-`pipe()` proxy (the ceiling of a JS proxy);
 * - the same echo through a proxy whose both directions carry a 0 ms latency toxic: the cost of the
 *   toxic pipeline (queue + async pump) beside the `pipe()` path a proxy without toxics takes.
 *
 * Call rows make 1000 calls per iteration, so ops/s counts calls and the per-call cost is 1 / ops/s.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { ChaosEngine, type ChaosProxy } from '@msys/chaos';
import { ConsecutiveBreaker, circuitBreaker, handleAll, retry, wrap as wrapPolicies } from 'cockatiel';
import type { SuiteFactory } from '../harness.js';

const BATCH = 1000;
const MiB = 1024 * 1024;

async function echoServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((s) => {
    s.on('error', () => {});
    s.pipe(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as { port: number }).port };
}

function dial(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

/** Sends `payload` and resolves when as many bytes came back. */
function echo(socket: Socket, payload: Buffer): Promise<void> {
  return new Promise((resolve) => {
    let got = 0;
    const onData = (d: Buffer) => {
      got += d.length;
      if (got >= payload.length) {
        socket.off('data', onData);
        resolve();
      }
    };
    socket.on('data', onData);
    socket.write(payload);
  });
}

const suite: SuiteFactory = async ({ smoke }) => {
  const engine = new ChaosEngine({ seed: 1 });
  const work = async (x: number) => x + 1;
  const quiet = engine.wrap(work, { target: 'quiet' });
  const drawn = engine.wrap(work, { target: 'drawn' });
  // A fault that is consulted on every call but never fires: one seeded draw per call.
  engine.inject({ kind: 'error' }, { target: 'drawn', probability: 0 });
  const policy = wrapPolicies(
    retry(handleAll, { maxAttempts: 2 }),
    circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) }),
  );

  const churn = new ChaosEngine({ seed: 2 });
  churn.wrap(work, { target: 'svc' });
  const bulk = new ChaosEngine({ seed: 3 });
  bulk.wrap(work, { target: 'svc' });

  const haltMs: number[] = [];
  const { server, port } = await echoServer();
  const proxied: ChaosProxy = await engine.proxy({ name: 'echo', upstream: port });
  const viaProxy = await dial(proxied.address.port);
  const toxic: ChaosProxy = await engine.proxy({ name: 'echo-toxic', upstream: port });
  for (const stream of ['upstream', 'downstream'] as const)
    engine.inject({ kind: 'toxic', toxic: 'latency', latencyMs: 0, stream }, { target: 'echo-toxic' });
  const viaToxic = await dial(toxic.address.port);
  const direct = await dial(port);
  // The ceiling of any proxy written in JavaScript: two `pipe()` calls and nothing else.
  const bare = createServer({ allowHalfOpen: true }, (client) => {
    const upstream = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
  const viaBare = await dial((bare.address() as { port: number }).port);
  const payload = Buffer.alloc(smoke ? 64 * 1024 : 4 * MiB, 7);
  const payloadMiB = payload.length / MiB;

  return {
    package: 'chaos',
    scenarios: [
      {
        name: 'wrapped async call, no fault on target (calls/s)',
        opsPerIteration: BATCH,
        judged: false,
        fn: async () => {
          for (let i = 0; i < BATCH; i++) await quiet(i);
        },
        peer: {
          name: 'cockatiel retry+breaker policy.execute',
          opsPerIteration: BATCH,
          fn: async () => {
            for (let i = 0; i < BATCH; i++) await policy.execute(() => work(i));
          },
        },
      },
      {
        name: 'fault decisions/s, fault consulted, not firing',
        opsPerIteration: BATCH,
        fn: async () => {
          for (let i = 0; i < BATCH; i++) await drawn(i);
        },
        peer: {
          name: 'the function called directly',
          opsPerIteration: BATCH,
          fn: async () => {
            for (let i = 0; i < BATCH; i++) await work(i);
          },
        },
      },
      {
        name: 'inject + revert (faults/s)',
        fn: async () => {
          await churn.inject({ kind: 'latency', ms: 5 }, { target: 'svc' }).revert();
        },
      },
      {
        name: 'inject 1,000 call faults, then halt() them (faults/s)',
        opsPerIteration: 1000,
        timeMs: 2000,
        fn: async () => {
          for (let i = 0; i < 1000; i++) bulk.inject({ kind: 'latency', ms: 5 }, { target: 'svc' });
          haltMs.push((await bulk.halt()).ms);
        },
      },
      {
        name: `proxy throughput, ${payloadMiB} MiB echo (MiB/s)`,
        opsPerIteration: payloadMiB,
        judged: false,
        timeMs: 3000,
        fn: () => echo(viaProxy, payload),
        peer: { name: 'direct socket', opsPerIteration: payloadMiB, fn: () => echo(direct, payload) },
      },
      {
        name: `proxy throughput, ${payloadMiB} MiB echo, beside a bare pipe() proxy (MiB/s)`,
        opsPerIteration: payloadMiB,
        judged: false,
        timeMs: 3000,
        fn: () => echo(viaProxy, payload),
        peer: {
          name: 'bare Node pipe() proxy',
          opsPerIteration: payloadMiB,
          fn: () => echo(viaBare, payload),
        },
      },
      {
        name: `proxy throughput, ${payloadMiB} MiB echo, 0 ms latency toxic both ways (MiB/s)`,
        opsPerIteration: payloadMiB,
        judged: false,
        timeMs: 3000,
        fn: () => echo(viaToxic, payload),
        peer: {
          name: 'the proxy without toxics',
          opsPerIteration: payloadMiB,
          fn: () => echo(viaProxy, payload),
        },
      },
    ],
    dispose: async () => {
      // halt() times itself (HaltResult.ms): the latency of reverting 1,000 active faults alone.
      const sorted = haltMs.sort((a, b) => a - b);
      const at = (q: number) => (sorted[Math.floor((sorted.length - 1) * q)] ?? Number.NaN).toFixed(2);
      console.log(
        `  chaos · halt() with 1,000 active call faults: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms (n=${sorted.length})`,
      );
      viaProxy.destroy();
      viaToxic.destroy();
      direct.destroy();
      viaBare.destroy();
      await new Promise((r) => bare.close(r));
      await engine.close();
      await churn.close();
      await bulk.close();
      await new Promise((r) => server.close(r));
    },
  };
};

export default suite;
