import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { chainId, signHex, voteStatement } from '../src/consensus/certificates.js';
import { encodeMessage } from '../src/consensus/codec.js';
import {
  Ledger,
  type LedgerEntryInput,
  MemoryStore,
  type Receipt,
  type ReconfigurationEntryInput,
  type Transport,
  type Validator,
} from '../src/index.js';
import {
  agreementViolations,
  intelEntry,
  runUntil,
  type SimCluster,
  simCluster,
  testKey,
} from './support/cluster.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const listed = (ids: number[]) => ids.map((i) => ({ id: `r${i}`, publicKey: hex(testKey(i).publicKey) }));

/** Opens replica `r<i>` as a joiner: it knows only the genesis set and follows until an epoch lists it. */
async function join(cluster: SimCluster, i: number, store = new MemoryStore()): Promise<Ledger> {
  return Ledger.open({
    id: `r${i}`,
    keyPair: testKey(i),
    validators: cluster.validators,
    joining: true,
    transport: cluster.net.endpoint(`r${i}`),
    storage: { store },
    governor: { clock: cluster.net.clock },
    viewTimeoutMs: 200,
    maxBlockEntries: 50,
    checkpointInterval: 10,
  });
}

function change(epoch: number, ids: number[]): ReconfigurationEntryInput {
  return { type: 'reconfigure', epoch, validators: listed(ids), source: 'ops.example', reason: 'rotation' };
}

/** Submits entries through `via` (round robin); true once every receipt's entry sits at its index on every `on`. */
async function commitAll(
  cluster: SimCluster,
  via: readonly Ledger[],
  on: readonly Ledger[],
  entries: readonly LedgerEntryInput[],
): Promise<boolean> {
  const receipts: Receipt[] = [];
  entries.forEach((e, i) => {
    void (via[i % via.length] as Ledger).submit(e).then(
      (r) => receipts.push(r),
      () => undefined,
    );
  });
  return runUntil(
    cluster.net,
    () =>
      receipts.length === entries.length &&
      on.every((l) => receipts.every((r) => l.entry(r.index)?.id === r.entryId)),
    120_000,
    50,
  );
}

let cluster: SimCluster | undefined;
const extra: Ledger[] = [];
afterEach(async () => {
  for (const l of extra.splice(0)) await l.close();
  await cluster?.close();
  cluster = undefined;
});

describe('reconfiguration at an epoch boundary', () => {
  it('4 → 4 rotation (r3 replaced by r4) keeps agreement and liveness across seeds', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000 }), async (seed) => {
        const c = await simCluster(4, seed, {
          faults: { minDelayMs: 1, maxDelayMs: 20, dropRate: 0.02, duplicateRate: 0.02 },
        });
        const joiners: Ledger[] = [];
        try {
          const [r0, r1, r2, r3] = c.ledgers as [Ledger, Ledger, Ledger, Ledger];
          expect(
            await commitAll(
              c,
              [r0, r1],
              c.ledgers,
              [0, 1, 2, 3].map((i) => intelEntry(seed * 100 + i)),
            ),
          ).toBe(true);
          const r4 = await join(c, 4);
          joiners.push(r4);
          const rc = change(1, [0, 1, 2, 4]);
          const approvals = [r0, r1, r2].map((l) => l.approveReconfiguration(rc));
          let receipt = false;
          void r1.submit({ ...rc, approvals }).then(() => (receipt = true));
          const crossed = await runUntil(
            c.net,
            () => receipt && [r0, r1, r2, r4].every((l) => l.epoch.number === 1),
            120_000,
            50,
          );
          expect(crossed).toBe(true);
          expect(r4.epoch.validators.map((v) => v.id)).toEqual(['r0', 'r1', 'r2', 'r4']);
          // Liveness in the new epoch, through the newcomer and an old member.
          const after = [4, 5, 6, 7, 8, 9].map((i) => intelEntry(seed * 100 + i));
          expect(await commitAll(c, [r4, r2], [r0, r1, r2, r4], after)).toBe(true);
          // The replaced validator follows as a learner.
          const target = r0.size;
          expect(await runUntil(c.net, () => r3.size >= target, 60_000, 50)).toBe(true);
          expect(r3.epoch.number).toBe(1);
          expect(() => r3.approveReconfiguration(change(2, [0, 1, 2, 3]))).toThrow(
            expect.objectContaining({ code: 'MSYS_LEDGER_NOT_A_VALIDATOR', category: 'permission' }),
          );
          expect(agreementViolations([...c.ledgers, r4])).toEqual([]);
          const roots = new Set([r0, r1, r2, r4].map((l) => hex(l.treeHead().rootHash)));
          expect(roots.size).toBe(1);
        } finally {
          for (const l of joiners) await l.close();
          await c.close();
        }
      }),
      { numRuns: 8 },
    );
  }, 240_000);

  it('4 → 7 growth commits entries after the boundary on all seven', async () => {
    cluster = await simCluster(4, 77, { faults: { minDelayMs: 1, maxDelayMs: 15 } });
    const c = cluster;
    const [r0, r1, r2, r3] = c.ledgers as [Ledger, Ledger, Ledger, Ledger];
    for (const i of [4, 5, 6]) extra.push(await join(c, i));
    const rc = change(1, [0, 1, 2, 3, 4, 5, 6]);
    const approvals = [r0, r1, r2, r3].map((l) => l.approveReconfiguration(rc));
    const all = [...c.ledgers, ...extra];
    void r0.submit({ ...rc, approvals });
    expect(await runUntil(c.net, () => all.every((l) => l.epoch.number === 1), 60_000, 50)).toBe(true);
    expect(r0.epoch.validators).toHaveLength(7);
    const entries = Array.from({ length: 20 }, (_, i) => intelEntry(5000 + i));
    expect(await commitAll(c, [extra[0] as Ledger, extra[2] as Ledger, r3], all, entries)).toBe(true);
    expect(agreementViolations(all)).toEqual([]);
    for (const l of all) expect(l.check(intelEntry(5019).indicator.value).decision).toBe('block');
    // The new members vote: some certificate of epoch 1 must include a newcomer (quorum 5 of 7 > 4 old members).
    expect(extra.every((l) => l.stats.epoch === 1)).toBe(true);
  }, 120_000);

  it('a replica restarted after the boundary recovers its epoch from disk', async () => {
    const stores: MemoryStore[] = [];
    cluster = await simCluster(4, 5);
    const c = cluster;
    const [r0, r1, r2] = c.ledgers as [Ledger, Ledger, Ledger];
    const store = new MemoryStore();
    stores.push(store);
    const r4 = await join(c, 4, store);
    const rc = change(1, [0, 1, 2, 4]);
    void r0.submit({ ...rc, approvals: [r0, r1, r2].map((l) => l.approveReconfiguration(rc)) });
    expect(await runUntil(c.net, () => r4.epoch.number === 1 && r0.epoch.number === 1, 60_000, 50)).toBe(
      true,
    );
    expect(await commitAll(c, [r4], [r0, r1, r2, r4], [intelEntry(1), intelEntry(2)])).toBe(true);
    const size = r4.size;
    await r4.close();
    const again = await join(c, 4, store);
    extra.push(again);
    expect(again.epoch.number).toBe(1);
    expect(again.size).toBe(size);
    expect(await commitAll(c, [again], [r0, r1, r2, again], [intelEntry(3)])).toBe(true);
    expect(agreementViolations([r0, r1, r2, again])).toEqual([]);
  }, 60_000);

  it('a reconfiguration without a quorum of approvals commits but changes nothing', async () => {
    cluster = await simCluster(4, 9);
    const c = cluster;
    const [r0, r1] = c.ledgers as [Ledger, Ledger];
    const rc = change(1, [0, 1, 2, 4]);
    // Two approvals (< 2f+1 = 3), one of them duplicated, plus a forged one.
    const a0 = r0.approveReconfiguration(rc);
    const a1 = r1.approveReconfiguration(rc);
    const forged = { id: 'r2', signature: a1.signature };
    let done = false;
    void r0.submit({ ...rc, approvals: [a0, a1, a0, forged] }).then(() => (done = true));
    expect(await runUntil(c.net, () => done && c.ledgers.every((l) => l.size === 1), 30_000)).toBe(true);
    expect(c.ledgers.every((l) => l.epoch.number === 0)).toBe(true);
    // The next epoch number must follow the current one.
    const skip = change(2, [0, 1, 2, 4]);
    done = false;
    void r0
      .submit({ ...skip, approvals: c.ledgers.map((l) => l.approveReconfiguration(skip)) })
      .then(() => (done = true));
    expect(await runUntil(c.net, () => done && c.ledgers.every((l) => l.size === 2), 30_000)).toBe(true);
    expect(c.ledgers.every((l) => l.epoch.number === 0)).toBe(true);
  });

  it('drops a correctly signed vote of another epoch', async () => {
    let r3: Transport | undefined;
    cluster = await simCluster(4, 11, {
      wrap: (i, t) => {
        if (i === 3) r3 = t;
        return t;
      },
    });
    const c = cluster;
    const validators: Validator[] = c.validators;
    const chain = chainId(validators);
    // Replica 0 leads views 0–3, so it collects votes for view 2; the vote names epoch 1.
    const signature = signHex(voteStatement(chain, 2, 1, 'a'.repeat(64)), testKey(3).secretKey);
    const vote = {
      t: 'vote',
      epoch: 1,
      view: 2,
      height: 1,
      blockHash: 'a'.repeat(64),
      vote: { voter: 3, signature },
    } as const;
    r3?.send('r0', encodeMessage(vote));
    await c.net.clock.advance(100);
    expect(c.ledgers[0]?.stats.wrongEpoch).toBe(1);
    expect(c.ledgers[0]?.stats.dropped).toBeGreaterThanOrEqual(1);
  });

  it.each<[string, Partial<ReconfigurationEntryInput>]>([
    ['entry.validators', { validators: listed([0, 1]) }],
    ['entry.validators', { validators: [] }],
    [
      'entry.validators[1].id',
      { validators: [...listed([0]), { id: 'r0', publicKey: hex(testKey(9).publicKey) }, ...listed([2, 3])] },
    ],
    [
      'entry.validators[2].publicKey',
      { validators: [...listed([0, 1]), { id: 'r7', publicKey: 'zz' }, ...listed([3])] },
    ],
    ['entry.epoch', { epoch: 0 }],
    ['entry.approvals[0].signature', { approvals: [{ id: 'r0', signature: '00' }] }],
  ])('refuses a malformed reconfiguration (%s)', async (path, patch) => {
    cluster = await simCluster(4, 13);
    const l = cluster.ledgers[0] as Ledger;
    await expect(
      l.submit({ ...change(1, [0, 1, 2, 3]), ...patch } as LedgerEntryInput),
    ).rejects.toMatchObject({
      code: 'MSYS_LEDGER_INVALID_ARGUMENT',
      category: 'validation',
      details: expect.objectContaining({ path }),
    });
  });
});
