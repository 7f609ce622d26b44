import type { StandardSchemaV1 } from '@standard-schema/spec';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { type ConfigIssue, configErrors, defineConfig } from '../src/config/index.js';

const schema = z.object({
  ledger: z.object({
    port: z.number().int(),
    peers: z.array(z.string()),
    weights: z.array(z.number()).optional(),
    peerTimeoutMs: z.number().optional(),
    tls: z.boolean().optional(),
    zip: z.string().optional(),
    either: z.union([z.number(), z.string()]).optional(),
    maybe: z.number().nullable().optional(),
    limits: z.object({ max: z.number() }).optional(),
  }),
  labels: z.record(z.string(), z.string()).optional(),
});
const appConfig = defineConfig(schema);
const defaults = { ledger: { port: 1, peers: [] } };
const ledgerFrom = (env: Record<string, string>) => appConfig.loadSync({ defaults, env }).ledger;

function issuesOf(run: () => unknown): ConfigIssue[] {
  try {
    run();
  } catch (e) {
    if (configErrors.MSYS_CONFIG_INVALID.is(e)) return [...e.details.issues];
    throw e;
  }
  throw new Error('expected MSYS_CONFIG_INVALID');
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('env: key paths', () => {
  it('maps __ to nesting and matches keys ignoring case and underscores', () => {
    expect(ledgerFrom({ MSYS_LEDGER__PORT: '7001', MSYS_LEDGER__PEER_TIMEOUT_MS: '250' })).toMatchObject({
      port: 7001,
      peerTimeoutMs: 250,
    });
    expect(ledgerFrom({ MSYS_ledger__Port: '7002' }).port).toBe(7002);
  });

  it('lower-camel-cases keys it cannot match (record keys)', () => {
    const config = appConfig.loadSync({ defaults, env: { MSYS_LABELS__EU_WEST: 'x', MSYS_LABELS__us: 'y' } });
    expect(config.labels).toEqual({ euWest: 'x', us: 'y' });
  });

  it('ignores variables whose first segment is no known key, and malformed names', () => {
    const config = appConfig.loadSync({
      defaults,
      env: { MSYS_VECTORS: '/v', MSYS_LEDGER__: '1', MSYS_: 'x' },
    });
    expect(config).toEqual({ ledger: { port: 1, peers: [] } });
  });

  it('takes every prefixed variable when nothing is known about the top level', () => {
    const open = defineConfig(z.record(z.string(), z.unknown()));
    expect(open.loadSync({ env: { MSYS_FOO_BAR: '1', MSYS_DEEP__KEY_NAME: 'true', OTHER: 'x' } })).toEqual({
      fooBar: 1,
      deep: { keyName: true },
    });
  });

  it('lets a deeper variable win over a JSON object set through its parent', () => {
    expect(ledgerFrom({ MSYS_LEDGER: '{"port": 5, "peers": ["a"]}', MSYS_LEDGER__PORT: '6' })).toMatchObject({
      port: 6,
      peers: ['a'],
    });
  });

  it('refuses to patch an array by index and says how to set it', () => {
    const issues = issuesOf(() => ledgerFrom({ MSYS_LEDGER__PEERS__0: 'a' }));
    expect(issues).toEqual([
      {
        path: 'ledger.peers.0',
        source: 'env MSYS_LEDGER__PEERS__0',
        message: expect.stringContaining('MSYS_LEDGER__PEERS '),
      },
    ]);
  });

  it('honours envPrefix, including an empty one', () => {
    expect(
      appConfig.loadSync({
        defaults,
        env: { APP_LEDGER__PORT: '9', MSYS_LEDGER__PORT: '8' },
        envPrefix: 'APP_',
      }).ledger.port,
    ).toBe(9);
    expect(
      appConfig.loadSync({ defaults, env: { LEDGER__PORT: '10', PATH: '/bin' }, envPrefix: '' }).ledger.port,
    ).toBe(10);
  });

  it('reads process.env by default', () => {
    vi.stubEnv('MSYS_LEDGER__PORT', '4242');
    expect(appConfig.loadSync({ defaults }).ledger.port).toBe(4242);
  });
});

describe('env: coercion by the schema’s JSON types', () => {
  it('numbers, booleans, strings that look like numbers', () => {
    expect(ledgerFrom({ MSYS_LEDGER__PORT: ' 8080 ', MSYS_LEDGER__ZIP: '007' })).toMatchObject({
      port: 8080,
      zip: '007',
    });
    for (const [raw, value] of [
      ['true', true],
      ['YES', true],
      ['on', true],
      ['1', true],
      ['false', false],
      ['no', false],
      ['Off', false],
      ['0', false],
    ] as const) {
      expect(ledgerFrom({ MSYS_LEDGER__TLS: raw }).tls).toBe(value);
    }
  });

  it('arrays from comma lists (items coerced) or JSON; empty is []', () => {
    expect(ledgerFrom({ MSYS_LEDGER__PEERS: 'a:7000, b:7000 ,c' }).peers).toEqual(['a:7000', 'b:7000', 'c']);
    expect(ledgerFrom({ MSYS_LEDGER__PEERS: '["x,y", "z"]' }).peers).toEqual(['x,y', 'z']);
    expect(ledgerFrom({ MSYS_LEDGER__WEIGHTS: '1, 2.5,-3' }).weights).toEqual([1, 2.5, -3]);
    expect(ledgerFrom({ MSYS_LEDGER__PEERS: '' }).peers).toEqual([]);
  });

  it('objects from JSON, unions in order, null for nullable keys', () => {
    expect(ledgerFrom({ MSYS_LEDGER__LIMITS: '{"max": 3}' }).limits).toEqual({ max: 3 });
    expect(ledgerFrom({ MSYS_LEDGER__EITHER: '12' }).either).toBe(12);
    expect(ledgerFrom({ MSYS_LEDGER__EITHER: 'twelve' }).either).toBe('twelve');
    expect(ledgerFrom({ MSYS_LEDGER__MAYBE: 'null' }).maybe).toBeNull();
  });

  it('reports what it cannot coerce, every variable at once', () => {
    const issues = issuesOf(() =>
      ledgerFrom({
        MSYS_LEDGER__PORT: 'eighty',
        MSYS_LEDGER__TLS: 'maybe',
        MSYS_LEDGER__WEIGHTS: '1,x',
        MSYS_LEDGER__LIMITS: '{"max": }',
      }),
    );
    expect(issues.map((i) => [i.path, i.source])).toEqual([
      ['ledger.limits', 'env MSYS_LEDGER__LIMITS'],
      ['ledger.port', 'env MSYS_LEDGER__PORT'],
      ['ledger.tls', 'env MSYS_LEDGER__TLS'],
      ['ledger.weights', 'env MSYS_LEDGER__WEIGHTS'],
    ]);
    expect(issues[1]?.message).toBe('expected a number, received "eighty"');
    expect(issues[0]?.message).toMatch(/^invalid JSON at line 1, column \d+/);
  });
});

describe('env: coercion without a JSON Schema', () => {
  // A hand-written Standard Schema validator: no ~standard.jsonSchema, so the defaults' types decide.
  const passthrough: StandardSchemaV1<Record<string, unknown>> = {
    '~standard': {
      version: 1,
      vendor: 'test',
      validate: (value) => ({ value: value as Record<string, unknown> }),
    },
  };
  const plain = defineConfig(passthrough);

  it('follows the types of the defaults', () => {
    const config = plain.loadSync({
      defaults: { port: 1, tls: false, hosts: ['a'], ports: [1], name: 'n', nested: { deep: 0 } },
      env: {
        MSYS_PORT: '2',
        MSYS_TLS: 'yes',
        MSYS_HOSTS: 'b,c',
        MSYS_PORTS: '3,4',
        MSYS_NAME: '123',
        MSYS_NESTED__DEEP: '5',
      },
    });
    expect(config).toEqual({
      port: 2,
      tls: true,
      hosts: ['b', 'c'],
      ports: [3, 4],
      name: '123',
      nested: { deep: 5 },
    });
  });

  it('uses a JSON Schema given in the options', () => {
    const typed = defineConfig(passthrough, {
      jsonSchema: {
        type: 'object',
        properties: { retries: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } } },
      },
    });
    expect(typed.loadSync({ env: { MSYS_RETRIES: '3', MSYS_TAGS: '1,2', MSYS_OTHER: 'x' } })).toEqual({
      retries: 3,
      tags: ['1', '2'],
    });
  });

  it('guesses booleans, plain decimals and JSON when nothing is known about a key', () => {
    const config = plain.loadSync({
      defaults: { known: {} },
      env: {
        MSYS_KNOWN__A: 'true',
        MSYS_KNOWN__B: '42',
        MSYS_KNOWN__C: '007',
        MSYS_KNOWN__D: '[1,"x"]',
        MSYS_KNOWN__E: '{not json',
        MSYS_KNOWN__F: 'yes',
      },
    });
    expect(config).toEqual({ known: { a: true, b: 42, c: '007', d: [1, 'x'], e: '{not json', f: 'yes' } });
  });
});
