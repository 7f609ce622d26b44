/**
 * An HTTP client under latency and errors: a real local server, `fetch` through the engine's
 * dispatcher, a client with timeouts and retries — and the report of what the faults did.
 *
 * Run: pnpm exec tsx --conditions=@msys/source examples/chaos/http-faults.ts
 */
import { createServer } from 'node:http';
import { ChaosEngine } from '@msys/chaos';

const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ ok: true, path: req.url }));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

const engine = new ChaosEngine({ seed: 2024, blastRadius: { maxConcurrentFaults: 4 } });
const dispatcher = engine.fetchDispatcher([
  { path: '/orders', method: 'GET', delayMs: 300, probability: 0.3 },
  { path: '/orders', method: 'GET', status: 503, body: 'try later', probability: 0.2 },
  { path: '/payments', reset: true, probability: 0.5 },
]);

/** The client under test: 200 ms timeout per attempt, 3 attempts. */
async function getWithRetry(path: string): Promise<{ status: number | string; attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      // Node's fetch takes undici's `dispatcher` option, which the DOM RequestInit type does not declare.
      const init = { dispatcher, signal: AbortSignal.timeout(200) } as unknown as RequestInit;
      const res = await fetch(`${base}${path}`, init);
      await res.arrayBuffer();
      if (res.status < 500 || attempt === 3) return { status: res.status, attempts: attempt };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      if (attempt === 3) return { status: cause, attempts: attempt };
    }
  }
}

const outcomes: Record<string, number> = {};
for (let i = 0; i < 20; i++) {
  for (const path of ['/orders', '/payments']) {
    const { status, attempts } = await getWithRetry(path);
    const key = `${path} → ${status} after ${attempts} attempt(s)`;
    outcomes[key] = (outcomes[key] ?? 0) + 1;
  }
}
console.table(outcomes);
console.log(engine.report('HTTP client under faults').split('## Timeline')[0]);

await engine.close();
await dispatcher.close();
server.close();
