import { parentPort, workerData } from 'node:worker_threads';
import { type AkKind, attestOnce, makeFixture } from './fixtures.js';

const fixture = makeFixture((workerData as { kind: AkKind }).kind, 16);
let counter = 0;
parentPort?.on('message', async (count: number) => {
  for (let i = 0; i < count; i++) await attestOnce(fixture, counter++);
  parentPort?.postMessage(count);
});
parentPort?.postMessage('ready');
