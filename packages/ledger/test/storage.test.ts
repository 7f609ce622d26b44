import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LevelStore, MemoryStore } from '../src/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe.each([
  [
    'LevelStore',
    async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'msys-ledger-store-'));
      dirs.push(dir);
      return { store: await LevelStore.open(dir), reopen: () => LevelStore.open(dir) };
    },
  ],
  ['MemoryStore', async () => ({ store: new MemoryStore(), reopen: undefined })],
] as const)('%s', (_name, make) => {
  it('applies batches atomically and scans prefixes in key order', async () => {
    const { store, reopen } = await make();
    await store.write([
      { key: 'e/0000000000000002', value: 'c' },
      { key: 'e/0000000000000000', value: 'a' },
      { key: 'e/0000000000000001', value: 'b' },
      { key: 'm/meta', value: '{}' },
    ]);
    await store.write([{ key: 'e/0000000000000001' }]);
    const seen: string[] = [];
    for await (const [, v] of store.scan('e/')) seen.push(v);
    expect(seen).toEqual(['a', 'c']);
    expect(await store.get('m/meta')).toBe('{}');
    expect(await store.get('missing')).toBeUndefined();
    await store.close();
    if (reopen) {
      const again = await reopen();
      expect(await again.get('e/0000000000000002')).toBe('c');
      await again.close();
    }
  });
});

it('LevelStore refuses a directory another handle holds, with an io SystemError', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'msys-ledger-store-'));
  dirs.push(dir);
  const a = await LevelStore.open(dir);
  await expect(LevelStore.open(dir)).rejects.toMatchObject({ code: 'MSYS_LEDGER_STORAGE', category: 'io' });
  await a.close();
});
