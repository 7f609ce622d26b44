/**
 * `pnpm start` — a tour of the SDK: runs each built package's headline example and shows what it did.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The headline example of each built package, in the order a newcomer meets them. */
const stops: { pkg: string; example: string; what: string }[] = [
  { pkg: '@msys/native', example: 'native/kernels.ts', what: 'C++ hot loops with TypeScript twins' },
];

let failures = 0;
for (const stop of stops) {
  const file = join(here, stop.example);
  if (!existsSync(file)) continue;
  console.log(`\n━━ ${stop.pkg} — ${stop.what}\n   (examples/${stop.example})\n`);
  const r = spawnSync(process.execPath, ['--conditions=@msys/source', '--import', 'tsx', file], {
    cwd: here,
    stdio: 'inherit',
    timeout: 120_000,
  });
  if (r.status !== 0) {
    failures++;
    console.log(`   ✗ exited with ${r.status ?? r.signal}`);
  }
}
console.log(
  `\nTour finished: ${stops.length - failures} of ${stops.length} stops ran. Next: pnpm test, pnpm bench, pnpm docs.`,
);
process.exit(failures === 0 ? 0 : 1);
