import { isSystemError } from '@msys/core/errors';
import {
  canPluginTransition,
  definePlugin,
  type PluginDefinition,
  type PluginOperation,
  PluginRegistry,
  type PluginSpec,
  type PluginState,
} from '@msys/core/plugins';
import { describe, expect, it } from 'vitest';
import { caught, recordEvents } from './plugins-fixtures.js';

function counted(id: string, overrides: Partial<PluginSpec<{ id: string }>> = {}) {
  const calls: string[] = [];
  const def = definePlugin({
    id,
    version: '1.0.0',
    kind: 'worker',
    capabilities: ['jobs'],
    init: () => {
      calls.push('init');
      return { id };
    },
    start: () => void calls.push('start'),
    pause: () => void calls.push('pause'),
    resume: () => void calls.push('resume'),
    stop: () => void calls.push('stop'),
    ...overrides,
  });
  return { def, calls };
}

/** Brings a fresh plugin to `state` through public operations. */
async function inState(state: PluginState) {
  const registry = new PluginRegistry();
  const boom = state === 'failed';
  const { def } = counted('acme.p', boom ? { start: () => Promise.reject(new Error('boom')) } : {});
  registry.register(def);
  if (state === 'ready') await registry.init(def);
  if (state === 'active' || state === 'paused') await registry.start(def);
  if (state === 'paused') await registry.pause(def);
  if (boom) await registry.start(def).catch(() => undefined);
  if (state === 'unloaded') await registry.unload(def);
  expect(registry.state(def)).toBe(state);
  return { registry, def };
}

describe('lifecycle', () => {
  it('walks loaded → ready → active ⇄ paused → ready → active → unloaded with one event per step', async () => {
    const registry = new PluginRegistry();
    const log = recordEvents(registry);
    const { def, calls } = counted('acme.worker');
    registry.register(def);
    expect(registry.state(def)).toBe('loaded');
    await registry.init(def);
    expect(registry.get(def)).toEqual({ id: 'acme.worker' });
    await registry.start(def);
    await registry.pause(def);
    expect(registry.get(def)).toEqual({ id: 'acme.worker' });
    await registry.resume(def);
    await registry.stop(def);
    await registry.start(def);
    await registry.unload(def);
    expect(calls).toEqual(['init', 'start', 'pause', 'resume', 'stop', 'start', 'stop']);
    expect(log).toEqual([
      'acme.worker:loaded>ready',
      'acme.worker:ready>active',
      'acme.worker:active>paused',
      'acme.worker:paused>active',
      'acme.worker:active>ready',
      'acme.worker:ready>active',
      'acme.worker:active>unloaded',
    ]);
    expect(registry.has(def)).toBe(false);
    expect((await caught(() => registry.get(def))).code).toBe('MSYS_PLUGIN_NOT_AVAILABLE');
  });

  it('start on a loaded plugin runs init and start as two transitions; missing hooks are skipped', async () => {
    const registry = new PluginRegistry();
    const log = recordEvents(registry);
    const def = definePlugin({ id: 'acme.bare', version: '0.1.0', kind: 'bare', init: () => 'api' });
    registry.register(def);
    await registry.start(def);
    await registry.pause(def);
    await registry.unload(def);
    expect(log).toEqual([
      'acme.bare:loaded>ready',
      'acme.bare:ready>active',
      'acme.bare:active>paused',
      'acme.bare:paused>unloaded',
    ]);
  });

  const states: PluginState[] = ['loaded', 'ready', 'active', 'paused', 'failed', 'unloaded'];
  const operations: PluginOperation[] = ['init', 'start', 'pause', 'resume', 'stop', 'unload'];
  const invalid = states.flatMap((s) =>
    operations.filter((o) => !canPluginTransition(s, o)).map((o) => [s, o] as const),
  );

  it.each(invalid)(
    '%s: %s throws MSYS_PLUGIN_INVALID_TRANSITION and changes nothing',
    async (state, operation) => {
      const { registry, def } = await inState(state);
      const log = recordEvents(registry);
      const error = await caught(() => registry[operation](def));
      expect(error.code).toBe('MSYS_PLUGIN_INVALID_TRANSITION');
      expect(error.category).toBe('state');
      expect(error.details).toMatchObject({ id: 'acme.p', state, operation });
      expect(registry.state(def)).toBe(state);
      expect(log).toEqual([]);
    },
  );

  it.each([
    ['init', 'loaded', (r: PluginRegistry, d: PluginDefinition<unknown>) => r.init(d)],
    ['start', 'ready', (r: PluginRegistry, d: PluginDefinition<unknown>) => r.start(d)],
    [
      'pause',
      'active',
      async (r: PluginRegistry, d: PluginDefinition<unknown>) => {
        await r.start(d);
        await r.pause(d);
      },
    ],
    [
      'resume',
      'paused',
      async (r: PluginRegistry, d: PluginDefinition<unknown>) => {
        await r.start(d);
        await r.pause(d);
        await r.resume(d);
      },
    ],
    [
      'stop',
      'active',
      async (r: PluginRegistry, d: PluginDefinition<unknown>) => {
        await r.start(d);
        await r.stop(d);
      },
    ],
  ] as const)(
    'a throwing %s hook moves the plugin from %s to failed, with the error as cause',
    async (hook, from, drive) => {
      for (const style of ['sync', 'async'] as const) {
        const original = new Error(`${hook} broke`);
        const fail =
          style === 'sync'
            ? () => {
                throw original;
              }
            : () => Promise.reject(original);
        const registry = new PluginRegistry();
        const log = recordEvents(registry);
        const { def } = counted('acme.fragile', { [hook]: fail });
        registry.register(def);
        const error = await caught(() => drive(registry, def));
        expect(error.code).toBe('MSYS_PLUGIN_HOOK_FAILED');
        expect(error.category).toBe('state');
        expect(error.cause).toBe(original);
        expect(error.details).toEqual({ id: 'acme.fragile', hook, from });
        expect(registry.state(def)).toBe('failed');
        expect(log.at(-1)).toBe(`acme.fragile:${from}>failed!MSYS_PLUGIN_HOOK_FAILED`);
        // No half state: a failed plugin has no api and accepts only unload.
        expect(registry.tryGet(def)).toBeUndefined();
        expect((await caught(() => registry.get(def))).code).toBe('MSYS_PLUGIN_NOT_AVAILABLE');
        expect((await caught(() => registry.start(def))).code).toBe('MSYS_PLUGIN_INVALID_TRANSITION');
        await registry.unload(def);
        expect(log.at(-1)).toBe('acme.fragile:failed>unloaded');
        // The id can be used again.
        registry.register(counted('acme.fragile').def);
        await registry.start(def);
        expect(registry.get(def)).toEqual({ id: 'acme.fragile' });
      }
    },
  );

  it('the failed event carries the SystemError', async () => {
    const registry = new PluginRegistry();
    const errors: unknown[] = [];
    registry.on('state', (c) => c.error !== undefined && errors.push(c.error));
    const { def } = counted('acme.p', {
      start: () => {
        throw new TypeError('bad');
      },
    });
    registry.register(def);
    await registry.start(def).catch(() => undefined);
    expect(errors).toHaveLength(1);
    expect(isSystemError(errors[0]) && errors[0].code).toBe('MSYS_PLUGIN_HOOK_FAILED');
  });

  it('off removes a listener', async () => {
    const registry = new PluginRegistry();
    const seen: string[] = [];
    const listener = (c: { to: string }) => void seen.push(c.to);
    registry.on('state', listener);
    const { def } = counted('acme.p');
    registry.register(def);
    await registry.init(def);
    registry.off('state', listener);
    await registry.start(def);
    expect(seen).toEqual(['ready']);
  });
});

describe('registry bookkeeping', () => {
  it('rejects duplicates until the id is unloaded, and anything but a definition', async () => {
    const registry = new PluginRegistry();
    const { def } = counted('acme.p');
    registry.register(def);
    const dup = await caught(() => registry.register(counted('acme.p').def));
    expect(dup.code).toBe('MSYS_PLUGIN_DUPLICATE');
    expect(dup.details).toEqual({ id: 'acme.p', state: 'loaded' });
    const bad = await caught(() => registry.register({ id: 'acme.q' } as never));
    expect(bad.code).toBe('MSYS_PLUGIN_INVALID_ARGUMENT');
    await registry.unload(def);
    expect(registry.state('acme.p')).toBe('unloaded');
    registry.register(counted('acme.p').def);
    expect(registry.state('acme.p')).toBe('loaded');
  });

  it('reports unknown ids and missing apis with distinct codes', async () => {
    const registry = new PluginRegistry();
    const { def } = counted('acme.p');
    expect((await caught(() => registry.get(def))).code).toBe('MSYS_PLUGIN_NOT_FOUND');
    expect((await caught(() => registry.start(def))).code).toBe('MSYS_PLUGIN_NOT_FOUND');
    expect((await caught(() => registry.state('acme.nope'))).code).toBe('MSYS_PLUGIN_NOT_FOUND');
    expect(registry.has('acme.p')).toBe(false);
    registry.register(def);
    const error = await caught(() => registry.get(def));
    expect(error.code).toBe('MSYS_PLUGIN_NOT_AVAILABLE');
    expect(error.details).toEqual({ id: 'acme.p', state: 'loaded' });
  });

  it('finds plugins by kind, capability and state, in registration order', async () => {
    const registry = new PluginRegistry();
    const mk = (id: string, kind: string, capabilities: string[]) =>
      definePlugin({ id, version: '1.0.0', kind, capabilities, init: () => id });
    const s3 = registry.register(mk('acme.s3', 'storage', ['kv.read', 'kv.write']));
    registry.register(mk('acme.ro', 'storage', ['kv.read']));
    registry.register(mk('acme.tls', 'transport', ['tls']));
    await registry.start(s3);
    const ids = (q: Parameters<PluginRegistry['find']>[0]) => registry.find(q).map((p) => p.id);
    expect(ids({ kind: 'storage' })).toEqual(['acme.s3', 'acme.ro']);
    expect(ids({ capability: 'kv.read' })).toEqual(['acme.s3', 'acme.ro']);
    expect(ids({ capability: 'kv.write' })).toEqual(['acme.s3']);
    expect(ids({ kind: 'transport', capability: 'kv.read' })).toEqual([]);
    expect(ids({ state: 'active' })).toEqual(['acme.s3']);
    expect(ids({})).toEqual(['acme.s3', 'acme.ro', 'acme.tls']);
    await registry.unload(registry.register(mk('acme.gone', 'storage', [])));
    expect(ids({ kind: 'storage' })).toEqual(['acme.s3', 'acme.ro']);
    expect(registry.info('acme.s3')).toEqual({
      id: 'acme.s3',
      version: '1.0.0',
      kind: 'storage',
      capabilities: ['kv.read', 'kv.write'],
      requires: [],
      state: 'active',
    });
  });

  it('hooks receive the api and an abort signal; ctx.get refuses undeclared plugins', async () => {
    const registry = new PluginRegistry();
    const other = registry.register(
      definePlugin({ id: 'acme.other', version: '1.0.0', kind: 'x', init: () => 1 }),
    );
    await registry.start(other);
    let seen: { api: unknown; aborted: boolean } | undefined;
    const p = definePlugin({
      id: 'acme.p',
      version: '1.0.0',
      kind: 'x',
      init: () => ({ n: 1 }),
      start: (ctx) => {
        seen = { api: ctx.api, aborted: ctx.signal.aborted };
        ctx.get(other);
      },
    });
    registry.register(p);
    const error = await caught(() => registry.start(p));
    expect(seen).toEqual({ api: { n: 1 }, aborted: false });
    expect(error.code).toBe('MSYS_PLUGIN_HOOK_FAILED');
    expect(isSystemError(error.cause) && error.cause.code).toBe('MSYS_PLUGIN_UNDECLARED_DEPENDENCY');
  });

  it('validates the constructor clock', async () => {
    const error = await caught(() => new PluginRegistry({ clock: {} as never }));
    expect(error.code).toBe('MSYS_PLUGIN_INVALID_ARGUMENT');
    expect(error.details.path).toBe('options.clock');
  });
});
