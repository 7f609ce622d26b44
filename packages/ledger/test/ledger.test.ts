import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RealClock } from '@msys/core/governor';
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryNetwork, Ledger, type LedgerOptions, MerkleLog, verifyConsistency } from '../src/index.js';
import {
  agreementViolations,
  intelEntry,
  runUntil,
  type SimCluster,
  simCluster,
  testKey,
} from './support/cluster.js';

let cluster: SimCluster | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('Ledger.open validation', () => {
  const net = new InMemoryNetwork({ seed: 1 });
  const keys = [0, 1, 2, 3].map((i) => testKey(i));
  const validators = keys.map((k, i) => ({ id: `r${i}`, publicKey: k.publicKey }));
  const base: LedgerOptions = {
    id: 'r0',
    keyPair: keys[0]!,
    validators,
    transport: net.endpoint('r0'),
    storage: { path: '/nonexistent' },
  };
  it.each([
    ['options.id', { id: 'r9' }],
    ['options.keyPair.publicKey', { keyPair: { ...keys[0]!, publicKey: keys[1]!.publicKey } }],
    [
      'options.keyPair.secretKey',
      { keyPair: { publicKey: keys[0]!.publicKey, secretKey: new Uint8Array(3) } },
    ],
    ['options.validators[1].id', { validators: [validators[0]!, { ...validators[1]!, id: 'r0' }] }],
    ['options.viewTimeoutMs', { viewTimeoutMs: 0 }],
    ['options.storage', { storage: {} as never }],
    ['options.policy.quorum', { policy: { quorum: 0 } }],
  ])('refuses a bad %s', async (p, patch) => {
    await expect(Ledger.open({ ...base, ...patch } as LedgerOptions)).rejects.toMatchObject({
      code: 'MSYS_LEDGER_INVALID_ARGUMENT',
      category: 'validation',
      details: expect.objectContaining({ path: p }),
    });
  });
});

describe('Ledger API', () => {
  it('subscribe replays history then follows commits; receipts chain by consistency proofs', async () => {
    cluster = await simCluster(4, 3);
    const { ledgers, net } = cluster;
    const l = ledgers[0]!;
    let first: Awaited<ReturnType<Ledger['submit']>> | undefined;
    void l.submit(intelEntry(1)).then((r) => {
      first = r;
    });
    expect(await runUntil(net, () => first !== undefined)).toBe(true);
    const seen: number[] = [];
    const ac = new AbortController();
    const reader = (async () => {
      for await (const e of l.subscribe({ from: 0, signal: ac.signal })) {
        seen.push(e.index);
        if (seen.length === 3) ac.abort();
      }
    })();
    let done = 0;
    void ledgers[1]!.submitMany([intelEntry(2), intelEntry(3)]).then(() => done++);
    expect(await runUntil(net, () => done === 1 && seen.length === 3)).toBe(true);
    await reader;
    expect(seen).toEqual([0, 1, 2]);
    const head = l.treeHead();
    expect(head.treeSize).toBe(3);
    const proof = l.proveConsistency(first!.treeHead.treeSize, head.treeSize);
    expect(
      verifyConsistency({
        size1: first!.treeHead.treeSize,
        size2: 3,
        proof,
        root1: first!.treeHead.rootHash,
        root2: head.rootHash,
      }),
    ).toBe(true);
    // Submitting a committed entry again returns its existing receipt.
    const again = await l.submit(intelEntry(1));
    expect(again.index).toBe(first!.index);
  });

  it('rejects pending submits on close, and refuses bad entries with a stable code', async () => {
    cluster = await simCluster(4, 4);
    const l = cluster.ledgers[0]!;
    await expect(
      l.submit({ ...intelEntry(1), indicator: { kind: 'ipv4', value: '999.1.1.1' } }),
    ).rejects.toMatchObject({
      code: 'MSYS_LEDGER_INVALID_INDICATOR',
    });
    const pending = l.submit(intelEntry(5));
    await l.close();
    await expect(pending).rejects.toMatchObject({ code: 'MSYS_LEDGER_CLOSED' });
    await expect(l.submit(intelEntry(6))).rejects.toMatchObject({ code: 'MSYS_LEDGER_CLOSED' });
  });

  it('closes when its signal aborts', async () => {
    const ac = new AbortController();
    cluster = await simCluster(4, 6, { extra: { signal: ac.signal } });
    const pending = cluster.ledgers[1]!.submit(intelEntry(9));
    ac.abort();
    await expect(pending).rejects.toMatchObject({ code: 'MSYS_LEDGER_CLOSED' });
    await expect(cluster.ledgers[2]!.submit(intelEntry(10))).rejects.toMatchObject({
      code: 'MSYS_LEDGER_CLOSED',
    });
  });

  it('takes checkpoints and keeps committing past them', async () => {
    cluster = await simCluster(4, 5, { extra: { checkpointInterval: 3, maxBlockEntries: 2 } });
    const { ledgers, net } = cluster;
    let acks = 0;
    for (let i = 0; i < 20; i++) void ledgers[i % 4]!.submit(intelEntry(i)).then(() => acks++);
    expect(await runUntil(net, () => acks === 20 && ledgers.every((l) => l.size === 20))).toBe(true);
    expect(agreementViolations(ledgers)).toEqual([]);
    const cp = ledgers[0]!.stats.checkpoint;
    expect(cp).toBeDefined();
    expect(cp!.height).toBeGreaterThanOrEqual(3);
    const l0 = ledgers[0]!;
    const upTo = [...Array(l0.size).keys()].filter((i) => l0.entry(i)!.height <= cp!.height).length;
    expect(cp!.treeSize).toBe(upTo);
    expect(cp!.root).toBe(Buffer.from(rootAt(l0, cp!.treeSize)).toString('hex'));
  });
});

function rootAt(l: Ledger, size: number): Uint8Array {
  const log = new MerkleLog();
  for (let i = 0; i < size; i++) log.appendLeafHash(new Uint8Array(Buffer.from(l.entry(i)!.id, 'hex')));
  return log.root();
}

describe('durable restart in process', () => {
  it('a replica reopened on its LevelDB directory has every committed entry and the same root', async () => {
    // Real disk I/O runs on real time: the network's clock is the wall clock here.
    const net = new InMemoryNetwork({
      seed: 9,
      clock: new RealClock(),
      faults: { minDelayMs: 0, maxDelayMs: 2 },
    });
    const keys = [0, 1, 2, 3].map((i) => testKey(i));
    const validators = keys.map((k, i) => ({ id: `r${i}`, publicKey: k.publicKey }));
    const dir = mkdtempSync(path.join(tmpdir(), 'msys-ledger-restart-'));
    dirs.push(dir);
    const open = (i: number) =>
      Ledger.open({
        id: `r${i}`,
        keyPair: keys[i]!,
        validators,
        transport: net.endpoint(`r${i}`),
        storage: { path: path.join(dir, `r${i}`) },
        viewTimeoutMs: 500,
      });
    const ledgers = await Promise.all([0, 1, 2, 3].map(open));
    let acks = 0;
    for (let i = 0; i < 8; i++) void ledgers[i % 4]!.submit(intelEntry(i)).then(() => acks++);
    const until = async (f: () => boolean) => {
      for (let k = 0; k < 1000 && !f(); k++) await new Promise((r) => setTimeout(r, 10));
      return f();
    };
    expect(await until(() => acks === 8 && ledgers.every((l) => l.size === 8))).toBe(true);
    const root = Buffer.from(ledgers[2]!.treeHead().rootHash).toString('hex');
    await ledgers[2]!.close();
    const reopened = await open(2);
    ledgers[2] = reopened;
    expect(reopened.size).toBe(8);
    expect(Buffer.from(reopened.treeHead().rootHash).toString('hex')).toBe(root);
    expect(reopened.check('10.0.0.5').decision).toBe('block');
    for (const l of ledgers) await l.close();
  });
});
