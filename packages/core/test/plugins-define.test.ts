import {
  canPluginTransition,
  createPluginKey,
  definePlugin,
  isPluginDefinition,
  PLUGIN_TRANSITIONS,
  type PluginContext,
  type PluginKey,
  PluginRegistry,
  type PluginState,
} from '@msys/core/plugins';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { caught } from './plugins-fixtures.js';

interface Storage {
  read(key: string): string | undefined;
}
interface Cache {
  hits: number;
}
const StorageKey = createPluginKey<Storage>('acme.storage');

const valid = { id: 'acme.x', version: '1.0.0', kind: 'thing', init: () => 1 };

describe('definePlugin', () => {
  it('returns a frozen definition that is its own key, with requirements normalized', () => {
    const def = definePlugin({
      ...valid,
      capabilities: ['kv.read'],
      requires: [StorageKey, { key: createPluginKey<Cache>('acme.cache'), range: '^2.0.0' }],
    });
    expect(Object.isFrozen(def)).toBe(true);
    expect(Object.isFrozen(def.requires)).toBe(true);
    expect(def.requires).toEqual([{ id: 'acme.storage' }, { id: 'acme.cache', range: '^2.0.0' }]);
    expect(def.capabilities).toEqual(['kv.read']);
    expect(isPluginDefinition(def)).toBe(true);
    expect(isPluginDefinition({ ...def })).toBe(false);
    expect(definePlugin({ ...valid, id: StorageKey, init: () => ({ read: () => undefined }) }).id).toBe(
      'acme.storage',
    );
  });

  it.each([
    ['spec', null],
    ['spec.id', { ...valid, id: 'Acme' }],
    ['spec.id', { ...valid, id: '' }],
    ['spec.id', { ...valid, id: 'a..b' }],
    ['spec.id', { ...valid, id: `a${'b'.repeat(128)}` }],
    ['spec.id', { ...valid, id: 7 }],
    ['spec.version', { ...valid, version: '1.0' }],
    ['spec.version', { ...valid, version: 'v1.0.0' }],
    ['spec.version', { ...valid, version: 'latest' }],
    ['spec.kind', { ...valid, kind: '' }],
    ['spec.kind', { ...valid, kind: 'Storage Engine' }],
    ['spec.capabilities', { ...valid, capabilities: 'kv' }],
    ['spec.capabilities[1]', { ...valid, capabilities: ['kv', 'kv'] }],
    ['spec.requires[0].range', { ...valid, requires: [{ key: StorageKey, range: 'not a range!' }] }],
    ['spec.requires[0]', { ...valid, requires: [42] }],
    ['spec.requires[1]', { ...valid, requires: [StorageKey, StorageKey] }],
    ['spec.requires[0]', { ...valid, requires: [createPluginKey('acme.x')] }],
    ['spec.init', { ...valid, init: undefined }],
    ['spec.start', { ...valid, start: 'go' }],
    ['spec.stop', { ...valid, stop: {} }],
  ])('rejects a bad %s with a validation error naming it', async (path, spec) => {
    const error = await caught(() => definePlugin(spec as never));
    expect(error.code).toBe('MSYS_PLUGIN_INVALID_ARGUMENT');
    expect(error.category).toBe('validation');
    expect(error.details.path).toBe(path);
  });

  it('accepts SemVer 2.0 versions with pre-release and build parts', () => {
    expect(definePlugin({ ...valid, version: '2.0.0-rc.1+build.5' }).version).toBe('2.0.0-rc.1+build.5');
  });

  it('createPluginKey validates the id', async () => {
    expect(createPluginKey('ledger/audit-log').id).toBe('ledger/audit-log');
    const error = await caught(() => createPluginKey('Not An Id'));
    expect(error.code).toBe('MSYS_PLUGIN_INVALID_ARGUMENT');
    expect(error.details.path).toBe('id');
  });
});

describe('lifecycle table', () => {
  it('canPluginTransition agrees with PLUGIN_TRANSITIONS and unloaded is terminal', () => {
    const states: PluginState[] = ['loaded', 'ready', 'active', 'paused', 'failed', 'unloaded'];
    let edges = 0;
    for (const [operation, from] of Object.entries(PLUGIN_TRANSITIONS)) {
      for (const state of states) {
        const exists = Object.hasOwn(from, state);
        expect(canPluginTransition(state, operation as keyof typeof PLUGIN_TRANSITIONS)).toBe(exists);
        if (exists) edges++;
      }
    }
    expect(edges).toBe(12);
    expect(states.filter((s) => s !== 'unloaded').every((s) => canPluginTransition(s, 'unload'))).toBe(true);
    expect(Object.values(PLUGIN_TRANSITIONS).some((from) => Object.hasOwn(from, 'unloaded'))).toBe(false);
  });
});

describe('types', () => {
  it('registry.get returns the api of the key without casts', async () => {
    const registry = new PluginRegistry();
    const storage = definePlugin({
      id: StorageKey,
      version: '1.0.0',
      kind: 'storage',
      init: () => ({ read: (_k: string) => undefined as string | undefined }),
    });
    const cache = definePlugin({
      id: 'acme.cache',
      version: '1.0.0',
      kind: 'cache',
      requires: [StorageKey],
      init: async (ctx) => {
        expectTypeOf(ctx.get(StorageKey)).toEqualTypeOf<Storage>();
        return { hits: 0 } satisfies Cache;
      },
      start: (ctx) => {
        expectTypeOf(ctx.api).toEqualTypeOf<{ hits: number }>();
        expectTypeOf(ctx).toEqualTypeOf<PluginContext<{ hits: number }>>();
      },
    });
    registry.register(storage);
    expectTypeOf(registry.register(cache)).toEqualTypeOf<PluginKey<{ hits: number }>>();
    await registry.startAll();
    expectTypeOf(storage).toExtend<PluginKey<Storage>>();
    expectTypeOf(cache).toExtend<PluginKey<{ hits: number }>>();
    expectTypeOf(registry.get(StorageKey)).toEqualTypeOf<Storage>();
    expectTypeOf(registry.get(cache)).toEqualTypeOf<{ hits: number }>();
    expectTypeOf(registry.tryGet(cache)).toEqualTypeOf<{ hits: number } | undefined>();
    expectTypeOf<PluginKey<Storage>>().not.toEqualTypeOf<PluginKey<Cache>>();
    // A key fixes the api: init must return it.
    // @ts-expect-error init returns a Cache, the key says Storage
    definePlugin({ id: StorageKey, version: '1.0.0', kind: 'storage', init: () => ({ hits: 1 }) });
    expect(registry.get(cache)).toEqual({ hits: 0 });
  });
});
