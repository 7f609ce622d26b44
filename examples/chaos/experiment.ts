/**
 * An experiment with rollback: "the catalogue service keeps answering while its database is slow and
 * its cache flaps". The experiment is plain data (it could live in a JSON file); the functions it names
 * come from a registry. A failing action mid-method shows that faults are reverted and rollbacks run.
 *
 * Run: pnpm exec tsx --conditions=@msys/source examples/chaos/experiment.ts
 */
import { createServer } from 'node:http';
import { ChaosEngine, type Experiment, runExperiment } from '@msys/chaos';

const engine = new ChaosEngine({ seed: 11, blastRadius: { maxConcurrentFaults: 3, maxTotalFaultMs: 5_000 } });

// The system under test: a catalogue service whose DB and cache calls go through the engine.
const db = engine.wrap(async (id: string) => ({ id, name: `item ${id}` }), {
  target: 'db',
  tags: ['storage'],
});
const cache = new Map<string, { id: string; name: string }>();
const cacheGet = engine.wrap(async (id: string) => cache.get(id), { target: 'cache', tags: ['storage'] });
let maintenance = false;
const server = createServer(async (req, res) => {
  const id = req.url?.split('/').pop() ?? '';
  try {
    const item = (await cacheGet(id).catch(() => undefined)) ?? (await db(id));
    cache.set(id, item);
    res.writeHead(maintenance ? 503 : 200).end(JSON.stringify(item));
  } catch {
    res.writeHead(500).end();
  }
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

const experiment: Experiment = {
  title: 'catalogue survives a slow DB and a flapping cache',
  steadyState: {
    probes: [
      { name: 'item answers', type: 'http', url: `${base}/items/1`, tolerance: 200, maxLatencyMs: 1500 },
      { name: 'cache warm', type: 'function', fn: 'cacheSize', tolerance: { min: 1 } },
    ],
  },
  method: [
    { type: 'action', name: 'flush cache', fn: 'flushCache' },
    {
      type: 'parallel',
      activities: [
        {
          type: 'fault',
          name: 'slow db',
          fault: { kind: 'latency', distribution: 'normal', ms: 150, jitterMs: 30 },
          target: 'db',
          durationMs: 600,
        },
        {
          type: 'fault',
          name: 'cache flaps',
          fault: { kind: 'error' },
          target: 'cache',
          probability: 0.5,
          durationMs: 600,
        },
        { type: 'action', name: 'traffic', fn: 'traffic' },
      ],
    },
  ],
  rollbacks: [{ type: 'action', name: 'leave maintenance', fn: 'leaveMaintenance' }],
};

const functions = {
  cacheSize: () => cache.size,
  flushCache: () => cache.clear(),
  traffic: async () => {
    for (let i = 0; i < 10; i++) await fetch(`${base}/items/${i % 3}`).then((r) => r.arrayBuffer());
  },
  enterMaintenance: () => {
    maintenance = true;
  },
  leaveMaintenance: () => {
    maintenance = false;
  },
  explode: () => {
    throw new Error('deploy script crashed');
  },
};

const result = await runExperiment(engine, JSON.parse(JSON.stringify(experiment)) as Experiment, {
  functions,
});
console.log(`verdict: ${result.verdict}`);
console.log(result.report.split('## Timeline')[0]);

// Second run: an action fails mid-method; the rollback still leaves maintenance mode and no fault stays.
const failing = await runExperiment(
  engine,
  {
    ...experiment,
    title: 'a deploy that crashes',
    method: [
      { type: 'action', name: 'enter maintenance', fn: 'enterMaintenance' },
      {
        type: 'fault',
        fault: { kind: 'latency', ms: 200 },
        target: 'db',
        background: true,
        durationMs: 2000,
      },
      { type: 'action', name: 'deploy', fn: 'explode' },
    ],
  },
  { functions },
);
console.log(
  `verdict: ${failing.verdict} (${failing.reason}); maintenance=${maintenance}; active faults=${engine.activeFaults.length}`,
);
if (failing.verdict !== 'failed' || maintenance || engine.activeFaults.length > 0) process.exitCode = 1;

await engine.close();
server.close();
