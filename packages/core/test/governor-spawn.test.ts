import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResourceGovernor } from '../src/governor/index.js';

let root: string;
let scripts: string;
let data: string;
let secret: string;
let out: string;

const READER = `
import { readFileSync } from 'node:fs';
export default function (paths) {
  const result = {};
  for (const p of paths) {
    try { result[p] = readFileSync(p, 'utf8'); } catch (e) { result[p] = e.code; }
  }
  return result;
}
`;

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'msys-spawn-')));
  scripts = join(root, 'scripts');
  data = join(root, 'data');
  secret = join(root, 'secret');
  out = join(root, 'out');
  for (const d of [scripts, data, secret, out]) mkdirSync(d);
  writeFileSync(join(data, 'in.txt'), 'allowed content');
  writeFileSync(join(secret, 'key.txt'), 'top secret');
  writeFileSync(join(scripts, 'reader.mjs'), READER);
  writeFileSync(
    join(scripts, 'strict-reader.mjs'),
    `import { readFileSync } from 'node:fs'; export default (paths) => readFileSync(paths[0], 'utf8');`,
  );
  writeFileSync(
    join(scripts, 'writer.mjs'),
    `import { writeFileSync } from 'node:fs';
     export default ([file]) => { try { writeFileSync(file, 'written'); return 'ok'; } catch (e) { return e.code; } };`,
  );
  writeFileSync(
    join(scripts, 'rich.mjs'),
    `export async function run(args) {
       await new Promise((r) => setTimeout(r, 5));
       console.log('hello from the child');
       setInterval(() => {}, 1000); // left open on purpose: the child must still exit
       return { args, big: 2n ** 70n, bytes: new Uint8Array([1, 2, 3]), map: new Map([['k', 1]]), env: process.env.GREETING };
     }`,
  );
  writeFileSync(
    join(scripts, 'spawner.mjs'),
    `import { execSync } from 'node:child_process'; export default () => execSync('true').toString();`,
  );
  writeFileSync(
    join(scripts, 'forever.mjs'),
    `export default () => new Promise(() => { setInterval(() => {}, 1000); });`,
  );
  writeFileSync(
    join(scripts, 'hog.mjs'),
    `export default () => { const keep = []; for (;;) keep.push(new Array(1e5).fill(Math.random())); };`,
  );
  writeFileSync(
    join(scripts, 'exits.mjs'),
    `export default () => { process.stderr.write('bye\\n'); process.exit(3); };`,
  );
  writeFileSync(join(scripts, 'no-export.mjs'), `export const x = 1;`);
  writeFileSync(join(scripts, 'unclonable.mjs'), `export default () => ({ fn: () => 1 });`);
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const opts = { timeoutMs: 15_000, maxHeapMb: 64 };

describe('spawnIsolated', () => {
  it('lets the child read inside its list and not outside it', async () => {
    const g = new ResourceGovernor();
    const inFile = join(data, 'in.txt');
    const secretFile = join(secret, 'key.txt');
    const { result } = await g.spawnIsolated<Record<string, string>>(
      join(scripts, 'reader.mjs'),
      [inFile, secretFile],
      {
        ...opts,
        fsRead: [data],
      },
    );
    expect(result[inFile]).toBe('allowed content');
    expect(result[secretFile]).toBe('ERR_ACCESS_DENIED');
  });

  it('reports a denied read that the script does not catch as MSYS_GOVERNOR_SPAWN_FAILED with the child error code', async () => {
    const g = new ResourceGovernor();
    const error = await g
      .spawnIsolated(join(scripts, 'strict-reader.mjs'), [join(secret, 'key.txt')], {
        ...opts,
        fsRead: [data],
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'MSYS_GOVERNOR_SPAWN_FAILED',
      category: 'io',
      details: { childError: { code: 'ERR_ACCESS_DENIED' }, exitCode: 0 },
    });
  });

  it('allows writes only within fsWrite', async () => {
    const g = new ResourceGovernor();
    const target = join(out, 'w.txt');
    const denied = await g.spawnIsolated(join(scripts, 'writer.mjs'), [target], opts);
    expect(denied.result).toBe('ERR_ACCESS_DENIED');
    const allowed = await g.spawnIsolated(join(scripts, 'writer.mjs'), [target], { ...opts, fsWrite: [out] });
    expect(allowed.result).toBe('ok');
    expect(readFileSync(target, 'utf8')).toBe('written');
  });

  it('forbids spawning processes from the child', async () => {
    const g = new ResourceGovernor();
    await expect(g.spawnIsolated(join(scripts, 'spawner.mjs'), [], opts)).rejects.toMatchObject({
      code: 'MSYS_GOVERNOR_SPAWN_FAILED',
      details: { childError: { code: 'ERR_ACCESS_DENIED' } },
    });
  });

  it('returns structured-cloned results, stdout, and passes only the given environment', async () => {
    const g = new ResourceGovernor();
    const r = await g.spawnIsolated<{
      args: string[];
      big: bigint;
      bytes: Uint8Array;
      map: Map<string, number>;
      env: string;
    }>(join(scripts, 'rich.mjs'), ['a', '--b'], { ...opts, env: { GREETING: 'hi' } });
    expect(r.result.args).toEqual(['a', '--b']);
    expect(r.result.big).toBe(2n ** 70n);
    expect(Array.from(r.result.bytes)).toEqual([1, 2, 3]);
    expect(r.result.map.get('k')).toBe(1);
    expect(r.result.env).toBe('hi');
    expect(r.stdout).toContain('hello from the child');
    expect(r.durationMs).toBeGreaterThan(0);
  });

  it('kills a child past its timeout with MSYS_GOVERNOR_SPAWN_TIMEOUT', async () => {
    const g = new ResourceGovernor();
    await expect(
      g.spawnIsolated(join(scripts, 'forever.mjs'), [], { timeoutMs: 1500, maxHeapMb: 32 }),
    ).rejects.toMatchObject({
      code: 'MSYS_GOVERNOR_SPAWN_TIMEOUT',
      category: 'timeout',
      details: { timeoutMs: 1500 },
    });
  });

  it('stops a child that outgrows its heap limit', async () => {
    const g = new ResourceGovernor();
    const error = await g
      .spawnIsolated(join(scripts, 'hog.mjs'), [], { timeoutMs: 20_000, maxHeapMb: 16 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MSYS_GOVERNOR_SPAWN_FAILED' });
    const d = (error as { details: { exitCode: number | null; signal: string | null; stderrTail: string } })
      .details;
    expect(d.exitCode !== 0 || d.signal !== null).toBe(true);
    expect(d.stderrTail).toMatch(/heap/i);
  });

  it('reports exits without a result, missing exports and unclonable results', async () => {
    const g = new ResourceGovernor();
    const exited = await g.spawnIsolated(join(scripts, 'exits.mjs'), [], opts).catch((e: unknown) => e);
    expect(exited).toMatchObject({
      code: 'MSYS_GOVERNOR_SPAWN_FAILED',
      details: { exitCode: 3, stderrTail: 'bye' },
    });
    await expect(g.spawnIsolated(join(scripts, 'no-export.mjs'), [], opts)).rejects.toMatchObject({
      code: 'MSYS_GOVERNOR_SPAWN_FAILED',
      details: { childError: { name: 'TypeError' } },
    });
    await expect(g.spawnIsolated(join(scripts, 'unclonable.mjs'), [], opts)).rejects.toMatchObject({
      code: 'MSYS_GOVERNOR_SPAWN_FAILED',
      details: { childError: { name: 'DataCloneError' } },
    });
  });

  it('aborts a running child with MSYS_GOVERNOR_ABORTED', async () => {
    const g = new ResourceGovernor();
    const ac = new AbortController();
    const running = g.spawnIsolated(join(scripts, 'forever.mjs'), [], { ...opts, signal: ac.signal });
    setTimeout(() => ac.abort(), 300);
    await expect(running).rejects.toMatchObject({ code: 'MSYS_GOVERNOR_ABORTED' });
  });

  it('keeps the child within the governor sandbox and its RAM budget', async () => {
    const g = new ResourceGovernor({ sandbox: { fsRead: [scripts, data] }, ramLimitBytes: 100 * 2 ** 20 });
    await expect(
      g.spawnIsolated(join(scripts, 'reader.mjs'), [], { ...opts, fsRead: [secret] }),
    ).rejects.toMatchObject({ code: 'MSYS_PERMISSION_DENIED' });
    await expect(
      g.spawnIsolated(join(scripts, 'writer.mjs'), [join(out, 'x')], { ...opts, fsWrite: [out] }),
    ).rejects.toMatchObject({
      code: 'MSYS_PERMISSION_DENIED',
    });
    await expect(
      g.spawnIsolated(join(scripts, 'reader.mjs'), [], { ...opts, maxHeapMb: 200 }),
    ).rejects.toMatchObject({
      code: 'MSYS_RESOURCE_RAM_LIMIT',
    });
    // Defaults to the sandbox's own read list; the heap reservation is returned afterwards.
    const inFile = join(data, 'in.txt');
    const { result } = await g.spawnIsolated<Record<string, string>>(
      join(scripts, 'reader.mjs'),
      [inFile],
      opts,
    );
    expect(result[inFile]).toBe('allowed content');
    expect(g.usage().reservedBytes).toBe(0);
  });

  it('validates its arguments', async () => {
    const g = new ResourceGovernor();
    const script = join(scripts, 'reader.mjs');
    const bad: [unknown, unknown, string][] = [
      [[1], opts, 'args'],
      [[], null, 'opts'],
      [[], { maxHeapMb: 64 }, 'opts.timeoutMs'],
      [[], { timeoutMs: 100, maxHeapMb: 0 }, 'opts.maxHeapMb'],
      [[], { ...opts, fsRead: 'x' }, 'opts.fsRead'],
      [[], { ...opts, fsWrite: [''] }, 'opts.fsWrite'],
      [[], { ...opts, env: { A: 1 } }, 'opts.env'],
      [[], { ...opts, signal: {} }, 'opts.signal'],
    ];
    for (const [args, o, path] of bad) {
      await expect(g.spawnIsolated(script, args as string[], o as typeof opts)).rejects.toMatchObject({
        code: 'MSYS_GOVERNOR_INVALID_ARGUMENT',
        details: { path },
      });
    }
  });
});
