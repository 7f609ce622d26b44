/**
 * Loads a typed configuration from defaults, a TOML file with a `[profile.prod]` section, a JSON file,
 * environment variables and overrides; then shows how every problem is reported at once with its source,
 * and that a secret never shows up in the error.
 *
 * Run: pnpm exec tsx --conditions=@msys/source examples/core/config.ts
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configErrors, defineConfig } from '@msys/core/config';
import { z } from 'zod';

const appConfig = defineConfig(
  z.object({
    ledger: z.object({
      port: z.number().int().min(1).max(65_535),
      peers: z.array(z.string()).min(1),
      token: z.string().min(16),
      tls: z.boolean(),
    }),
    logLevel: z.enum(['debug', 'info', 'warn']),
  }),
  { secrets: ['ledger.token'] },
);

const dir = mkdtempSync(join(tmpdir(), 'msys-config-example-'));
try {
  const toml = join(dir, 'config.toml');
  writeFileSync(
    toml,
    [
      '[ledger]',
      'port = 7000',
      'peers = ["a:7000"]',
      '',
      '[profile.prod.ledger]',
      'tls = true',
      'port = 7443',
      '',
    ].join('\n'),
  );
  const json = join(dir, 'local.json');
  writeFileSync(json, JSON.stringify({ logLevel: 'debug' }));

  const env = {
    MSYS_LEDGER__PEERS: 'a:7443, b:7443, c:7443', // a comma list, because ledger.peers is an array
    MSYS_LEDGER__TOKEN: 'tok-0123456789abcdef',
    MSYS_VECTORS: '/not/ours', // no key "vectors": ignored
  };
  const config = await appConfig.load({
    defaults: { ledger: { tls: false }, logLevel: 'info' },
    files: [toml, json, { path: join(dir, 'missing.toml'), optional: true }],
    profile: 'prod',
    env,
    overrides: { logLevel: 'warn' },
  });
  console.log('loaded (secrets redacted):', JSON.stringify(appConfig.redact(config)));
  console.log(
    'port is a number:',
    config.ledger.port + 1 === 7444,
    '| frozen:',
    Object.isFrozen(config.ledger.peers),
  );

  const broken = join(dir, 'broken.toml');
  writeFileSync(broken, '[ledger]\nport = "seven thousand"\n');
  try {
    await appConfig.load({
      files: [broken, join(dir, 'absent.json')],
      profile: 'staging',
      env: { MSYS_LEDGER__TLS: 'perhaps', MSYS_LEDGER__TOKEN: 'short-secret' },
    });
  } catch (error) {
    if (!configErrors.MSYS_CONFIG_INVALID.is(error)) throw error;
    console.log(`\n${error.code} (${error.category}) with ${error.details.issues.length} issues:`);
    for (const issue of error.details.issues) {
      console.log(
        `  ${issue.source.replace(dir, '<tmp>')} | ${issue.path || '-'} | ${issue.message.replace(dir, '<tmp>')}`,
      );
    }
    console.log('secret absent from the error:', !JSON.stringify(error).includes('short-secret'));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
