/**
 * `pnpm check:packages` — packs every public workspace package with `pnpm pack` (so `workspace:` ranges
 * are rewritten as on publish) and runs publint (strict: warnings fail) and @arethetypeswrong/cli on the
 * tarball. Run `pnpm build` first. Any problem fails the command.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dirs = [
  ...readdirSync(join(root, 'packages')).map((d) => join(root, 'packages', d)),
  join(root, 'native'),
];
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const out = mkdtempSync(join(tmpdir(), 'msys-pack-'));
const problems: string[] = [];

try {
  for (const dir of dirs) {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      name: string;
      private?: boolean;
    };
    if (pkg.private) continue;
    const before = new Set(readdirSync(out));
    execFileSync('pnpm', ['pack', '--pack-destination', out], { cwd: dir, stdio: 'pipe' });
    const tarball = readdirSync(out).find((f) => !before.has(f) && f.endsWith('.tgz'));
    if (!tarball) {
      problems.push(`${pkg.name}: pnpm pack produced no tarball`);
      continue;
    }
    const file = join(out, tarball);
    const publint = spawnSync(bin('publint'), ['run', file, '--strict'], { encoding: 'utf8' });
    const publintOut = `${publint.stdout}${publint.stderr}`.trim();
    if (publint.status !== 0 || /warning|error|suggestion/i.test(publintOut.replace(/All good!/, ''))) {
      problems.push(`${pkg.name}: publint\n${publintOut}`);
    }
    const attw = spawnSync(bin('attw'), [file, '--format', 'ascii', '--no-color', '--no-emoji'], {
      encoding: 'utf8',
    });
    if (attw.status !== 0) problems.push(`${pkg.name}: attw\n${attw.stdout}${attw.stderr}`);
    console.log(`${publint.status === 0 && attw.status === 0 ? 'ok  ' : 'FAIL'} ${pkg.name} (${tarball})`);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}

if (problems.length > 0) {
  console.error(`\n${problems.join('\n\n')}`);
  process.exit(1);
}
console.log('publint and attw report nothing for any package');
