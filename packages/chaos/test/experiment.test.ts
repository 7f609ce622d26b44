import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChaosEngine,
  type Experiment,
  fromChaosToolkit,
  runExperiment,
  validateExperiment,
} from '../src/index.js';
import { dial, echoServer, freePort } from './servers.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

let server: Server;
let base: string;
let healthy = true;
beforeAll(async () => {
  server = createServer((req, res) => {
    res.writeHead(req.url === '/health' && !healthy ? 503 : 200);
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

function codeOf(fn: () => unknown): { code?: string; details?: Record<string, unknown> } {
  try {
    fn();
  } catch (e) {
    return e as { code?: string; details?: Record<string, unknown> };
  }
  return {};
}

describe('experiments', () => {
  it('completed: steady state holds before and after; faults act during the method; report has a verdict', async () => {
    const engine = new ChaosEngine({ seed: 1 });
    const payments = engine.wrap(async () => 'paid', { target: 'payments' });
    const seen: string[] = [];
    const experiment: Experiment = {
      title: 'checkout tolerates payment errors',
      steadyState: {
        probes: [
          { name: 'health', type: 'http', url: `${base}/health`, tolerance: 200 },
          { name: 'pays', type: 'function', fn: 'pay', tolerance: 'paid' },
        ],
      },
      method: [
        {
          type: 'fault',
          name: 'payments fail',
          fault: { kind: 'error' },
          target: 'payments',
          durationMs: 100,
          background: true,
        },
        { type: 'pause', ms: 10 },
        { type: 'action', name: 'try to pay', fn: 'tryPay' },
        {
          type: 'parallel',
          activities: [
            { type: 'action', name: 'a', fn: 'mark', args: 'a' },
            { type: 'action', name: 'b', fn: 'mark', args: 'b' },
          ],
        },
      ],
      rollbacks: [{ type: 'action', name: 'cleanup', fn: 'mark', args: 'rollback' }],
    };
    // The experiment is data: it survives a JSON round trip.
    const fromJson = JSON.parse(JSON.stringify(experiment)) as Experiment;
    const result = await runExperiment(engine, fromJson, {
      functions: {
        pay: () => payments(),
        tryPay: async () => {
          seen.push(await payments().catch((e: { code: string }) => e.code));
        },
        mark: ({ args }) => {
          seen.push(String(args));
        },
      },
    });
    expect(result.verdict).toBe('completed');
    expect(result.before.every((p) => p.ok)).toBe(true);
    expect(result.after.map((p) => p.value)).toEqual([200, 'paid']);
    expect(seen).toEqual(['MSYS_CHAOS_INJECTED_ERROR', 'a', 'b', 'rollback']);
    expect(result.report).toContain('**Verdict: completed**');
    expect(result.report).toContain('## Probes');
    expect(engine.activeFaults).toHaveLength(0);
  });

  it('deviated: the steady state breaks after the method; rollbacks still run', async () => {
    const engine = new ChaosEngine({ seed: 1 });
    healthy = true;
    const result = await runExperiment(
      engine,
      {
        title: 'health survives a config push',
        steadyState: {
          probes: [{ name: 'health', type: 'http', url: `${base}/health`, tolerance: { oneOf: [200] } }],
        },
        method: [{ type: 'action', name: 'bad push', fn: 'breakIt' }],
        rollbacks: [{ type: 'action', name: 'restore', fn: 'restore' }],
      },
      {
        functions: {
          breakIt: () => {
            healthy = false;
          },
          restore: () => {
            healthy = true;
          },
        },
      },
    );
    expect(result.verdict).toBe('deviated');
    expect(result.after[0]).toMatchObject({ value: 503, ok: false });
    expect(healthy).toBe(true);
  });

  it('an action that throws mid-experiment: every fault reverted, every proxy closed, rollbacks ran', async () => {
    const echo = await echoServer();
    const engine = new ChaosEngine({ seed: 1 });
    const db = engine.wrap(async () => 'row', { target: 'db' });
    let rolledBack = false;
    let peeked = 0;
    const proxyPort = await freePort();
    const result = await runExperiment(
      engine,
      {
        title: 'throws in the middle',
        method: [
          { type: 'proxy', name: 'echo', upstream: echo.port, listen: proxyPort },
          { type: 'fault', fault: { kind: 'toxic', toxic: 'latency', latencyMs: 500 }, target: 'echo' },
          { type: 'fault', fault: { kind: 'timeout' }, target: 'db' },
          { type: 'fault', fault: { kind: 'memory', bytes: 16 * 1024 * 1024 } },
          { type: 'action', name: 'peek', fn: 'peek' },
          { type: 'action', name: 'explode', fn: 'explode' },
          { type: 'action', name: 'never runs', fn: 'peek' },
        ],
        rollbacks: [{ type: 'action', name: 'rollback', fn: 'rollback' }],
      },
      {
        functions: {
          peek: async () => {
            // The proxy is up while the method runs.
            const s = await dial(proxyPort);
            s.destroy();
            peeked++;
          },
          explode: () => {
            throw new Error('boom');
          },
          rollback: () => {
            rolledBack = true;
          },
        },
      },
    );
    expect(result.verdict).toBe('failed');
    expect(result.reason).toBe('boom');
    expect(result.method.map((a) => a.status)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
      'succeeded',
      'succeeded',
      'failed',
      'skipped',
    ]);
    expect(peeked).toBe(1);
    expect(rolledBack).toBe(true);
    expect(engine.activeFaults).toHaveLength(0);
    expect(engine.journal().events.filter((e) => e.type === 'revert')).toHaveLength(3);
    await expect(db()).resolves.toBe('row');
    // The proxy's listener is gone: its port refuses connections.
    await expect(dial(proxyPort)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await echo.close();
  });

  it('halt() during the method aborts it; faults reverted; rollbacks ran', async () => {
    const engine = new ChaosEngine({ seed: 1 });
    let rolledBack = false;
    const running = runExperiment(
      engine,
      {
        title: 'long soak',
        method: [
          { type: 'fault', fault: { kind: 'abort' }, target: 'x', durationMs: 60_000 },
          { type: 'pause', ms: 10 },
        ],
        rollbacks: [{ type: 'action', name: 'rb', fn: () => (rolledBack = true) }],
      },
      { handleProcessSignals: false },
    );
    await new Promise((r) => setTimeout(r, 50));
    await engine.halt();
    const result = await running;
    expect(result.verdict).toBe('aborted');
    expect(result.reason).toBe('engine halted');
    expect(result.method.map((a) => a.status)).toEqual(['aborted', 'skipped']);
    expect(rolledBack).toBe(true);
    expect(engine.activeFaults).toHaveLength(0);
  });

  it("the caller's signal aborts the method; rollbacks ran", async () => {
    const engine = new ChaosEngine({ seed: 1 });
    const controller = new AbortController();
    let rolledBack = 0;
    const running = runExperiment(
      engine,
      {
        title: 'cancelled',
        method: [
          { type: 'fault', fault: { kind: 'cpu', cores: 1, percent: 20 }, background: true },
          { type: 'pause', ms: 60_000 },
        ],
        rollbacks: [{ type: 'action', name: 'rb', fn: () => rolledBack++ }],
      },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 50);
    const result = await running;
    expect(result.verdict).toBe('aborted');
    expect(rolledBack).toBe(1);
    expect(engine.activeFaults).toHaveLength(0);
  });

  it('an abort condition out of tolerance halts the experiment', async () => {
    const engine = new ChaosEngine({ seed: 1 });
    let errors = 0;
    const result = await runExperiment(
      engine,
      {
        title: 'error budget',
        abortWhen: [{ name: 'error budget', type: 'function', fn: () => errors, tolerance: { max: 2 } }],
        abortCheckIntervalMs: 10,
        method: [
          { type: 'action', name: 'errors rise', fn: () => (errors = 5) },
          { type: 'pause', ms: 60_000 },
        ],
      },
      { handleProcessSignals: false },
    );
    expect(result.verdict).toBe('aborted');
    expect(result.reason).toContain('error budget');
  });

  it('invalid experiments name the bad path', () => {
    expect(codeOf(() => validateExperiment({ title: 't', method: [{ type: 'nap' }] }))).toMatchObject({
      code: 'MSYS_CHAOS_INVALID_EXPERIMENT',
      details: { path: 'experiment.method[0].type' },
    });
    expect(
      codeOf(() =>
        validateExperiment({ title: 't', method: [{ type: 'fault', fault: { kind: 'latency', ms: 'x' } }] }),
      ),
    ).toMatchObject({ code: 'MSYS_CHAOS_INVALID_FAULT', details: { path: 'experiment.method[0].fault.ms' } });
    expect(
      codeOf(() =>
        validateExperiment({
          title: 't',
          method: [],
          steadyState: { probes: [{ name: 'p', type: 'http', url: 'nope', tolerance: 200 }] },
        }),
      ),
    ).toMatchObject({ details: { path: 'experiment.steadyState.probes[0].url' } });
    expect(codeOf(() => validateExperiment({ method: [] }))).toMatchObject({
      details: { path: 'experiment.title' },
    });
  });
});

describe('Chaos Toolkit import', () => {
  const ctk = () => ({
    version: '1.0.0',
    title: 'service stays up',
    description: 'imported',
    tags: ['web'],
    'steady-state-hypothesis': {
      title: 'healthy',
      probes: [
        {
          type: 'probe',
          name: 'health',
          tolerance: 200,
          provider: { type: 'http', url: `${base}/health`, timeout: 3 },
        },
        {
          type: 'probe',
          name: 'queue depth',
          tolerance: { type: 'range', range: [0, 10] },
          provider: { type: 'python', module: 'probes', func: 'depth', arguments: { queue: 'q' } },
        },
      ],
    },
    method: [
      {
        type: 'action',
        name: 'restart worker',
        provider: { type: 'python', module: 'actions', func: 'restart' },
        pauses: { before: 0.01, after: 0.01 },
      },
      { ref: 'health' },
    ],
    rollbacks: [
      { type: 'action', name: 'restore', provider: { type: 'python', module: 'actions', func: 'restore' } },
    ],
  });

  it('maps the supported subset and runs it', async () => {
    const experiment = fromChaosToolkit(JSON.stringify(ctk()));
    expect(experiment.steadyState?.probes[1]).toMatchObject({
      type: 'function',
      fn: 'probes.depth',
      tolerance: { min: 0, max: 10 },
    });
    expect(experiment.method[0]).toMatchObject({ type: 'action', pauses: { beforeMs: 10, afterMs: 10 } });
    const calls: string[] = [];
    healthy = true;
    const result = await runExperiment(new ChaosEngine({ seed: 1 }), experiment, {
      functions: {
        'probes.depth': ({ args }) => ((args as { queue: string }).queue === 'q' ? 3 : 99),
        'actions.restart': () => calls.push('restart'),
        'actions.restore': () => calls.push('restore'),
      },
    });
    expect(result.verdict).toBe('completed');
    expect(calls).toEqual(['restart', 'restore']);
  });

  it('refuses unsupported fields, naming every one of them', () => {
    const input = {
      ...ctk(),
      configuration: { x: 1 },
      controls: [],
      method: [
        { type: 'action', name: 'kill', provider: { type: 'process', path: 'kill', arguments: '-9 1' } },
        {
          type: 'probe',
          name: 'p',
          tolerance: { type: 'jsonpath', path: '$.x' },
          provider: { type: 'http', url: base },
        },
      ],
    };
    const error = codeOf(() => fromChaosToolkit(input));
    expect(error.code).toBe('MSYS_CHAOS_UNSUPPORTED_FIELD');
    expect(error.details?.fields).toEqual([
      'configuration',
      'controls',
      'method[0].provider.type ("process")',
      'method[1].tolerance (type jsonpath)',
    ]);
  });
});

describe('process signals', () => {
  it('SIGTERM during the method: the rollbacks run, then the signal ends the process', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'msys-chaos-sig-'));
    const marker = join(dir, 'rolled-back');
    const script = join(dir, 'experiment.mts');
    const entry = resolve(repoRoot, 'packages/chaos/src/index.ts');
    await writeFile(
      script,
      `import { writeFileSync } from 'node:fs';
import { ChaosEngine, runExperiment } from ${JSON.stringify(entry)};
const engine = new ChaosEngine({ seed: 1 });
await runExperiment(engine, {
  title: 'interrupted',
  method: [
    { type: 'fault', fault: { kind: 'memory', bytes: 1048576 } },
    { type: 'action', name: 'ready', fn: () => console.log('READY') },
    { type: 'pause', ms: 60000 },
  ],
  rollbacks: [{ type: 'action', name: 'rb', fn: () => writeFileSync(${JSON.stringify(marker)}, String(engine.activeFaults.length)) }],
});
`,
    );
    const child = spawn(process.execPath, ['--conditions=@msys/source', '--import', 'tsx', script], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    await new Promise<void>((resolveReady, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        if (d.toString().includes('READY')) resolveReady();
      });
      child.once('exit', () => reject(new Error(`child exited early: ${stderr}`)));
    });
    child.kill('SIGTERM');
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) =>
      child.once('exit', (c, s) => r([c, s])),
    );
    expect(signal).toBe('SIGTERM');
    expect(code).toBeNull();
    expect(await readFile(marker, 'utf8')).toBe('0');
    await rm(dir, { recursive: true, force: true });
  });
});
