import { createPluginKey, definePlugin, PluginRegistry } from '@msys/core/plugins';
import { describe, expect, it } from 'vitest';
import { caught, recordEvents } from './plugins-fixtures.js';

interface Graph {
  readonly registry: PluginRegistry;
  readonly calls: string[];
}

/** Registers plugins `id → requires` (ids in order), recording every hook call as `hook:id`. */
function graph(
  edges: Record<string, readonly (string | { id: string; range: string })[]>,
  versions: Record<string, string> = {},
): Graph {
  const registry = new PluginRegistry();
  const calls: string[] = [];
  for (const [id, requires] of Object.entries(edges)) {
    registry.register(
      definePlugin({
        id,
        version: versions[id] ?? '1.0.0',
        kind: 'node',
        requires: requires.map((r) =>
          typeof r === 'string' ? createPluginKey(r) : { key: createPluginKey(r.id), range: r.range },
        ),
        init: (ctx) => {
          calls.push(`init:${id}`);
          return {
            id,
            deps: requires.map(
              (r) => ctx.get(createPluginKey<{ id: string }>(typeof r === 'string' ? r : r.id)).id,
            ),
          };
        },
        start: () => void calls.push(`start:${id}`),
        stop: () => void calls.push(`stop:${id}`),
      }),
    );
  }
  return { registry, calls };
}

describe('dependencies', () => {
  it('starts a diamond in topological order and gives init the apis of its requirements', async () => {
    // app → (cache, metrics) → storage
    const { registry, calls } = graph({
      app: ['cache', 'metrics'],
      cache: ['storage'],
      metrics: ['storage'],
      storage: [],
    });
    await registry.startAll();
    expect(calls).toEqual([
      'init:storage',
      'start:storage',
      'init:cache',
      'start:cache',
      'init:metrics',
      'start:metrics',
      'init:app',
      'start:app',
    ]);
    expect(registry.get(createPluginKey<{ deps: string[] }>('app')).deps).toEqual(['cache', 'metrics']);
    calls.length = 0;
    const report = await registry.shutdown({ timeoutMs: 1_000 });
    expect(calls).toEqual(['stop:app', 'stop:metrics', 'stop:cache', 'stop:storage']);
    expect(report).toEqual({ stopped: ['app', 'metrics', 'cache', 'storage'], timedOut: [], failed: [] });
  });

  it('start(one) brings up only what that plugin needs; init(one) only initializes', async () => {
    const { registry, calls } = graph({ a: ['b'], b: [], c: [] });
    await registry.init(createPluginKey('a'));
    expect(calls).toEqual(['init:b', 'init:a']);
    expect(registry.state('b')).toBe('ready');
    await registry.start(createPluginKey('a'));
    expect(calls.slice(2)).toEqual(['start:b', 'start:a']);
    expect(registry.state('c')).toBe('loaded');
  });

  it('stop stops the running dependents first, most recently started first', async () => {
    const { registry, calls } = graph({ storage: [], cache: ['storage'], api: ['cache'], other: [] });
    const log = recordEvents(registry);
    await registry.startAll();
    await registry.pause(createPluginKey('api'));
    calls.length = 0;
    log.length = 0;
    await registry.stop(createPluginKey('storage'));
    expect(calls).toEqual(['stop:api', 'stop:cache', 'stop:storage']);
    expect(log).toEqual(['api:paused>ready', 'cache:active>ready', 'storage:active>ready']);
    expect(registry.state('other')).toBe('active');
    // Restart does not run init again.
    calls.length = 0;
    await registry.start(createPluginKey('api'));
    expect(calls).toEqual(['start:storage', 'start:cache', 'start:api']);
  });

  it('reports a cycle, naming it, before anything starts', async () => {
    const { registry, calls } = graph({ free: [], a: ['b'], b: ['c'], c: ['a'] });
    const log = recordEvents(registry);
    const error = await caught(() => registry.startAll());
    expect(error.code).toBe('MSYS_PLUGIN_DEPENDENCY_CYCLE');
    expect(error.category).toBe('config');
    expect(error.details.cycle).toEqual(['a', 'b', 'c', 'a']);
    expect(error.message).toContain('a → b → c → a');
    expect(calls).toEqual([]);
    expect(log).toEqual([]);
    expect((await caught(() => registry.start(createPluginKey('b')))).details.cycle).toEqual([
      'b',
      'c',
      'a',
      'b',
    ]);
  });

  it('reports a missing dependency before anything starts', async () => {
    const { registry, calls } = graph({ free: [], app: ['db'] });
    const error = await caught(() => registry.startAll());
    expect(error.code).toBe('MSYS_PLUGIN_MISSING_DEPENDENCY');
    expect(error.details).toEqual({ id: 'app', dependency: 'db' });
    expect(calls).toEqual([]);
    expect(registry.state('free')).toBe('loaded');
  });

  it('reports an unsatisfied version range before anything starts', async () => {
    const { registry, calls } = graph(
      { free: [], db: [], app: [{ id: 'db', range: '^2.0.0' }] },
      { db: '1.4.0' },
    );
    const error = await caught(() => registry.startAll());
    expect(error.code).toBe('MSYS_PLUGIN_VERSION_MISMATCH');
    expect(error.details).toEqual({ id: 'app', dependency: 'db', range: '^2.0.0', version: '1.4.0' });
    expect(calls).toEqual([]);
    const ok = graph({ db: [], app: [{ id: 'db', range: '>=1.2 <2' }] }, { db: '1.4.0' });
    await ok.registry.startAll();
    expect(ok.registry.state('app')).toBe('active');
  });

  it('reports the first problem by precedence: missing, then version, then failed dependency, then cycle', async () => {
    const registry = new PluginRegistry();
    const mk = (
      id: string,
      version: string,
      requires: { key: { id: string }; range?: string }[],
      fail = false,
    ) =>
      registry.register(
        definePlugin({
          id,
          version,
          kind: 'node',
          requires,
          init: () => id,
          start: () => {
            if (fail) throw new Error('down');
          },
        }),
      );
    const broken = mk('broken', '1.0.0', [], true);
    await registry.start(broken).catch(() => undefined);
    mk('loop-a', '1.0.0', [{ key: { id: 'loop-b' } }]);
    mk('loop-b', '1.0.0', [{ key: { id: 'loop-a' } }]);
    mk('needs-broken', '1.0.0', [{ key: broken }]);
    expect((await caught(() => registry.startAll())).code).toBe('MSYS_PLUGIN_DEPENDENCY_UNAVAILABLE');
    mk('old', '1.0.0', []);
    mk('needs-new', '1.0.0', [{ key: { id: 'old' }, range: '^3.0.0' }]);
    expect((await caught(() => registry.startAll())).code).toBe('MSYS_PLUGIN_VERSION_MISMATCH');
    mk('needs-ghost', '1.0.0', [{ key: { id: 'ghost' } }]);
    expect((await caught(() => registry.startAll())).code).toBe('MSYS_PLUGIN_MISSING_DEPENDENCY');
    expect(registry.find({ state: 'active' })).toEqual([]);
  });

  it('refuses to start on a failed dependency', async () => {
    const registry = new PluginRegistry();
    const db = registry.register(
      definePlugin({
        id: 'db',
        version: '1.0.0',
        kind: 'db',
        init: () => 1,
        start: () => {
          throw new Error('down');
        },
      }),
    );
    await registry.start(db).catch(() => undefined);
    const app = registry.register(
      definePlugin({ id: 'app', version: '1.0.0', kind: 'app', requires: [db], init: () => 2 }),
    );
    const error = await caught(() => registry.start(app));
    expect(error.code).toBe('MSYS_PLUGIN_DEPENDENCY_UNAVAILABLE');
    expect(error.details).toEqual({ id: 'app', dependency: 'db', state: 'failed' });
    expect(registry.state(app)).toBe('loaded');
  });

  it('a failing requirement stops the walk: the dependent stays where it was', async () => {
    const registry = new PluginRegistry();
    const db = registry.register(
      definePlugin({
        id: 'db',
        version: '1.0.0',
        kind: 'db',
        init: () => {
          throw new Error('no disk');
        },
      }),
    );
    const app = registry.register(
      definePlugin({ id: 'app', version: '1.0.0', kind: 'app', requires: [db], init: () => 2 }),
    );
    const error = await caught(() => registry.startAll());
    expect(error.code).toBe('MSYS_PLUGIN_HOOK_FAILED');
    expect(error.details).toEqual({ id: 'db', hook: 'init', from: 'loaded' });
    expect(registry.state(db)).toBe('failed');
    expect(registry.state(app)).toBe('loaded');
  });

  it('will not unload a plugin that another plugin requires', async () => {
    const { registry } = graph({ storage: [], cache: ['storage'] });
    await registry.startAll();
    const error = await caught(() => registry.unload(createPluginKey('storage')));
    expect(error.code).toBe('MSYS_PLUGIN_IN_USE');
    expect(error.details).toEqual({ id: 'storage', dependents: ['cache'] });
    expect(registry.state('storage')).toBe('active');
    await registry.unload(createPluginKey('cache'));
    await registry.unload(createPluginKey('storage'));
    expect(registry.state('storage')).toBe('unloaded');
  });
});
