/**
 * @msys/ledger: committed writes on a 4-replica cluster in one process (chained HotStuff, every replica on
 * its own LevelDB directory with one fsync'd batch per processed block), the same cluster over TCP on
 * loopback, and `check()` lookups against a large indicator index.
 *
 * There is no JavaScript BFT ledger to race, so the peers are the physical ceilings measured in the same
 * run: fsync'd 100-byte appends per second (what a ledger that synced every write could reach at best) and
 * Ed25519 verifications per second on node:crypto (every block costs each replica 2f+1 vote verifications).
 * One iteration of a write row submits a batch and waits for every receipt, so p95 is the commit latency of
 * a batch.
 */
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateKeyPair, sign, verify } from '@msys/core/crypto';
import { RealClock } from '@msys/core/governor';
import {
  entryId,
  InMemoryNetwork,
  IntelIndex,
  Ledger,
  TcpTransport,
  type Transport,
  validateEntry,
} from '@msys/ledger';
import type { Scenario, SuiteFactory } from '../harness.js';

let counter = 0;
function entry() {
  const i = counter++;
  return {
    indicator: { kind: 'ipv4' as const, value: `10.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}` },
    action: 'block' as const,
    source: `domain-${i % 7}.example`,
    reason: 'bench',
    observedAt: 1_700_000_000_000 + i,
  };
}

async function cluster(dir: string, tcp: boolean) {
  const keys = [0, 1, 2, 3].map(() => generateKeyPair());
  const validators = keys.map((k, i) => ({ id: `r${i}`, publicKey: k.publicKey }));
  let transports: Transport[];
  if (tcp) {
    const ts = await Promise.all(
      keys.map((k, i) =>
        TcpTransport.open({ id: `r${i}`, keyPair: k, listen: { host: '127.0.0.1', port: 0 } }),
      ),
    );
    const peers = ts.map((t, i) => ({
      id: `r${i}`,
      host: '127.0.0.1',
      port: t.port,
      publicKey: keys[i]!.publicKey,
    }));
    for (const t of ts) t.setPeers(peers);
    transports = ts;
  } else {
    const net = new InMemoryNetwork({ clock: new RealClock(), faults: { minDelayMs: 0, maxDelayMs: 0 } });
    transports = validators.map((v) => net.endpoint(v.id));
  }
  return Promise.all(
    keys.map((k, i) =>
      Ledger.open({
        id: `r${i}`,
        keyPair: k,
        validators,
        transport: transports[i]!,
        storage: { path: path.join(dir, `${tcp ? 'tcp' : 'mem'}-r${i}`) },
        maxBlockEntries: 4000,
      }),
    ),
  );
}

function fsyncPeer(dir: string) {
  const fd = openSync(path.join(dir, 'fsync-peer.log'), 'a');
  const record = Buffer.alloc(100, 7);
  return {
    fn: () => {
      writeSync(fd, record);
      fsyncSync(fd);
    },
    close: () => closeSync(fd),
  };
}

const factory: SuiteFactory = async ({ smoke }) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'msys-ledger-bench-'));
  const batch = smoke ? 400 : 4000;
  const mem = await cluster(dir, false);
  const tcp = await cluster(dir, true);
  const peer = fsyncPeer(dir);
  // One iteration: four clients, one per replica, each submitting batch/4 entries at once and waiting for
  // every receipt — so p95 is the commit latency of a batch under concurrent load.
  const write = (ledgers: Ledger[]) => async () => {
    await Promise.all(
      ledgers.map((l) => l.submitMany(Array.from({ length: batch / ledgers.length }, entry))),
    );
  };

  // check(): 70% host addresses, 10% /24 networks, 20% domains, spread over the address space. Probes are
  // what a gateway sees: mostly addresses nobody listed, some listed hosts, some inside listed networks, some
  // subdomains of listed domains.
  const indicators = smoke ? 20_000 : 1_000_000;
  const index = new IntelIndex({ quorum: 1 });
  const spread = (i: number) => (Math.imul(i, 2654435761) >>> 0) % 0xffffffff;
  const ip = (n: number) => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  for (let i = 0; i < indicators; i++) {
    const kind = i % 10;
    const input =
      kind < 7
        ? { indicator: { kind: 'ipv4' as const, value: ip(spread(i)) } }
        : kind < 8
          ? { indicator: { kind: 'cidr' as const, value: `${ip(spread(i) & 0xffffff00)}/24` } }
          : { indicator: { kind: 'domain' as const, value: `host${i}.example${i % 97}.com` } };
    const e = validateEntry({ ...input, action: 'block', source: `d${i % 5}`, reason: 'bench' }, 1);
    index.add({ id: i.toString(16).padStart(64, '0'), index: i, height: 1, committedAt: 1, entry: e });
  }
  const probes = Array.from({ length: 1000 }, (_, k) => {
    const i = k * 997;
    switch (k % 10) {
      case 0:
        return ip(spread(i - (i % 10)));
      case 1:
        return ip((spread(i - (i % 10) + 7) & 0xffffff00) | 42);
      case 2:
        return `cdn.host${i - (i % 10) + 8}.example${(i - (i % 10) + 8) % 97}.com`;
      default:
        return ip(spread(i * 31 + 5) ^ 0x5a5a5a5a);
    }
  });
  const keyPair = generateKeyPair();
  const message = new TextEncoder().encode(entryId(validateEntry(entry(), 1)));
  const signature = sign(message, keyPair.secretKey);

  const scenarios: Scenario[] = [
    {
      name: `committed writes, 4 replicas in-process, LevelDB sync, 4 clients × ${batch / 4}`,
      fn: write(mem),
      opsPerIteration: batch,
      peer: { name: 'fsync per 100-byte write (physical ceiling)', fn: peer.fn },
      timeMs: smoke ? 200 : 5000,
    },
    {
      name: `committed writes, 4 replicas over TCP loopback, LevelDB sync, 4 clients × ${batch / 4}`,
      fn: write(tcp),
      opsPerIteration: batch,
      peer: { name: 'fsync per 100-byte write (physical ceiling)', fn: peer.fn },
      timeMs: smoke ? 200 : 5000,
    },
    {
      name: `check() lookups, ${indicators} indicators`,
      fn: () => {
        for (const p of probes) index.check(p, 2);
      },
      opsPerIteration: probes.length,
      judged: false,
    },
    {
      name: 'physical ceiling: Ed25519 verify (node:crypto via @msys/core/crypto)',
      fn: () => verify(signature, message, keyPair.publicKey),
      judged: false,
    },
  ];
  return {
    package: 'ledger',
    scenarios,
    dispose: async () => {
      for (const l of [...mem, ...tcp]) await l.close();
      peer.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

export default factory;
