/**
 * The ResourceGovernor in one tour: deterministic randomness and virtual time, a RAM budget, a FIFO-fair
 * I/O bucket, the CPU cap, sandbox checks and a script run in an isolated child process.
 *
 * Run: pnpm exec tsx --conditions=@msys/source examples/core/governor.ts
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSystemError } from '@msys/core/errors';
import { ResourceGovernor } from '@msys/core/governor';

// 1. Deterministic mode: the same seed gives the same numbers and the same (virtual) timings.
const sim = new ResourceGovernor({ deterministic: { seed: 'tour' }, maxIoOpsPerSec: 100, ioBurst: 1 });
const dice = Array.from({ length: 5 }, () => sim.random.int(1, 6));
const network = sim.random.fork('network');
console.log(`seeded dice: ${dice.join(' ')}; network stream starts with ${network.uint32()}`);
const woke = sim.clock.sleep(250).then(() => sim.clock.now());
await sim.clock.advance(250);
console.log(`virtual sleep of 250 ms woke at ${new Date(await woke).toISOString()} without real waiting`);
await sim.io.acquire();
const second = sim.io.acquire().then(() => sim.clock.now());
await sim.clock.advance(10);
console.log(
  `I/O at 100 ops/s on virtual time: the second op was granted ${(await second) - (await woke)} ms later`,
);

// 2. A RAM budget: leases, and a typed refusal that reserves nothing.
const governor = new ResourceGovernor({
  ramLimitBytes: 64 * 2 ** 20,
  cpuPercentCap: 50,
  maxIoOpsPerSec: 2_000,
  ioBurst: 100,
});
governor.on('limit', (e) => {
  if (e.resource === 'ram') console.log(`limit event: ${e.requested} bytes asked, ${e.available} available`);
});
{
  using lease = governor.reserve(48 * 2 ** 20);
  try {
    governor.reserve(32 * 2 ** 20);
  } catch (e) {
    if (isSystemError(e))
      console.log(`refused: ${e.code} (${e.category}); reserved stays ${governor.usage().reservedBytes}`);
  }
  console.log(`lease of ${lease.bytes} bytes released at the end of its block`);
}

// 3. The I/O bucket holds its rate: 400 ops beyond the burst at 2000/s take about 200 ms.
const ioStart = performance.now();
for (let i = 0; i < 500; i++) await governor.io.acquire();
console.log(`500 I/O ops (burst 100, 2000/s) took ${(performance.now() - ioStart).toFixed(0)} ms`);

// 4. The CPU cap: a busy loop with checkpoints, held near 50% of a core for one second.
let throttles = 0;
governor.on('throttle', () => throttles++);
const cpuStart = process.cpuUsage();
const wallStart = performance.now();
let x = 0;
while (performance.now() - wallStart < 1000) {
  for (let i = 0; i < 20_000; i++) x = (x * 31 + i) | 0;
  await governor.checkpoint();
}
const cpu = process.cpuUsage(cpuStart);
const duty = (cpu.user + cpu.system) / 10 / (performance.now() - wallStart);
console.log(`busy loop under a 50% cap used ${duty.toFixed(0)}% CPU; ${throttles} pauses (${x & 1})`);

// 5. The sandbox: allow-lists for files and endpoints.
const dir = mkdtempSync(join(tmpdir(), 'msys-governor-tour-'));
const sandboxed = new ResourceGovernor({
  sandbox: { fsRead: [dir], net: ['127.0.0.1:6379', 'localhost:*'] },
});
sandboxed.checkNet('localhost', 8080);
for (const [what, check] of [
  ['read /etc/passwd', () => sandboxed.checkFs('/etc/passwd', 'read')],
  [`read ${dir}/../x`, () => sandboxed.checkFs(`${dir}/../x`, 'read')],
  ['connect 10.0.0.1:22', () => sandboxed.checkNet('10.0.0.1', 22)],
] as const) {
  try {
    check();
  } catch (e) {
    if (isSystemError(e)) console.log(`sandbox: ${what} → ${e.code}`);
  }
}

// 6. An isolated child: reads only its list, returns its result over IPC.
writeFileSync(join(dir, 'data.txt'), 'visible to the child');
writeFileSync(
  join(dir, 'child.mjs'),
  `import { readFileSync } from 'node:fs';
   export default ([file]) => {
     let passwd;
     try { readFileSync('/etc/passwd'); passwd = 'readable'; } catch (e) { passwd = e.code; }
     return { data: readFileSync(file, 'utf8'), passwd };
   };`,
);
try {
  const { result, durationMs } = await sandboxed.spawnIsolated<{ data: string; passwd: string }>(
    join(dir, 'child.mjs'),
    [join(dir, 'data.txt')],
    { timeoutMs: 5_000, maxHeapMb: 64 },
  );
  console.log(
    `isolated child read "${result.data}"; /etc/passwd → ${result.passwd} (${durationMs.toFixed(0)} ms)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const u = governor.usage();
console.log(
  `usage: cpu ${u.cpuMicros} µs, ${u.ioOps} io ops, throttled ${u.throttledMs.toFixed(0)} ms, rss ${u.rss} bytes`,
);
governor.close();
sim.close();
