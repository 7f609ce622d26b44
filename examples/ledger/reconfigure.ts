/**
 * Rotating a validator: four replicas (replica-0…3) run epoch 0; replica-4 opens as a joiner and follows the
 * chain as a learner. Three of the four current validators approve a reconfiguration that replaces
 * replica-3 with replica-4; once it commits, epoch 1 starts at that block and replica-4 votes in it.
 *
 * Run: pnpm exec tsx --conditions=@msys/source examples/ledger/reconfigure.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateKeyPair } from '@msys/core/crypto';
import { RealClock } from '@msys/core/governor';
import { InMemoryNetwork, Ledger, type ReconfigurationEntryInput } from '@msys/ledger';

const dir = mkdtempSync(path.join(tmpdir(), 'msys-ledger-reconfigure-'));
const keys = [0, 1, 2, 3, 4].map(() => generateKeyPair());
const genesis = keys.slice(0, 4).map((k, i) => ({ id: `replica-${i}`, publicKey: k.publicKey }));
const network = new InMemoryNetwork({ clock: new RealClock(), faults: { minDelayMs: 0, maxDelayMs: 2 } });
const open = (i: number) =>
  Ledger.open({
    id: `replica-${i}`,
    keyPair: keys[i] as (typeof keys)[number],
    validators: genesis,
    ...(i === 4 ? { joining: true } : {}),
    transport: network.endpoint(`replica-${i}`),
    storage: { path: path.join(dir, `replica-${i}`) },
    viewTimeoutMs: 200,
  });
const ledgers = await Promise.all([0, 1, 2, 3, 4].map(open));
const wait = async (done: () => boolean) => {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  return done();
};

try {
  const [a, b, c, , newcomer] = ledgers as [Ledger, Ledger, Ledger, Ledger, Ledger];
  const hex = (k: Uint8Array) => Buffer.from(k).toString('hex');
  const change: ReconfigurationEntryInput = {
    type: 'reconfigure',
    epoch: 1,
    validators: [0, 1, 2, 4].map((i) => ({
      id: `replica-${i}`,
      publicKey: hex((keys[i] as (typeof keys)[number]).publicKey),
    })),
    source: 'ops.example',
    reason: 'replace replica-3 (hardware retirement)',
  };
  const approvals = [a, b, c].map((l) => l.approveReconfiguration(change));
  const receipt = await a.submit({ ...change, approvals });
  console.log(`reconfiguration committed at height ${receipt.height}; epoch now ${a.epoch.number}`);
  await wait(() => newcomer.epoch.number === 1);
  console.log(
    `replica-4 in epoch ${newcomer.epoch.number}: ${newcomer.epoch.validators.map((v) => v.id).join(', ')}`,
  );

  const after = await newcomer.submit({
    indicator: { kind: 'domain', value: 'phish.example' },
    action: 'block',
    source: 'soc.alpha.example',
    reason: 'credential phishing kit',
  });
  console.log(`committed #${after.index} at height ${after.height} in epoch 1, submitted through replica-4`);
  if (newcomer.epoch.number !== 1 || after.height <= receipt.height) process.exitCode = 1;
} finally {
  for (const l of ledgers) await l.close();
  rmSync(dir, { recursive: true, force: true });
}
