/**
 * `pnpm bench [pkg…]` — runs every suite under benchmarks/<pkg>/*.bench.ts with tinybench and prints one table:
 * package | scenario | ops/s | p50 | p95 | peak RSS | target | ratio to target | peer | ratio to peer.
 * Results go to benchmarks/results/latest.{json,md}. `--smoke` runs each scenario a few iterations only
 * (CI uses it to prove the suites run, not to judge speed) and writes results/smoke.{json,md}.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Bench } from 'tinybench';
import type { BenchFn, Scenario, SuiteFactory } from './harness.js';
import { TARGETS, targetFor } from './targets.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
// `--suite <file>`: run one suite file in this process and print its rows as JSON (the parent runs each
// suite in its own process, so one suite's memory does not inflate the next one's peak RSS).
const suiteArg = args.indexOf('--suite');
const childSuite = suiteArg >= 0 ? args[suiteArg + 1] : undefined;
const only = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--suite');

/** One row of the result table. */
interface Row {
  package: string;
  scenario: string;
  opsPerSec: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  peakRssBytes: number | null;
  target: string;
  ratioToTarget: number | null;
  peer: string;
  peerOpsPerSec: number | null;
  ratioToPeer: number | null;
  status: 'measured' | 'not built' | 'failed';
  error?: string;
}

interface Measured {
  opsPerSec: number;
  p50Ms: number;
  p95Ms: number;
  peakRss: number;
}

function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

async function measure(
  name: string,
  fn: BenchFn,
  opsPerIteration: number,
  timeMs: number,
): Promise<Measured> {
  // A fixed iteration count sized from a short calibration keeps the retained latency samples (needed for
  // p95) bounded: a time-only budget on a 100 ns function would retain ~10M samples and distort peak RSS.
  let iterations = 3;
  if (!smoke) {
    const t0 = performance.now();
    let calls = 0;
    while (performance.now() - t0 < 50 && calls < 10_000) {
      await fn();
      calls++;
    }
    const perCall = (performance.now() - t0) / calls;
    iterations = Math.max(10, Math.min(200_000, Math.round(timeMs / Math.max(perCall, 1e-6))));
  }
  const bench = smoke
    ? new Bench({ iterations, time: 0, warmup: false, retainSamples: true, throws: true })
    : new Bench({ iterations, time: 0, warmupTime: 100, retainSamples: true, throws: true });
  bench.add(name, fn);
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 25);
  sampler.unref();
  try {
    await bench.run();
  } finally {
    clearInterval(sampler);
  }
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  const result = bench.tasks[0]!.result;
  if (result.state !== 'completed') {
    throw result.state === 'errored'
      ? result.error
      : new Error(`task ${name} ended in state ${result.state}`);
  }
  const samples = [...(result.latency.samples ?? [])].sort((a, b) => a - b);
  const meanMs = result.latency.mean;
  return {
    opsPerSec: meanMs > 0 ? (1000 / meanMs) * opsPerIteration : Number.POSITIVE_INFINITY,
    p50Ms: percentile(samples, 0.5),
    p95Ms: percentile(samples, 0.95),
    peakRss,
  };
}

function suiteFiles(): { pkg: string; file: string }[] {
  const out: { pkg: string; file: string }[] = [];
  for (const pkg of readdirSync(here).sort()) {
    const dir = join(here, pkg);
    if (pkg === 'results' || pkg === 'node_modules' || !statSync(dir).isDirectory()) continue;
    if (only.length > 0 && !only.includes(pkg)) continue;
    for (const f of readdirSync(dir).sort())
      if (f.endsWith('.bench.ts')) out.push({ pkg, file: join(dir, f) });
  }
  return out;
}

function fmtOps(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '—';
  if (v >= 1e6) return `${(v / 1e6).toFixed(2)}M`;
  if (v >= 1e3) return `${(v / 1e3).toFixed(1)}K`;
  return v.toFixed(1);
}
function fmtMs(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '—';
  if (v < 0.001) return `${(v * 1e6).toFixed(0)} ns`;
  if (v < 1) return `${(v * 1e3).toFixed(1)} µs`;
  return `${v.toFixed(2)} ms`;
}
function fmtBytes(v: number | null): string {
  return v === null ? '—' : `${(v / 1024 / 1024).toFixed(0)} MB`;
}
function fmtRatio(v: number | null): string {
  return v === null || !Number.isFinite(v) ? '—' : `${v.toFixed(2)}×`;
}

async function runScenario(pkg: string, s: Scenario): Promise<Row> {
  const target = targetFor(pkg);
  const judged = target !== undefined && s.judged !== false;
  const base: Row = {
    package: pkg,
    scenario: s.name,
    opsPerSec: null,
    p50Ms: null,
    p95Ms: null,
    peakRssBytes: null,
    target: judged ? `${fmtOps(target.opsPerSec)} ${target.unit}/s, p95 < ${fmtMs(target.p95Ms)}` : '—',
    ratioToTarget: null,
    peer: s.peer?.name ?? '—',
    peerOpsPerSec: null,
    ratioToPeer: null,
    status: 'measured',
  };
  try {
    const ours = await measure(s.name, s.fn, s.opsPerIteration ?? 1, s.timeMs ?? 1000);
    const row: Row = {
      ...base,
      opsPerSec: ours.opsPerSec,
      p50Ms: ours.p50Ms,
      p95Ms: ours.p95Ms,
      peakRssBytes: ours.peakRss,
      ratioToTarget: judged ? ours.opsPerSec / target.opsPerSec : null,
    };
    if (s.peer) {
      const peer = await measure(
        `${s.name} [${s.peer.name}]`,
        s.peer.fn,
        s.peer.opsPerIteration ?? 1,
        s.timeMs ?? 1000,
      );
      row.peerOpsPerSec = peer.opsPerSec;
      row.peer = `${s.peer.name} (${fmtOps(peer.opsPerSec)}/s)`;
      row.ratioToPeer = ours.opsPerSec / peer.opsPerSec;
    }
    return row;
  } catch (error) {
    return { ...base, status: 'failed', error: error instanceof Error ? error.message : String(error) };
  }
}

async function runSuiteHere(file: string): Promise<Row[]> {
  const rows: Row[] = [];
  const factory = (await import(pathToFileURL(file).href)).default as SuiteFactory;
  const suite = await factory({ smoke });
  try {
    for (const s of suite.scenarios) {
      const row = await runScenario(suite.package, s);
      rows.push(row);
      console.error(
        `  ${row.package} · ${row.scenario}: ${row.status === 'failed' ? `FAILED ${row.error}` : `${fmtOps(row.opsPerSec)} ops/s`}`,
      );
    }
  } finally {
    await suite.dispose?.();
  }
  return rows;
}

function runSuiteInChild(pkg: string, file: string): Row[] {
  const child = spawnSync(
    process.execPath,
    [
      '--conditions=@msys/source',
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      '--suite',
      file,
      ...(smoke ? ['--smoke'] : []),
    ],
    { cwd: here, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 },
  );
  const last = child.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(last) as Row[];
  } catch {
    const why = child.signal ? `killed by ${child.signal}` : `exit ${child.status}`;
    return [
      {
        package: pkg,
        scenario: basename(file),
        opsPerSec: null,
        p50Ms: null,
        p95Ms: null,
        peakRssBytes: null,
        target: '—',
        ratioToTarget: null,
        peer: '—',
        peerOpsPerSec: null,
        ratioToPeer: null,
        status: 'failed',
        error: `suite process failed (${why})`,
      },
    ];
  }
}

async function main(): Promise<void> {
  if (childSuite !== undefined) {
    const rows = await runSuiteHere(childSuite);
    process.stdout.write(`${JSON.stringify(rows)}\n`);
    // Suites may leave sockets or timers behind after dispose; the rows are out, so end here.
    process.exit(0);
  }
  const rows: Row[] = [];
  const seen = new Set<string>();
  for (const { pkg, file } of suiteFiles()) {
    seen.add(pkg);
    rows.push(...runSuiteInChild(pkg, file));
  }
  for (const t of TARGETS) {
    if (seen.has(t.package) || (only.length > 0 && !only.includes(t.package))) continue;
    rows.push({
      package: t.package,
      scenario: `${t.system} (not built)`,
      opsPerSec: null,
      p50Ms: null,
      p95Ms: null,
      peakRssBytes: null,
      target: `${fmtOps(t.opsPerSec)} ${t.unit}/s, p95 < ${fmtMs(t.p95Ms)}, < ${fmtBytes(t.memoryBytes)}`,
      ratioToTarget: null,
      peer: '—',
      peerOpsPerSec: null,
      ratioToPeer: null,
      status: 'not built',
    });
  }

  const header = [
    'package',
    'scenario',
    'ops/s',
    'p50',
    'p95',
    'peak RSS',
    'target',
    'ratio to target',
    'peer',
    'ratio to peer',
  ];
  const table = rows.map((r) =>
    r.status === 'not built'
      ? [r.package, r.scenario, 'not built', '—', '—', '—', r.target, '—', '—', '—']
      : r.status === 'failed'
        ? [
            r.package,
            r.scenario,
            `FAILED: ${r.error ?? ''}`.slice(0, 60),
            '—',
            '—',
            '—',
            r.target,
            '—',
            r.peer,
            '—',
          ]
        : [
            r.package,
            r.scenario,
            fmtOps(r.opsPerSec),
            fmtMs(r.p50Ms),
            fmtMs(r.p95Ms),
            fmtBytes(r.peakRssBytes),
            r.target,
            fmtRatio(r.ratioToTarget),
            r.peer,
            fmtRatio(r.ratioToPeer),
          ],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const md = [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...table.map(line)].join(
    '\n',
  );
  console.log(md);

  const meta = {
    date: new Date().toISOString(),
    mode: smoke ? 'smoke' : 'full',
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: (await import('node:os')).cpus().length,
  };
  const name = smoke ? 'smoke' : 'latest';
  writeFileSync(join(here, 'results', `${name}.json`), `${JSON.stringify({ ...meta, rows }, null, 2)}\n`);
  writeFileSync(
    join(here, 'results', `${name}.md`),
    `# Benchmark results (${meta.mode})\n\n${meta.date} · Node ${meta.node} · ${meta.platform} · ${meta.cpus} CPUs\n\n${md}\n`,
  );
  const failed = rows.filter((r) => r.status === 'failed');
  if (failed.length > 0) {
    console.error(`${failed.length} scenario(s) failed`);
    process.exitCode = 1;
  }
}

await main();
