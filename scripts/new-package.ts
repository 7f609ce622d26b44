/**
 * Scaffolds a workspace package: `pnpm tsx scripts/new-package.ts <name> "<description>"`.
 * Writes package.json (exports map, files, engines), tsconfig.json, tsup.config.ts, vitest.config.ts and
 * an empty src/index.ts — the few lines that differ per package; everything else comes from config/.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [name, description = ''] = process.argv.slice(2);
if (!name || !/^[a-z][a-z0-9-]*$/.test(name)) {
  console.error('usage: tsx scripts/new-package.ts <name> "<description>"   (name: lower-case, e.g. chaos)');
  process.exit(2);
}
const dir = join('packages', name);
if (existsSync(dir)) {
  console.error(`${dir} already exists`);
  process.exit(1);
}
mkdirSync(join(dir, 'src'), { recursive: true });
mkdirSync(join(dir, 'test'), { recursive: true });
const pkg = {
  name: `@msys/${name}`,
  version: '0.1.0',
  description,
  license: 'MIT OR Apache-2.0',
  type: 'module',
  sideEffects: false,
  engines: { node: '>=20.19.0' },
  exports: {
    '.': {
      '@msys/source': './src/index.ts',
      import: { types: './dist/index.d.ts', default: './dist/index.js' },
      require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
    },
    './package.json': './package.json',
  },
  main: './dist/index.cjs',
  module: './dist/index.js',
  types: './dist/index.d.cts',
  files: ['dist', 'src', 'README.md'],
  scripts: { build: 'tsup', test: 'vitest run' },
  dependencies: { '@msys/core': 'workspace:^' },
};
writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
writeFileSync(
  join(dir, 'tsconfig.json'),
  `{\n  "extends": "../../tsconfig.base.json",\n  "include": ["src"]\n}\n`,
);
writeFileSync(
  join(dir, 'tsup.config.ts'),
  `import { msysTsup } from '../../config/tsup.package.js';\n\nexport default msysTsup({ index: 'src/index.ts' });\n`,
);
writeFileSync(
  join(dir, 'vitest.config.ts'),
  `import { msysProject } from '../../config/vitest.project.js';\n\nexport default msysProject('@msys/${name}');\n`,
);
writeFileSync(
  join(dir, 'src', 'index.ts'),
  `/**\n * \`@msys/${name}\` — ${description}\n *\n * @packageDocumentation\n */\nexport {};\n`,
);
console.log(`created ${dir}`);
