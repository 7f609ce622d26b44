/**
 * Attestation Authority throughput: one attestation = verify the AK's quote signature, recompute the PCR
 * digest, apply the appraisal policy, and sign the EAR result token (EdDSA). Measured with an RSA-2048
 * (RSASSA) and an ECDSA P-256 AK, on the main thread and across worker threads. The peer row is the ceiling:
 * node:crypto's bare signature verification for the same key type.
 */
import { verify } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { BenchContext, Scenario, Suite, SuiteFactory } from '../harness.js';
import { type AkKind, attestOnce, makeFixture } from './fixtures.js';

const BATCH = 256;

interface Pool {
  run(total: number): Promise<void>;
  close(): Promise<void>;
}

async function startPool(kind: AkKind, size: number): Promise<Pool> {
  const workers: Worker[] = [];
  for (let i = 0; i < size; i++) {
    // Workers do not inherit tsx's loader: register it in the worker before importing the TypeScript entry.
    const entry = new URL('./attestation.worker.ts', import.meta.url).href;
    const w = new Worker(
      `import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(entry)}); });`,
      {
        eval: true,
        workerData: { kind },
        execArgv: ['--conditions=@msys/source'],
      },
    );
    await new Promise<void>((resolve, reject) => {
      w.once('message', () => resolve());
      w.once('error', reject);
    });
    workers.push(w);
  }
  // One pending batch per worker; a worker error fails the batch it was running.
  const pending = new Map<Worker, { resolve: () => void; reject: (e: unknown) => void }>();
  for (const w of workers) {
    w.on('message', () => pending.get(w)?.resolve());
    w.on('error', (e) => pending.get(w)?.reject(e));
  }
  return {
    run: (total) =>
      Promise.all(
        workers.map(
          (w, i) =>
            new Promise<void>((resolve, reject) => {
              const share = Math.floor(total / size) + (i < total % size ? 1 : 0);
              pending.set(w, { resolve, reject });
              w.postMessage(share);
            }),
        ),
      ).then(() => undefined),
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

const factory: SuiteFactory = async (ctx: BenchContext): Promise<Suite> => {
  const scenarios: Scenario[] = [];
  const pools: Pool[] = [];
  const threads = Math.max(2, Math.min(4, availableParallelism()));
  for (const kind of ['rsa', 'ecc'] as const) {
    const f = makeFixture(kind, ctx.smoke ? 4 : 64);
    const e = f.evidence[0];
    if (e === undefined) throw new Error('no benchmark evidence');
    // The peer verifies the same TPMS_ATTEST bytes with the same key: the cost floor of any quote verifier.
    const sig = await import('@msys/attestation').then((m) => m.parseTpmtSignature(e.signature));
    const raw =
      sig.kind === 'rsassa'
        ? sig.signature
        : 'r' in sig
          ? Buffer.concat([Buffer.from(sig.r), Buffer.from(sig.s)])
          : new Uint8Array();
    const peerOptions =
      kind === 'rsa' ? f.publicKey : { key: f.publicKey, dsaEncoding: 'ieee-p1363' as const };
    let i = 0;
    scenarios.push({
      name: `attest ${kind === 'rsa' ? 'RSA-2048 RSASSA' : 'ECDSA P-256'} AK, 1 thread`,
      fn: () => attestOnce(f, i++),
      peer: {
        name: `node:crypto ${kind === 'rsa' ? 'RSA-2048' : 'P-256'} verify`,
        fn: () => verify('sha256', e.quote, peerOptions, raw),
      },
    });
    const pool = await startPool(kind, threads);
    pools.push(pool);
    scenarios.push({
      name: `attest ${kind === 'rsa' ? 'RSA-2048 RSASSA' : 'ECDSA P-256'} AK, ${threads} worker threads`,
      fn: () => pool.run(ctx.smoke ? 8 : BATCH),
      opsPerIteration: ctx.smoke ? 8 : BATCH,
      timeMs: 2000,
    });
  }
  return {
    package: 'attestation',
    scenarios,
    dispose: async () => {
      for (const p of pools) await p.close();
    },
  };
};

export default factory;
