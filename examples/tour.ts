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
  {
    pkg: '@msys/core',
    example: 'core/errors.ts',
    what: 'SystemError: stable codes, categories, JSON round trip',
  },
  { pkg: '@msys/core', example: 'core/crypto.ts', what: 'Ed25519, BLAKE3, AES-256-GCM on two backends' },
  {
    pkg: '@msys/core',
    example: 'core/config.ts',
    what: 'typed configuration from defaults, files, profiles and env',
  },
  {
    pkg: '@msys/core',
    example: 'core/governor.ts',
    what: 'ResourceGovernor: CPU cap, memory leases, I/O rate, determinism',
  },
  {
    pkg: '@msys/core',
    example: 'core/plugins.ts',
    what: 'PluginRegistry: typed keys, lifecycle, dependencies',
  },
  { pkg: '@msys/native', example: 'native/kernels.ts', what: 'C++ hot loops with TypeScript twins' },
  { pkg: '@msys/chaos', example: 'chaos/http-faults.ts', what: 'fault injection into a real HTTP client' },
  { pkg: '@msys/ledger', example: 'ledger/cluster.ts', what: 'a 4-replica BFT ledger in one process' },
  { pkg: '@msys/ledger', example: 'ledger/audit.ts', what: 'offline audit with the RFC 9162 verifiers' },
  {
    pkg: '@msys/attestation',
    example: 'attestation/remote-attestation.ts',
    what: 'swtpm quote → appraisal → signed result',
  },
];

let failures = 0;
let ran = 0;
for (const stop of stops) {
  const file = join(here, stop.example);
  if (!existsSync(file)) continue;
  ran++;
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
  `\nTour finished: ${ran - failures} of ${ran} stops ran cleanly. Next: pnpm test, pnpm bench, pnpm run docs.`,
);
process.exit(failures === 0 ? 0 : 1);
