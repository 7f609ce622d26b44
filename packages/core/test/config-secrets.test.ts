import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configErrors, defineConfig, REDACTED } from '../src/config/index.js';
import type { SystemError } from '../src/errors/index.js';

const dir = mkdtempSync(join(tmpdir(), 'msys-config-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const SECRET = 'hunter2-s3cr3t-value';
const schema = z.object({
  ledger: z.object({
    port: z.number(),
    token: z.string().superRefine((v, ctx) => {
      if (v.startsWith('hunter')) ctx.addIssue({ code: 'custom', message: `token ${v} is revoked` });
    }),
  }),
  pin: z.number().optional(),
});
const appConfig = defineConfig(schema, { secrets: ['ledger.token', 'pin'] });

async function failure(
  run: () => Promise<unknown>,
): Promise<ReturnType<typeof configErrors.MSYS_CONFIG_INVALID>> {
  const error = await run().catch((e: unknown) => e);
  if (!configErrors.MSYS_CONFIG_INVALID.is(error)) throw new Error('expected MSYS_CONFIG_INVALID');
  return error;
}

function expectNoSecret(error: SystemError, secret: string): void {
  expect(error.message).not.toContain(secret);
  expect(JSON.stringify(error)).not.toContain(secret);
  expect(JSON.stringify(error.details)).not.toContain(secret);
  expect(String(error.stack)).not.toContain(secret);
}

describe('secret values never appear in errors', () => {
  it('scrubs a schema message that echoes the secret (from a file)', async () => {
    const toml = file('token.toml', `[ledger]\nport = 1\ntoken = "${SECRET}"\n`);
    const error = await failure(() => appConfig.load({ files: [toml], env: {} }));
    expect(error.details.issues).toEqual([
      { path: 'ledger.token', source: toml, message: `token ${REDACTED} is revoked` },
    ]);
    expectNoSecret(error, SECRET);
  });

  it('scrubs a secret set by env, defaults or overrides', async () => {
    for (const options of [
      { defaults: { ledger: { port: 1 } }, env: { MSYS_LEDGER__TOKEN: SECRET } },
      { defaults: { ledger: { port: 1, token: SECRET } }, env: {} },
      { defaults: { ledger: { port: 1 } }, overrides: { ledger: { token: SECRET } }, env: {} },
    ]) {
      const error = await failure(() => appConfig.load(options));
      expect(error.details.issues).toHaveLength(1);
      expectNoSecret(error, SECRET);
    }
  });

  it('does not quote a broken line of a file that holds a secret', async () => {
    const toml = file('broken.toml', `[ledger]\ntoken = "${SECRET}" oops\n`);
    const json = file('broken.json', `{"ledger": {"token": ${SECRET}}}`);
    const error = await failure(() => appConfig.load({ files: [toml, json], env: {} }));
    expect(error.details.issues.slice(0, 2).map((i) => i.source)).toEqual([toml, json]);
    expectNoSecret(error, SECRET);
    expectNoSecret(error, 'hunter2');
  });

  it('does not quote an env value it could not coerce for a secret key', async () => {
    const error = await failure(() =>
      appConfig.load({ defaults: { ledger: { port: 1, token: 'fine' } }, env: { MSYS_PIN: '12ab-34cd' } }),
    );
    expect(error.details.issues).toEqual([
      { path: 'pin', source: 'env MSYS_PIN', message: expect.stringContaining('number') },
    ]);
    expectNoSecret(error, '12ab-34cd');
  });

  it('scrubs secrets given whole as JSON through a parent variable', async () => {
    const error = await failure(() =>
      appConfig.load({ env: { MSYS_LEDGER: JSON.stringify({ port: 2, token: SECRET }) } }),
    );
    expectNoSecret(error, SECRET);
  });

  it('takes extra secret paths per load', async () => {
    const open = defineConfig(
      z.object({ apiKey: z.string().min(40, { error: (i) => `${String(i.input)} is short` }) }),
    );
    const error = await failure(() =>
      open.load({ defaults: { apiKey: SECRET }, secrets: ['apiKey'], env: {} }),
    );
    expectNoSecret(error, SECRET);
    const leaky = await failure(() => open.load({ defaults: { apiKey: SECRET }, env: {} }));
    expect(leaky.message).toContain(SECRET); // the control: without the mark, zod's message does echo it
  });
});

describe('marking secrets', () => {
  it('reads writeOnly keys from the JSON Schema (zod .meta({ writeOnly: true }))', async () => {
    const marked = defineConfig(
      z.object({
        db: z.object({ password: z.string().meta({ writeOnly: true }), host: z.string() }),
        peers: z.array(z.object({ key: z.string().meta({ writeOnly: true }) })),
        vault: z.record(z.string(), z.string().meta({ writeOnly: true })),
      }),
    );
    expect([...marked.secrets].sort()).toEqual(['db.password', 'peers.*.key', 'vault.*']);
    const config = await marked.load({
      defaults: { db: { password: 'pw1', host: 'h' }, peers: [{ key: 'k1' }], vault: { a: 'v1' } },
      env: {},
    });
    expect(marked.redact(config)).toEqual({
      db: { password: REDACTED, host: 'h' },
      peers: [{ key: REDACTED }],
      vault: { a: REDACTED },
    });
    expect(config.db.password).toBe('pw1');
  });

  it('redact covers everything below a secret path and accepts extra paths', () => {
    expect(appConfig.redact({ ledger: { port: 1, token: { a: 1 } }, other: 'x' }, ['other'])).toEqual({
      ledger: { port: 1, token: REDACTED },
      other: REDACTED,
    });
  });
});

describe('logging', () => {
  it('logs the sources and the redacted config at debug, without the secret', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino({ level: 'debug' }, sink);
    const config = await appConfig.load({
      defaults: { ledger: { port: 1 } },
      env: { MSYS_LEDGER__TOKEN: 'fine-token-xyz', MSYS_VECTORS: '/somewhere' },
      logger,
    });
    expect(config.ledger.token).toBe('fine-token-xyz');
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(record).toMatchObject({
      msg: 'configuration loaded',
      sources: ['defaults', 'env MSYS_LEDGER__TOKEN'],
      ignoredEnv: ['MSYS_VECTORS'],
      config: { ledger: { port: 1, token: REDACTED } },
    });
    expect(lines.join('')).not.toContain('fine-token-xyz');
  });
});
