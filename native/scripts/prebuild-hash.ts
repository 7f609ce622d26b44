/**
 * Records (default) or checks (`--check`) the SHA-256 of the C++ sources the committed prebuilds were
 * built from. CI runs the check so a change to csrc/ or binding.gyp cannot land without a rebuilt prebuild.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const hashFile = join(root, 'prebuilds', 'SOURCES.sha256');

function sourceFiles(): string[] {
  const csrc = readdirSync(join(root, 'csrc'))
    .filter((f) => /\.(cc|cpp|h|hpp)$/.test(f))
    .map((f) => join(root, 'csrc', f));
  return [join(root, 'binding.gyp'), ...csrc].sort();
}

export function sourcesHash(): string {
  const h = createHash('sha256');
  for (const file of sourceFiles()) {
    h.update(relative(root, file));
    h.update('\0');
    h.update(readFileSync(file));
    h.update('\0');
  }
  return h.digest('hex');
}

const current = sourcesHash();
if (process.argv.includes('--check')) {
  let recorded = '';
  try {
    recorded = readFileSync(hashFile, 'utf8').trim();
  } catch {
    console.error(
      `prebuild check: ${relative(root, hashFile)} is missing; run \`pnpm --filter @msys/native prebuild\``,
    );
    process.exit(1);
  }
  if (recorded !== current) {
    console.error(
      `prebuild check: native sources changed since the prebuild (recorded ${recorded.slice(0, 12)}…, now ${current.slice(0, 12)}…).\n` +
        'Rebuild it with `pnpm --filter @msys/native prebuild` and commit native/prebuilds/.',
    );
    process.exit(1);
  }
  console.log(`prebuild check: prebuilds match the C++ sources (${current.slice(0, 12)}…)`);
} else {
  writeFileSync(hashFile, `${current}\n`);
  console.log(`recorded ${current} in ${relative(root, hashFile)}`);
}
