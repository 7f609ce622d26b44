import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify as toToml } from 'smol-toml';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configErrors, defineConfig } from '../src/config/index.js';
import { jsonErrorOffset } from '../src/config/json-position.js';

const dir = mkdtempSync(join(tmpdir(), 'msys-config-prop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The layers in increasing precedence, as documented on ConfigDefinition.load.
const LAYERS = ['defaults', 'file1', 'file2', 'file1Profile', 'file2Profile', 'env', 'overrides'] as const;
type LayerName = (typeof LAYERS)[number];
const KEYS = ['alpha', 'beta', 'gamma', 'delta'] as const;

const schema = z.object({
  node: z.object(Object.fromEntries(KEYS.map((k) => [k, z.number().int().optional()]))),
});
const definition = defineConfig(schema);

/** For each key, the value each layer sets (or undefined). */
const assignment = fc.record(
  Object.fromEntries(
    KEYS.map((k) => [
      k,
      fc.record(Object.fromEntries(LAYERS.map((l) => [l, fc.option(fc.integer(), { nil: undefined })]))),
    ]),
  ) as Record<(typeof KEYS)[number], fc.Arbitrary<Record<LayerName, number | undefined>>>,
);

function layer(
  values: Record<string, Record<LayerName, number | undefined>>,
  name: LayerName,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, byLayer] of Object.entries(values)) {
    const v = byLayer[name];
    if (v !== undefined) out[key] = v;
  }
  return out;
}

let run = 0;
describe('precedence', () => {
  it('the highest layer that sets a key decides its value', () => {
    fc.assert(
      fc.property(assignment, (values) => {
        run++;
        const file1 = join(dir, `one-${run}.toml`);
        const file2 = join(dir, `two-${run}.json`);
        writeFileSync(
          file1,
          toToml({
            node: layer(values, 'file1'),
            profile: { prod: { node: layer(values, 'file1Profile') } },
          }),
        );
        writeFileSync(
          file2,
          JSON.stringify({
            node: layer(values, 'file2'),
            profile: { prod: { node: layer(values, 'file2Profile') } },
          }),
        );
        const env: Record<string, string> = {};
        for (const [k, v] of Object.entries(layer(values, 'env')))
          env[`MSYS_NODE__${k.toUpperCase()}`] = String(v);
        const config = definition.loadSync({
          defaults: { node: layer(values, 'defaults') },
          files: [file1, file2],
          profile: 'prod',
          env,
          overrides: { node: layer(values, 'overrides') },
        });
        for (const key of KEYS) {
          const winner = [...LAYERS].reverse().find((l) => values[key][l] !== undefined);
          expect(config.node[key]).toBe(winner === undefined ? undefined : values[key][winner]);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('environment coercion', () => {
  const typed = defineConfig(
    z.object({
      n: z.number(),
      b: z.boolean(),
      list: z.array(z.string()),
      nums: z.array(z.number()),
      obj: z.record(z.string(), z.unknown()),
    }),
  );
  it('round-trips numbers, booleans, lists and JSON objects through strings', () => {
    const item = fc
      .string({ minLength: 1 })
      // a value starting with `[` is read as a JSON array, by design
      .filter((s) => !s.includes(',') && s.trim() === s && !s.startsWith('['));
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)),
        fc.boolean(),
        fc.array(item),
        fc.array(fc.integer()),
        // zod's record output assigns keys, so a `__proto__` key would not survive the schema (not the loader)
        fc.dictionary(
          fc.string().filter((k) => k !== '__proto__'),
          fc.jsonValue(),
        ),
        (n, b, list, nums, obj) => {
          const config = typed.loadSync({
            env: {
              MSYS_N: String(n),
              MSYS_B: String(b),
              MSYS_LIST: list.join(','),
              MSYS_NUMS: JSON.stringify(nums),
              MSYS_OBJ: JSON.stringify(obj),
            },
          });
          expect(config).toEqual({ n, b, list, nums, obj: JSON.parse(JSON.stringify(obj)) });
        },
      ),
    );
  });
});

describe('secrets', () => {
  const guarded = defineConfig(
    z.object({
      token: z
        .string()
        .refine((v) => v.length > 100, { error: (issue) => `token ${String(issue.input)} too short` }),
      port: z.number(),
    }),
    { secrets: ['token'] },
  );
  it('a secret never appears in the error, whatever it is and wherever it came from', () => {
    const secret = fc
      .string({ minLength: 6, maxLength: 40 })
      .filter((s) => s.trim() === s && s.trim() !== '');
    fc.assert(
      fc.property(secret, fc.constantFrom('defaults', 'env', 'overrides'), (token, where) => {
        const options =
          where === 'env'
            ? { env: { MSYS_TOKEN: token, MSYS_PORT: 'x' } }
            : { [where]: { token }, env: { MSYS_PORT: 'x' } };
        let error: unknown;
        try {
          guarded.loadSync(options);
        } catch (e) {
          error = e;
        }
        expect(configErrors.MSYS_CONFIG_INVALID.is(error)).toBe(true);
        const e = error as Error;
        expect(e.message).not.toContain(token);
        expect(JSON.stringify(e)).not.toContain(JSON.stringify(token).slice(1, -1));
      }),
    );
  });
});

describe('JSON error positions', () => {
  it('accepts every valid JSON text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        expect(jsonErrorOffset(text)).toBe(text.length);
      }),
    );
  });

  it('agrees with V8 where V8 reports a position', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.nat(),
        fc.constantFrom('}', ']', ',', ':', 'x', '"'),
        (value, at, junk) => {
          const valid = JSON.stringify(value);
          const cut = at % (valid.length + 1);
          const text = valid.slice(0, cut) + junk + valid.slice(cut);
          let message = '';
          try {
            JSON.parse(text);
            return;
          } catch (e) {
            message = (e as Error).message;
          }
          const reported = /at position (\d+)/.exec(message);
          if (reported) expect(jsonErrorOffset(text)).toBe(Number(reported[1]));
          else expect(jsonErrorOffset(text)).toBeLessThanOrEqual(text.length);
        },
      ),
    );
  });
});
