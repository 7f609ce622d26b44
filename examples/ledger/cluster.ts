/**
 * A 4-replica ledger in one process: chained HotStuff over an in-memory network (real time), each replica on
 * its own LevelDB directory. Two organisations report the same scanner; with `quorum: 2` it becomes an
 * active block only once both have, and `check` says who and why.
 *
 * Run: pnpm exec tsx --conditions=@msys/source examples/ledger/cluster.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateKeyPair } from '@msys/core/crypto';
import { RealClock } from '@msys/core/governor';
import { InMemoryNetwork, Ledger } from '@msys/ledger';

const dir = mkdtempSync(path.join(tmpdir(), 'msys-ledger-example-'));
const keys = [0, 1, 2, 3].map(() => generateKeyPair());
const validators = keys.map((k, i) => ({ id: `replica-${i}`, publicKey: k.publicKey }));
const network = new InMemoryNetwork({ clock: new RealClock(), faults: { minDelayMs: 0, maxDelayMs: 2 } });

const ledgers = await Promise.all(
  keys.map((keyPair, i) =>
    Ledger.open({
      id: `replica-${i}`,
      keyPair,
      validators,
      transport: network.endpoint(`replica-${i}`),
      storage: { path: path.join(dir, `replica-${i}`) },
      policy: { quorum: 2 },
      viewTimeoutMs: 500,
    }),
  ),
);

try {
  const [a, b] = ledgers as [Ledger, Ledger, Ledger, Ledger];
  const first = await a.submit({
    indicator: { kind: 'cidr', value: '203.0.113.0/24' },
    action: 'block',
    confidence: 80,
    source: 'soc.alpha.example',
    reason: 'SSH brute force from the whole range',
    evidence: ['sshd: 4312 failed logins in 10 min'],
  });
  console.log(
    `committed #${first.index} at height ${first.height}; one domain so far:`,
    a.check('203.0.113.9').decision,
  );

  await b.submit({
    indicator: { kind: 'ipv4', value: '203.0.113.9' },
    action: 'block',
    confidence: 90,
    source: 'cert.beta.example',
    reason: 'C2 beaconing observed',
  });
  const decision = b.check('203.0.113.9');
  console.log(
    `after a second domain: ${decision.decision} (rule ${decision.rule}) by ${decision.domains.join(', ')}`,
  );
  for (const m of decision.matches) console.log(`  #${m.index} ${m.source}: ${m.indicator} — ${m.reason}`);

  // Every replica agrees on the log (the others may apply the last commit a moment later).
  for (let i = 0; i < 100 && ledgers.some((l) => l.size !== b.size); i++)
    await new Promise((r) => setTimeout(r, 20));
  const roots = new Set(ledgers.map((l) => Buffer.from(l.treeHead().rootHash).toString('hex')));
  console.log(`replicas agree on one root: ${roots.size === 1}, ${b.size} entries`);
  if (decision.decision !== 'block' || roots.size !== 1) process.exitCode = 1;
} finally {
  for (const l of ledgers) await l.close();
  rmSync(dir, { recursive: true, force: true });
}
