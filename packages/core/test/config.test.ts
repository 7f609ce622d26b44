import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { type ConfigIssue, configErrors, defineConfig } from '../src/config/index.js';
import { isSystemError, SystemError } from '../src/errors/index.js';

const dir = mkdtempSync(join(tmpdir(), 'msys-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const schema = z.object({
  name: z.string(),
  ledger: z.object({
    port: z.number().int(),
    host: z.string(),
    peers: z.array(z.string()),
    tls: z.boolean(),
  }),
  level: z.enum(['debug', 'info', 'warn']),
});
const appConfig = defineConfig(schema);
const defaults = {
  name: 'node',
  ledger: { port: 7000, host: 'localhost', peers: [], tls: false },
  level: 'info',
} as const;

async function issuesOf(run: () => Promise<unknown> | unknown): Promise<ConfigIssue[]> {
  try {
    await run();
  } catch (e) {
    if (configErrors.MSYS_CONFIG_INVALID.is(e)) return [...e.details.issues];
    throw e;
  }
  throw new Error('expected MSYS_CONFIG_INVALID');
}

describe('load: layering', () => {
  it('returns the defaults validated when no other source is given', async () => {
    const config = await appConfig.load({ defaults, env: {} });
    expect(config).toEqual({ ...defaults, ledger: { ...defaults.ledger } });
  });

  it('applies defaults < files in order < profile < env < overrides', async () => {
    const toml = file(
      'layers.toml',
      `name = "from-toml"\n[ledger]\nport = 7100\nhost = "toml-host"\n[profile.prod.ledger]\nport = 7200\ntls = true\n`,
    );
    const json = file(
      'layers.json',
      JSON.stringify({ ledger: { host: 'json-host' }, profile: { prod: { name: 'json-prod' } } }),
    );
    const config = await appConfig.load({
      defaults,
      files: [toml, json],
      profile: 'prod',
      env: { MSYS_LEDGER__PORT: '7300', MSYS_LEVEL: 'warn' },
      overrides: { level: 'debug' },
    });
    expect(config).toEqual({
      name: 'json-prod', // json's profile section over the toml base
      ledger: { port: 7300, host: 'json-host', peers: [], tls: true },
      level: 'debug',
    });
  });

  it('takes a later file over an earlier one, key by key, and replaces arrays whole', async () => {
    const a = file('a.json', JSON.stringify({ ledger: { peers: ['a', 'b', 'c'], host: 'a' } }));
    const b = file('b.toml', 'ledger.peers = ["z"]\n');
    const config = await appConfig.load({ defaults, files: [a, b], env: {} });
    expect(config.ledger.peers).toEqual(['z']);
    expect(config.ledger.host).toBe('a');
  });

  it('ignores profile sections unless a profile is chosen', async () => {
    const toml = file('profiles.toml', '[profile.dev]\nname = "dev"\n');
    expect((await appConfig.load({ defaults, files: [toml], env: {} })).name).toBe('node');
    expect((await appConfig.load({ defaults, files: [toml], env: {}, profile: 'dev' })).name).toBe('dev');
  });

  it('resolves relative paths against cwd', async () => {
    file('relative.toml', 'name = "rel"\n');
    const config = await appConfig.load({ defaults, files: ['relative.toml'], cwd: dir, env: {} });
    expect(config.name).toBe('rel');
  });

  it('skips a missing optional file and reports a missing required one', async () => {
    const missing = join(dir, 'nope.toml');
    const config = await appConfig.load({ defaults, files: [{ path: missing, optional: true }], env: {} });
    expect(config.name).toBe('node');
    const issues = await issuesOf(() => appConfig.load({ defaults, files: [missing], env: {} }));
    expect(issues).toEqual([{ path: '', source: missing, message: expect.stringContaining('not found') }]);
  });

  it('parses a file of another extension when format is given', async () => {
    const conf = file('settings.conf', 'name = "conf"\n');
    expect((await appConfig.load({ defaults, files: [{ path: conf, format: 'toml' }], env: {} })).name).toBe(
      'conf',
    );
  });

  it('returns the schema output, typed and deeply frozen', async () => {
    const withTransform = defineConfig(
      z.object({ port: z.coerce.number(), tags: z.array(z.string()).default(['x']) }),
    );
    const config = await withTransform.load({ defaults: { port: '80' }, env: {} });
    expectTypeOf(config).toEqualTypeOf<{ readonly port: number; readonly tags: readonly string[] }>();
    expect(config).toEqual({ port: 80, tags: ['x'] });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.tags)).toBe(true);
    expect(() => {
      (config.tags as string[]).push('y');
    }).toThrow(TypeError);
  });

  it('never shares or freezes the caller’s objects', async () => {
    const mine = {
      name: 'n',
      ledger: { port: 1, host: 'h', peers: ['p'], tls: false },
      level: 'info' as const,
    };
    const passthrough = defineConfig(z.looseObject({}));
    const config = await passthrough.load({ defaults: mine, env: {} });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(mine.ledger.peers)).toBe(false);
    expect(config.ledger).not.toBe(mine.ledger);
  });

  it('does not let a __proto__ key in a file reach the prototype', async () => {
    const evil = file('proto.json', '{"__proto__": {"polluted": true}, "name": "x"}');
    const loose = defineConfig(z.looseObject({ name: z.string() }));
    const config = await loose.load({ files: [evil], env: {} });
    expect(config.name).toBe('x');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(config)).toBe(Object.prototype);
  });
});

describe('load: problems are reported together, each with its source', () => {
  it('collects parse errors, an unknown profile is held back, and schema issues from every source', async () => {
    const badToml = file('bad.toml', 'name = "x"\nport = = 1\n');
    const badJson = file('bad.json', '{"ledger": {"port": 1,}}');
    const wrongType = file('wrong.toml', '[ledger]\nport = "seven"\n');
    const issues = await issuesOf(() =>
      appConfig.load({
        defaults,
        files: [badToml, badJson, wrongType],
        env: { MSYS_LEDGER__TLS: 'maybe', MSYS_LEVEL: 'loud' },
      }),
    );
    expect(issues).toEqual([
      { path: '', source: badToml, message: expect.stringMatching(/^invalid TOML at line 2, column \d+/) },
      { path: '', source: badJson, message: expect.stringMatching(/^invalid JSON/) },
      { path: 'ledger.tls', source: 'env MSYS_LEDGER__TLS', message: expect.stringContaining('boolean') },
      { path: 'ledger.port', source: wrongType, message: expect.any(String) },
      { path: 'level', source: 'env MSYS_LEVEL', message: expect.any(String) },
    ]);
  });

  it('is one SystemError with code MSYS_CONFIG_INVALID and category config whose message lists the sources', async () => {
    const wrongType = file('port.toml', '[ledger]\nport = "seven"\n');
    const error = await appConfig.load({ defaults, files: [wrongType], env: {} }).catch((e: unknown) => e);
    expect(isSystemError(error)).toBe(true);
    const e = error as SystemError;
    expect(e.code).toBe('MSYS_CONFIG_INVALID');
    expect(e.category).toBe('config');
    expect(e.message).toContain(`${wrongType}: ledger.port:`);
    const roundTrip = SystemError.fromJSON(JSON.parse(JSON.stringify(e)) as never);
    expect(roundTrip.details).toEqual(e.details);
  });

  it('reports an unknown profile with the profiles the files define', async () => {
    const toml = file('known.toml', '[profile.dev]\nname = "d"\n[profile.test]\nname = "t"\n');
    const issues = await issuesOf(() =>
      appConfig.load({ defaults, files: [toml], profile: 'prod', env: {} }),
    );
    expect(issues).toEqual([
      { path: '', source: 'options.profile', message: expect.stringContaining('dev, test') },
    ]);
  });

  it('names the env variable as the source of a schema issue on a key it set', async () => {
    const issues = await issuesOf(() => appConfig.load({ defaults, env: { MSYS_LEDGER__PORT: '7.5' } }));
    expect(issues).toEqual([
      { path: 'ledger.port', source: 'env MSYS_LEDGER__PORT', message: expect.any(String) },
    ]);
  });

  it('names overrides, defaults and (unset) as sources', async () => {
    const issues = await issuesOf(() =>
      appConfig.load({
        defaults: { ...defaults, name: 3 as unknown as string },
        overrides: { level: 'x' as never },
        env: {},
      }),
    );
    expect(issues.map((i) => [i.path, i.source])).toEqual([
      ['name', 'defaults'],
      ['level', 'overrides'],
    ]);
    const unset = await issuesOf(() =>
      appConfig.load({ defaults: { ...defaults, name: undefined }, env: {} }),
    );
    expect(unset).toEqual([{ path: 'name', source: '(unset)', message: expect.any(String) }]);
  });

  it('attributes an unrecognized key of a strict schema to the source that set it', async () => {
    const strict = defineConfig(z.strictObject({ port: z.number() }));
    const extra = file('extra.json', '{"port": 1, "prot": 2}');
    const issues = await issuesOf(() => strict.load({ files: [extra], env: {} }));
    expect(issues).toEqual([{ path: '', source: extra, message: expect.stringContaining('prot') }]);
  });

  it('reports a document that is not a table, and a profile that is not a table', async () => {
    const list = file('list.json', '[1, 2]');
    const badProfile = file('badprofile.toml', 'profile = 3\n');
    const issues = await issuesOf(() => appConfig.load({ defaults, files: [list, badProfile], env: {} }));
    expect(issues.map((i) => [i.source, i.path])).toEqual([
      [list, ''],
      [badProfile, 'profile'],
    ]);
  });
});

describe('async schemas', () => {
  const asyncSchema = z.object({ port: z.number().refine(async (p) => p > 1024, 'must be unprivileged') });
  const asyncConfig = defineConfig(asyncSchema);

  it('load awaits them', async () => {
    expect(await asyncConfig.load({ defaults: { port: 8080 }, env: {} })).toEqual({ port: 8080 });
    const issues = await issuesOf(() => asyncConfig.load({ defaults: { port: 80 }, env: {} }));
    expect(issues).toEqual([{ path: 'port', source: 'defaults', message: 'must be unprivileged' }]);
  });

  it('loadSync rejects them with MSYS_CONFIG_ASYNC_SCHEMA', () => {
    let error: unknown;
    try {
      asyncConfig.loadSync({ defaults: { port: 8080 }, env: {} });
    } catch (e) {
      error = e;
    }
    expect(configErrors.MSYS_CONFIG_ASYNC_SCHEMA.is(error)).toBe(true);
    expect((error as SystemError).category).toBe('unsupported');
  });

  it('loadSync gives the same result as load for sync schemas', async () => {
    const toml = file('same.toml', '[ledger]\nport = 9000\n');
    const options = { defaults, files: [toml], env: { MSYS_LEDGER__PEERS: 'a,b' } };
    expect(appConfig.loadSync(options)).toEqual(await appConfig.load(options));
    expect(Object.isFrozen(appConfig.loadSync(options).ledger)).toBe(true);
  });
});

describe('bad options → MSYS_CONFIG_INVALID_OPTION (validation)', () => {
  const cases: [string, () => unknown][] = [
    ['schema', () => defineConfig({} as never)],
    ['options.secrets[0]', () => defineConfig(schema, { secrets: ['a..b'] })],
    ['options.jsonSchema', () => defineConfig(schema, { jsonSchema: 3 as never })],
    ['options.extra', () => defineConfig(schema, { extra: 1 } as never)],
    ['options', () => appConfig.loadSync(3 as never)],
    ['options.file', () => appConfig.loadSync({ file: 'x.toml' } as never)],
    ['options.files', () => appConfig.loadSync({ files: 'x.toml' as never })],
    ['options.files[0].path', () => appConfig.loadSync({ files: ['config.yaml'] })],
    ['options.files[0].path', () => appConfig.loadSync({ files: [{ path: '' }] })],
    [
      'options.files[0].optional',
      () => appConfig.loadSync({ files: [{ path: 'a.json', optional: 'yes' as never }] }),
    ],
    [
      'options.files[0].format',
      () => appConfig.loadSync({ files: [{ path: 'a', format: 'yaml' as never }] }),
    ],
    ['options.env', () => appConfig.loadSync({ env: 'x' as never })],
    ['options.env.MSYS_X', () => appConfig.loadSync({ env: { MSYS_X: 5 as never } })],
    ['options.envPrefix', () => appConfig.loadSync({ envPrefix: 5 as never })],
    ['options.profile', () => appConfig.loadSync({ profile: '' })],
    ['options.defaults', () => appConfig.loadSync({ defaults: [] as never })],
    ['options.overrides', () => appConfig.loadSync({ overrides: new Map() as never })],
    ['options.secrets', () => appConfig.loadSync({ secrets: 'a' as never })],
    ['options.cwd', () => appConfig.loadSync({ cwd: '' })],
    ['options.logger', () => appConfig.loadSync({ logger: {} as never })],
  ];
  it.each(cases)('%s', (path, run) => {
    let error: unknown;
    try {
      run();
    } catch (e) {
      error = e;
    }
    expect(configErrors.MSYS_CONFIG_INVALID_OPTION.is(error)).toBe(true);
    expect((error as SystemError).category).toBe('validation');
    expect((error as SystemError).details.path).toBe(path);
  });

  it('load rejects (does not throw synchronously) on bad options', async () => {
    await expect(appConfig.load({ cwd: '' })).rejects.toMatchObject({ code: 'MSYS_CONFIG_INVALID_OPTION' });
  });
});
