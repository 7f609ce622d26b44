/**
 * Offline audit: an auditor who holds only JSON — a receipt, an older and a newer signed tree head, and the
 * validator keys — checks that an entry is in the log and that the log only ever grew, with no ledger running.
 *
 * Run: pnpm exec tsx --conditions=@msys/source examples/ledger/audit.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fromHex, generateKeyPair, toHex } from '@msys/core/crypto';
import { RealClock } from '@msys/core/governor';
import {
  encodeEntry,
  hashLeaf,
  InMemoryNetwork,
  Ledger,
  verifyConsistency,
  verifyInclusion,
  verifyTreeHead,
} from '@msys/ledger';

const dir = mkdtempSync(path.join(tmpdir(), 'msys-ledger-audit-'));
const keys = [0, 1, 2, 3].map(() => generateKeyPair());
const validators = keys.map((k, i) => ({ id: `r${i}`, publicKey: k.publicKey }));
const network = new InMemoryNetwork({ clock: new RealClock(), faults: { minDelayMs: 0, maxDelayMs: 1 } });
const ledgers = await Promise.all(
  keys.map((keyPair, i) =>
    Ledger.open({
      id: `r${i}`,
      keyPair,
      validators,
      transport: network.endpoint(`r${i}`),
      storage: { path: path.join(dir, `r${i}`) },
    }),
  ),
);

// --- what the auditor is handed (as JSON, e.g. from a ticket or an API) ---
let exported: string;
try {
  const l = ledgers[1] as Ledger;
  const receipt = await l.submit({
    indicator: { kind: 'domain', value: 'login-update.example' },
    action: 'block',
    source: 'soc.alpha.example',
    reason: 'credential phishing kit',
  });
  const entry = l.entry(receipt.index);
  const older = receipt.treeHead;
  await l.submitMany(
    [1, 2, 3].map((i) => ({
      indicator: { kind: 'ipv4' as const, value: `198.51.100.${i}` },
      action: 'block' as const,
      source: 'cert.beta.example',
      reason: 'scanner',
    })),
  );
  const newer = l.treeHead();
  const head = (h: typeof older) => ({
    ...h,
    rootHash: toHex(h.rootHash),
    signer: toHex(h.signer),
    signature: toHex(h.signature),
  });
  exported = JSON.stringify({
    validators: validators.map((v) => toHex(v.publicKey)),
    entry: entry?.entry,
    receipt: { index: receipt.index, proof: receipt.inclusionProof.map(toHex), treeHead: head(older) },
    newer: head(newer),
    consistency: l.proveConsistency(older.treeSize, newer.treeSize).map(toHex),
  });
} finally {
  for (const l of ledgers) await l.close();
  rmSync(dir, { recursive: true, force: true });
}

// --- the audit: no ledger, only the verifiers ---
const doc = JSON.parse(exported);
const head = (h: {
  treeSize: number;
  timestamp: number;
  rootHash: string;
  signer: string;
  signature: string;
}) => ({
  treeSize: h.treeSize,
  timestamp: h.timestamp,
  rootHash: fromHex(h.rootHash),
  signer: fromHex(h.signer),
  signature: fromHex(h.signature),
});
const older = head(doc.receipt.treeHead);
const newer = head(doc.newer);
const trusted = (h: ReturnType<typeof head>) => doc.validators.includes(toHex(h.signer)) && verifyTreeHead(h);
const included = verifyInclusion({
  leafIndex: doc.receipt.index,
  treeSize: older.treeSize,
  leafHash: hashLeaf(encodeEntry(doc.entry)),
  proof: doc.receipt.proof.map(fromHex),
  root: older.rootHash,
});
const grewOnly = verifyConsistency({
  size1: older.treeSize,
  size2: newer.treeSize,
  proof: doc.consistency.map(fromHex),
  root1: older.rootHash,
  root2: newer.rootHash,
});
console.log(`tree heads signed by validators: ${trusted(older) && trusted(newer)}`);
console.log(
  `entry #${doc.receipt.index} (${doc.entry.indicator.value}) included in tree of ${older.treeSize}: ${included}`,
);
console.log(`tree of ${newer.treeSize} extends tree of ${older.treeSize}: ${grewOnly}`);
if (!(trusted(older) && trusted(newer) && included && grewOnly)) process.exitCode = 1;
