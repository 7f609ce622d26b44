import { isSystemError } from '@msys/core/errors';
import { definePlugin, PluginRegistry, type RegistryClock } from '@msys/core/plugins';
import { describe, expect, it } from 'vitest';
import { caught, deferred, flush, recordEvents } from './plugins-fixtures.js';

/** A clock whose timers fire only when the test says so. */
function manualClock() {
  const timers = new Map<number, { fn: () => void; ms: number }>();
  let next = 0;
  const clock: RegistryClock = {
    setTimeout: (fn, ms) => {
      timers.set(++next, { fn, ms });
      return next;
    },
    clearTimeout: (handle) => void timers.delete(handle as number),
  };
  const fireAll = () => {
    for (const [handle, t] of [...timers]) {
      timers.delete(handle);
      t.fn();
    }
  };
  return { clock, timers, fireAll };
}

const plain = (
  id: string,
  requires: readonly { id: string }[] = [],
  stop?: (ctx: { signal: AbortSignal }) => unknown,
) =>
  definePlugin({
    id,
    version: '1.0.0',
    kind: 'svc',
    requires,
    init: () => id,
    ...(stop === undefined ? {} : { stop: async (ctx: { signal: AbortSignal }) => void (await stop(ctx)) }),
  });

describe('shutdown', () => {
  it('stops running plugins in reverse start order, unloads the rest, and closes the registry', async () => {
    const { clock, timers } = manualClock();
    const registry = new PluginRegistry({ clock });
    const log = recordEvents(registry);
    const db = registry.register(plain('db'));
    const cache = registry.register(plain('cache', [db]));
    registry.register(plain('idle'));
    registry.register(plain('broken', [], () => undefined));
    await registry.start(cache);
    log.length = 0;
    const report = await registry.shutdown({ timeoutMs: 50 });
    expect(report).toEqual({ stopped: ['cache', 'db', 'broken', 'idle'], timedOut: [], failed: [] });
    expect(log).toEqual([
      'cache:active>unloaded',
      'db:active>unloaded',
      'broken:loaded>unloaded',
      'idle:loaded>unloaded',
    ]);
    expect(timers.size).toBe(0);
    expect(await registry.shutdown()).toBe(report);
    expect((await caught(() => registry.register(plain('late')))).code).toBe('MSYS_PLUGIN_REGISTRY_CLOSED');
    expect((await caught(() => registry.startAll())).code).toBe('MSYS_PLUGIN_REGISTRY_CLOSED');
    expect((await caught(() => registry.start(db))).code).toBe('MSYS_PLUGIN_REGISTRY_CLOSED');
  });

  it('abandons a plugin whose stop overruns, reports it, and goes on', async () => {
    const { clock, fireAll } = manualClock();
    const registry = new PluginRegistry({ clock });
    const log = recordEvents(registry);
    let signal: AbortSignal | undefined;
    const hang = deferred();
    const db = registry.register(plain('db'));
    const app = registry.register(
      plain('app', [db], async (ctx) => {
        signal = ctx.signal;
        await hang.promise;
      }),
    );
    await registry.startAll();
    log.length = 0;
    const done = registry.shutdown({ timeoutMs: 100 });
    await flush();
    expect(signal?.aborted).toBe(false);
    expect(registry.state(db)).toBe('active'); // still waiting for app
    fireAll();
    const report = await done;
    expect(report).toEqual({ stopped: ['db'], timedOut: ['app'], failed: [] });
    expect(signal?.aborted).toBe(true);
    expect(isSystemError(signal?.reason) && signal.reason.code).toBe('MSYS_PLUGIN_STOP_TIMEOUT');
    expect(log).toEqual([
      'app:active>failed!MSYS_PLUGIN_STOP_TIMEOUT',
      'app:failed>unloaded',
      'db:active>unloaded',
    ]);
    expect(registry.state(app)).toBe('unloaded');
    // The late hook's outcome is discarded: no further events.
    hang.resolve();
    await flush();
    expect(log).toHaveLength(3);
  });

  it('reports a stop hook that throws as failed and still unloads it', async () => {
    const registry = new PluginRegistry();
    const log = recordEvents(registry);
    const a = registry.register(
      plain('a', [], () => {
        throw new Error('stuck handle');
      }),
    );
    registry.register(plain('b'));
    await registry.startAll();
    log.length = 0;
    const report = await registry.shutdown({ timeoutMs: 1_000 });
    expect(report).toEqual({ stopped: ['b'], timedOut: [], failed: ['a'] });
    expect(log).toEqual([
      'b:active>unloaded',
      'a:active>failed!MSYS_PLUGIN_HOOK_FAILED',
      'a:failed>unloaded',
    ]);
    expect(registry.state(a)).toBe('unloaded');
  });

  it('counts the wait for an operation still queued on the plugin, and rejects that operation', async () => {
    const { clock, fireAll } = manualClock();
    const registry = new PluginRegistry({ clock });
    const gate = deferred();
    const slow = registry.register(
      definePlugin({ id: 'slow', version: '1.0.0', kind: 'svc', init: () => 1, start: () => gate.promise }),
    );
    const starting = registry.start(slow);
    const done = registry.shutdown({ timeoutMs: 10 });
    await flush();
    fireAll();
    expect(await done).toEqual({ stopped: [], timedOut: ['slow'], failed: [] });
    gate.resolve();
    expect((await caught(() => starting)).code).toBe('MSYS_PLUGIN_REGISTRY_CLOSED');
    expect(registry.state(slow)).toBe('unloaded');
  });

  it('uses real timers by default and validates timeoutMs', async () => {
    const registry = new PluginRegistry();
    const never = registry.register(plain('never', [], () => new Promise(() => undefined)));
    await registry.start(never);
    for (const timeoutMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '5' as never]) {
      const error = await caught(() => registry.shutdown({ timeoutMs }));
      expect(error.code).toBe('MSYS_PLUGIN_INVALID_ARGUMENT');
      expect(error.details.path).toBe('options.timeoutMs');
    }
    expect(await registry.shutdown({ timeoutMs: 5 })).toEqual({
      stopped: [],
      timedOut: ['never'],
      failed: [],
    });
  });
});
