/**
 * CPU pressure: worker threads that each spin for `percent` % of every 50 ms slice and sleep the rest
 * (Atomics.wait, so a sleeping worker costs nothing). The workers run plain JavaScript passed as source,
 * so the fault works the same from TypeScript sources, a bundle, or `dist`.
 *
 * @module
 */
import { Worker } from 'node:worker_threads';
import type { FaultDriver } from '../active-fault.js';
import type { CpuFault } from '../faults.js';

const SLICE_MS = 50;

const BURNER = `
const { workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const pause = new Int32Array(new SharedArrayBuffer(4));
const busy = (${SLICE_MS} * workerData.percent) / 100;
let sink = 0;
for (;;) {
  const start = performance.now();
  while (performance.now() - start < busy) sink = (sink + Math.sqrt(sink + 1)) % 1e9;
  const rest = ${SLICE_MS} - busy;
  if (rest > 0) Atomics.wait(pause, 0, 0, rest);
}
`;

/** @internal */
export function startCpu(fault: CpuFault): FaultDriver {
  const workers: Worker[] = [];
  for (let i = 0; i < fault.cores; i++) {
    const worker = new Worker(BURNER, { eval: true, workerData: { percent: fault.percent } });
    // A burner must not keep the process alive once its owner forgot it; revert terminates it anyway.
    worker.unref();
    worker.on('error', () => {});
    workers.push(worker);
  }
  return {
    async stop() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
