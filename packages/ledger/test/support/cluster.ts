import { createHash } from 'node:crypto';
import { getPublicKey } from '@msys/core/crypto';
import {
  InMemoryNetwork,
  Ledger,
  type LedgerOptions,
  MemoryStore,
  TcpTransport,
  type Transport,
  type Validator,
} from '../../src/index.js';

/** Deterministic keys for replica i of a test cluster. */
export function testKey(i: number, salt = 'cluster'): { publicKey: Uint8Array; secretKey: Uint8Array } {
  const secretKey = new Uint8Array(createHash('sha256').update(`${salt}-${i}`).digest());
  return { secretKey, publicKey: getPublicKey(secretKey) };
}

/** Opens one TcpTransport per key on 127.0.0.1 (free ports) and introduces every replica to every other. */
export async function openLoopbackMesh(
  keys: readonly { publicKey: Uint8Array; secretKey: Uint8Array }[],
): Promise<TcpTransport[]> {
  const transports = await Promise.all(
    keys.map((k, i) =>
      TcpTransport.open({ id: `r${i}`, keyPair: k, listen: { host: '127.0.0.1', port: 0 } }),
    ),
  );
  const peers = transports.map((t, i) => ({
    id: `r${i}`,
    host: '127.0.0.1',
    port: t.port,
    publicKey: keys[i]!.publicKey,
  }));
  for (const t of transports) t.setPeers(peers);
  return transports;
}

export interface SimCluster {
  readonly net: InMemoryNetwork;
  readonly validators: Validator[];
  readonly ledgers: Ledger[];
  readonly stores: MemoryStore[];
  close(): Promise<void>;
}

/** Opens n replicas on one seeded in-memory network with in-memory stores. */
export async function simCluster(
  n: number,
  seed: number,
  options: {
    wrap?: (i: number, t: Transport, key: { publicKey: Uint8Array; secretKey: Uint8Array }) => Transport;
    extra?: Partial<LedgerOptions>;
    faults?: ConstructorParameters<typeof InMemoryNetwork>[0] extends infer O
      ? O extends { faults?: infer F }
        ? F
        : never
      : never;
  } = {},
): Promise<SimCluster> {
  const net = new InMemoryNetwork({
    seed,
    ...(options.faults === undefined ? {} : { faults: options.faults }),
  });
  const keys = Array.from({ length: n }, (_, i) => testKey(i));
  const validators = keys.map((k, i) => ({ id: `r${i}`, publicKey: k.publicKey }));
  const stores = keys.map(() => new MemoryStore());
  const ledgers: Ledger[] = [];
  for (let i = 0; i < n; i++) {
    const key = keys[i]!;
    const t = net.endpoint(`r${i}`);
    ledgers.push(
      await Ledger.open({
        id: `r${i}`,
        keyPair: key,
        validators,
        transport: options.wrap ? options.wrap(i, t, key) : t,
        storage: { store: stores[i]! },
        governor: { clock: net.clock },
        viewTimeoutMs: 200,
        maxBlockEntries: 50,
        checkpointInterval: 10,
        ...options.extra,
      }),
    );
  }
  return {
    net,
    validators,
    ledgers,
    stores,
    close: async () => {
      for (const l of ledgers) await l.close();
    },
  };
}

/** Advances virtual time in steps until `done()` or the budget runs out; returns whether done. */
export async function runUntil(
  net: InMemoryNetwork,
  done: () => boolean,
  budgetMs = 60_000,
  stepMs = 20,
): Promise<boolean> {
  for (let t = 0; t < budgetMs; t += stepMs) {
    if (done()) return true;
    await net.clock.advance(stepMs);
  }
  return done();
}

export function intelEntry(i: number, source = 'soc.example') {
  return {
    indicator: { kind: 'ipv4' as const, value: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
    action: 'block' as const,
    source,
    reason: `scan ${i}`,
    observedAt: 1_700_000_000_000 + i,
  };
}

/** Agreement: at every index, every listed ledger that has an entry has the same one. */
export function agreementViolations(ledgers: readonly Ledger[]): string[] {
  const out: string[] = [];
  const max = Math.max(...ledgers.map((l) => l.size));
  for (let i = 0; i < max; i++) {
    const ids = new Set(ledgers.map((l) => l.entry(i)?.id).filter((x) => x !== undefined));
    if (ids.size > 1) out.push(`index ${i}: ${[...ids].join(' / ')}`);
  }
  return out;
}
