import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChaosEngine } from '../src/index.js';

let server: Server;
let base: string;
let hits = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    hits++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ path: req.url, method: req.method }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('fetch faults through an undici Dispatcher, against a real node:http server', () => {
  it('unmatched requests reach the server unchanged', async () => {
    const engine = new ChaosEngine({ seed: 1 });
    const dispatcher = engine.fetchDispatcher([{ path: '/orders', status: 503 }]);
    const before = hits;
    const res = await fetch(`${base}/users/1`, { dispatcher });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ path: '/users/1', method: 'GET' });
    expect(hits).toBe(before + 1);
    await engine.close();
  });

  it('status: matching method + path get the injected status, without reaching the server', async () => {
    const engine = new ChaosEngine({ seed: 1 });
    const dispatcher = engine.fetchDispatcher([
      { path: '/orders', method: 'POST', status: 503, body: 'busy' },
    ]);
    const before = hits;
    const res = await fetch(`${base}/orders`, { method: 'POST', body: '{}', dispatcher });
    expect(res.status).toBe(503);
    expect(await res.text()).toBe('busy');
    expect(hits).toBe(before);
    const get = await fetch(`${base}/orders`, { dispatcher });
    expect(get.status).toBe(200);
    await engine.close();
  });

  it('delay: the request reaches the server late', async () => {
    const engine = new ChaosEngine({ seed: 1 });
    const dispatcher = engine.fetchDispatcher([{ origin: base, delayMs: 200 }]);
    const t0 = performance.now();
    const res = await fetch(`${base}/slow`, { dispatcher });
    expect(res.status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(195);
    await engine.close();
  });

  it('reset: fetch fails with cause ECONNRESET; abort: with an AbortError in the cause chain', async () => {
    const engine = new ChaosEngine({ seed: 1 });
    const dispatcher = engine.fetchDispatcher([
      { path: '/reset', reset: true },
      { path: '/abort', abort: true },
    ]);
    const reset = await fetch(`${base}/reset`, { dispatcher }).catch((e: unknown) => e);
    expect(reset).toBeInstanceOf(TypeError);
    expect((reset as { cause?: { code?: string } }).cause?.code).toBe('ECONNRESET');
    const aborted = await fetch(`${base}/abort`, { dispatcher }).catch((e: unknown) => e);
    expect(aborted).toBeInstanceOf(TypeError);
    const names: string[] = [];
    for (let e: unknown = aborted; e instanceof Error; e = e.cause) names.push(e.name);
    expect(names).toContain('AbortError');
    await engine.close();
  });

  it('probability and revert: about half fail; after revert none do', async () => {
    const engine = new ChaosEngine({ seed: 2 });
    const dispatcher = engine.fetchDispatcher([{ status: 500, probability: 0.5 }]);
    const statuses = await Promise.all(
      Array.from({ length: 60 }, () =>
        fetch(`${base}/x`, { dispatcher }).then(async (r) => {
          await r.text();
          return r.status;
        }),
      ),
    );
    const failed = statuses.filter((s) => s === 500).length;
    expect(failed).toBeGreaterThan(15);
    expect(failed).toBeLessThan(45);
    await dispatcher.rules[0]?.revert();
    const after = await fetch(`${base}/x`, { dispatcher });
    expect(after.status).toBe(200);
    await engine.close();
  });

  it('a bad rule is a validation error naming the rule', () => {
    const engine = new ChaosEngine({ seed: 1 });
    expect(() => engine.fetchDispatcher([{ status: 42 }])).toThrow(
      expect.objectContaining({
        code: 'MSYS_CHAOS_INVALID_FAULT',
        details: expect.objectContaining({ path: 'rules[0].status' }),
      }),
    );
    expect(engine.activeFaults).toHaveLength(0);
  });
});

describe('fs faults through engine.fs', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'msys-chaos-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('ENOSPC on writes under a path; other paths and reads unaffected; revert restores', async () => {
    const engine = new ChaosEngine({ seed: 1 });
    const data = join(dir, 'data');
    await engine.fs.mkdir(data, { recursive: true });
    await engine.fs.writeFile(join(data, 'a.txt'), 'before');
    const h = engine.inject({ kind: 'fs', error: 'ENOSPC', path: data, ops: ['write'] });
    const err = await engine.fs.writeFile(join(data, 'a.txt'), 'after').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ENOSPC', syscall: 'write', path: join(data, 'a.txt') });
    expect(await readFile(join(data, 'a.txt'), 'utf8')).toBe('before');
    expect(await engine.fs.readFile(join(data, 'a.txt'), 'utf8')).toBe('before');
    await engine.fs.writeFile(join(dir, 'elsewhere.txt'), 'ok');
    await h.revert();
    await engine.fs.writeFile(join(data, 'a.txt'), 'after');
    expect(await readFile(join(data, 'a.txt'), 'utf8')).toBe('after');
  });

  it('EIO on reads and EACCES on stat by pattern', async () => {
    const engine = new ChaosEngine({ seed: 1 });
    const file = join(dir, 'x.log');
    await engine.fs.writeFile(file, 'x');
    engine.inject({ kind: 'fs', error: 'EIO', pattern: '\\.log$', ops: ['read'] });
    engine.inject({ kind: 'fs', error: 'EACCES', pattern: '\\.log$', ops: ['stat'] });
    await expect(engine.fs.readFile(file)).rejects.toMatchObject({ code: 'EIO', errno: -5 });
    await expect(engine.fs.stat(file)).rejects.toMatchObject({ code: 'EACCES' });
    expect((await engine.fs.readdir(dir)).includes('x.log')).toBe(true);
  });

  it('slow reads: delayMs holds the operation', async () => {
    const engine = new ChaosEngine({ seed: 1 });
    const file = join(dir, 'slow.txt');
    await engine.fs.writeFile(file, 'slow');
    engine.inject({ kind: 'fs', delayMs: 150, path: file });
    const t0 = performance.now();
    expect(await engine.fs.readFile(file, 'utf8')).toBe('slow');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(145);
  });
});
