import { afterEach, describe, expect, it } from 'vitest';
import { verifyInclusion, verifyTreeHead } from '../src/index.js';
import { agreementViolations, intelEntry, runUntil, type SimCluster, simCluster } from './support/cluster.js';

let cluster: SimCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

describe('chained HotStuff on a simulated network', () => {
  it('commits submitted entries on every replica with verifiable receipts', async () => {
    cluster = await simCluster(4, 1);
    const { ledgers, net } = cluster;
    const receipts: Awaited<ReturnType<(typeof ledgers)[0]['submit']>>[] = [];
    for (let i = 0; i < 10; i++) void ledgers[i % 4]!.submit(intelEntry(i)).then((r) => receipts.push(r));
    expect(await runUntil(net, () => receipts.length === 10 && ledgers.every((l) => l.size === 10))).toBe(
      true,
    );
    expect(agreementViolations(ledgers)).toEqual([]);
    for (const r of receipts) {
      expect(verifyTreeHead(r.treeHead)).toBe(true);
      const leafHash = new Uint8Array(Buffer.from(r.entryId, 'hex'));
      expect(
        verifyInclusion({
          leafIndex: r.index,
          treeSize: r.treeHead.treeSize,
          leafHash,
          proof: r.inclusionProof,
          root: r.treeHead.rootHash,
        }),
      ).toBe(true);
    }
    expect(ledgers[2]!.check('10.0.0.3').decision).toBe('block');
    const roots = ledgers.map((l) => Buffer.from(l.treeHead().rootHash).toString('hex'));
    expect(new Set(roots).size).toBe(1);
  });
});
