import { definePlugin, PluginRegistry } from '@msys/core/plugins';
import { describe, expect, it } from 'vitest';
import { caught, type Deferred, deferred, flush } from './plugins-fixtures.js';

function gated(id: string, log: string[], gates: Partial<Record<'start' | 'pause' | 'stop', Deferred>>) {
  const hook = (name: 'start' | 'pause' | 'stop') => async () => {
    log.push(`${name}:${id}:begin`);
    await gates[name]?.promise;
    log.push(`${name}:${id}:end`);
  };
  return definePlugin({
    id,
    version: '1.0.0',
    kind: 'gated',
    init: () => id,
    start: hook('start'),
    pause: hook('pause'),
    stop: hook('stop'),
  });
}

describe('operation ordering', () => {
  it('serializes the operations on one plugin, in call order', async () => {
    const registry = new PluginRegistry();
    const log: string[] = [];
    const start = deferred();
    const a = registry.register(gated('a', log, { start }));
    const started = registry.start(a);
    // Called while start is still running: valid once start is done, so it waits its turn.
    const paused = registry.pause(a);
    await flush();
    expect(log).toEqual(['start:a:begin']);
    expect(registry.state(a)).toBe('ready');
    start.resolve();
    await Promise.all([started, paused]);
    expect(log).toEqual(['start:a:begin', 'start:a:end', 'pause:a:begin', 'pause:a:end']);
    expect(registry.state(a)).toBe('paused');
  });

  it('a queued operation still checks the state it finds when its turn comes', async () => {
    const registry = new PluginRegistry();
    const log: string[] = [];
    const start = deferred();
    const a = registry.register(gated('a', log, { start }));
    const first = registry.start(a);
    const second = registry.start(a);
    start.resolve();
    await first;
    const error = await caught(() => second);
    expect(error.code).toBe('MSYS_PLUGIN_INVALID_TRANSITION');
    expect(error.details).toMatchObject({ state: 'active', operation: 'start' });
  });

  it('a failed operation does not block the ones queued after it', async () => {
    const registry = new PluginRegistry();
    const log: string[] = [];
    const start = deferred();
    const a = registry.register(gated('a', log, { start }));
    const started = registry.start(a);
    const unloaded = registry.unload(a);
    start.reject(new Error('refused'));
    expect((await caught(() => started)).code).toBe('MSYS_PLUGIN_HOOK_FAILED');
    await unloaded;
    expect(registry.state(a)).toBe('unloaded');
  });

  it('runs operations on different plugins concurrently', async () => {
    const registry = new PluginRegistry();
    const log: string[] = [];
    const gateA = deferred();
    const gateB = deferred();
    const a = registry.register(gated('a', log, { start: gateA }));
    const b = registry.register(gated('b', log, { start: gateB }));
    const startedA = registry.start(a);
    const startedB = registry.start(b);
    await flush();
    // Both hooks are inside at the same time.
    expect(log).toEqual(['start:a:begin', 'start:b:begin']);
    gateB.resolve();
    await startedB;
    expect(registry.state(b)).toBe('active');
    expect(registry.state(a)).toBe('ready');
    gateA.resolve();
    await startedA;
    expect(log).toEqual(['start:a:begin', 'start:b:begin', 'start:b:end', 'start:a:end']);
  });

  it('a dependent waits for its requirement that another caller is starting', async () => {
    const registry = new PluginRegistry();
    const log: string[] = [];
    const gate = deferred();
    const db = registry.register(gated('db', log, { start: gate }));
    const app = registry.register(
      definePlugin({
        id: 'app',
        version: '1.0.0',
        kind: 'app',
        requires: [db],
        init: () => 'app',
        start: () => void log.push('start:app'),
      }),
    );
    const startedDb = registry.start(db);
    const startedApp = registry.start(app);
    await flush();
    expect(log).toEqual(['start:db:begin']);
    gate.resolve();
    await Promise.all([startedDb, startedApp]);
    expect(log).toEqual(['start:db:begin', 'start:db:end', 'start:app']);
    expect(registry.state(app)).toBe('active');
  });
});
