/**
 * `pnpm examples` — runs every examples/<pkg>/<name>.ts in its own process and fails if one fails.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files: string[] = [];
for (const pkg of readdirSync(here).sort()) {
  const dir = join(here, pkg);
  if (pkg === 'node_modules' || !statSync(dir).isDirectory() || (only.length > 0 && !only.includes(pkg)))
    continue;
  for (const f of readdirSync(dir).sort()) if (f.endsWith('.ts')) files.push(join(dir, f));
}

const failed: string[] = [];
for (const file of files) {
  const name = relative(here, file);
  const started = performance.now();
  const r = spawnSync(process.execPath, ['--conditions=@msys/source', '--import', 'tsx', file], {
    cwd: here,
    encoding: 'utf8',
    timeout: 120_000,
  });
  const ms = (performance.now() - started).toFixed(0);
  if (r.status === 0) {
    console.log(`✓ ${name} (${ms} ms)`);
  } else {
    failed.push(name);
    console.log(`✗ ${name} (${ms} ms, exit ${r.status ?? r.signal})\n${r.stdout}\n${r.stderr}`);
  }
}
console.log(`${files.length - failed.length} of ${files.length} examples passed`);
if (failed.length > 0) process.exit(1);
