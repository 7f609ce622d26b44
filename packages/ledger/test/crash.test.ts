import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { intelEntry } from './support/cluster.js';

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support', 'replica-process.ts');
const root = mkdtempSync(path.join(tmpdir(), 'msys-ledger-crash-'));
const children = new Set<ChildProcess>();

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

function spawnReplica(index: number, ports: number[]): Promise<ChildProcess> {
  const child = fork(script, [JSON.stringify({ index, ports, dir: path.join(root, `r${index}`) })], {
    execArgv: ['--conditions=@msys/source', '--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  // Writes to a replica just killed fail with EPIPE: that is the point of the test, not an error.
  child.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('error', reject);
  });
}

function dump(child: ChildProcess): Promise<string[]> {
  return new Promise((resolve) => {
    const on = (m: { ids?: string[] }) => {
      if (m.ids === undefined) return;
      child.off('message', on);
      resolve(m.ids);
    };
    child.on('message', on);
    child.send({ dump: true });
  });
}

describe('crash recovery (replicas as child processes, LevelDB, TCP)', () => {
  it('a replica killed with SIGKILL under write load recovers from disk and catches up; no acknowledged entry is lost', async () => {
    const ports = await Promise.all([0, 1, 2, 3].map(() => freePort()));
    const replicas = await Promise.all(ports.map((_, i) => spawnReplica(i, ports)));
    const acked = new Map<string, number>();
    const listen = (c: ChildProcess) =>
      c.on('message', (m: { ack?: string; index?: number }) => {
        if (m.ack !== undefined) acked.set(m.ack, m.index as number);
      });
    replicas.forEach(listen);
    const victim = 3;
    let next = 0;
    let alive = true;
    const load = (async () => {
      while (alive) {
        for (let k = 0; k < 20; k++) {
          const target = replicas[next % 4]!;
          if (target.connected) target.send({ submit: intelEntry(next) }, () => undefined);
          next++;
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    const waitAcks = async (n: number) => {
      const end = Date.now() + 30_000;
      while (acked.size < n && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      if (acked.size < n) await report();
      return acked.size;
    };
    // On a stall, print every live replica's counters: the failure message alone cannot say why.
    const report = async () => {
      for (const c of replicas) {
        if (!c.connected) continue;
        const stats = await new Promise((resolve) => {
          const on = (m: { stats?: unknown }) => {
            if (m.stats === undefined) return;
            c.off('message', on);
            resolve(m.stats);
          };
          c.on('message', on);
          c.send({ stats: true }, () => undefined);
          setTimeout(() => resolve('no answer'), 2000);
        });
        console.error('replica stats', JSON.stringify(stats));
      }
    };
    expect(await waitAcks(100)).toBeGreaterThanOrEqual(100);
    replicas[victim]!.kill('SIGKILL');
    const atKill = acked.size;
    expect(await waitAcks(atKill + 100)).toBeGreaterThanOrEqual(atKill + 100);
    replicas[victim] = await spawnReplica(victim, ports);
    listen(replicas[victim]!);
    expect(await waitAcks(acked.size + 200)).toBeGreaterThan(atKill + 200);
    alive = false;
    await load;
    // Every acknowledged entry must be on every replica, at the index its receipt gave, restarted one included.
    const end = Date.now() + 20_000;
    let logs: string[][] = [];
    for (;;) {
      logs = await Promise.all(replicas.map(dump));
      const complete = logs.every((ids) => [...acked].every(([id, index]) => ids[index] === id));
      if (complete || Date.now() > end) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    for (const ids of logs) {
      for (const [id, index] of acked) expect(ids[index]).toBe(id);
    }
    const shortest = Math.min(...logs.map((l) => l.length));
    for (let i = 0; i < shortest; i++) expect(new Set(logs.map((l) => l[i])).size).toBe(1);
    for (const c of replicas) c.kill('SIGKILL');
  }, 90_000);
});
