/**
 * PluginRegistry `get` throughput: the hot path every plugin api call goes through. The ceiling peer is
 * a bare `Map#get` over the same ids — the registry's lookup plus its state check cannot beat it, so the
 * ratio shows what the lifecycle bookkeeping costs per call.
 */
import { createPluginKey, definePlugin, type PluginKey, PluginRegistry } from '@msys/core/plugins';
import type { SuiteFactory } from '../harness.js';

const PLUGINS = 100;
const BATCH = 1_000;

const suite: SuiteFactory = async () => {
  const registry = new PluginRegistry();
  const keys: PluginKey<{ n: number }>[] = [];
  const ceiling = new Map<string, { n: number }>();
  for (let i = 0; i < PLUGINS; i++) {
    const key = createPluginKey<{ n: number }>(`bench.plugin-${i}`);
    const api = { n: i };
    registry.register(definePlugin({ id: key, version: '1.0.0', kind: 'bench', init: () => api }));
    ceiling.set(key.id, api);
    keys.push(key);
  }
  await registry.startAll();
  let sink = 0;
  return {
    package: 'core',
    scenarios: [
      {
        name: `registry get (${PLUGINS} active plugins)`,
        opsPerIteration: BATCH,
        // core has no row in the product's performance table: reported, not judged.
        judged: false,
        fn: () => {
          for (let i = 0; i < BATCH; i++)
            sink += registry.get(keys[i % PLUGINS] as PluginKey<{ n: number }>).n;
          return sink;
        },
        peer: {
          name: 'Map#get (ceiling)',
          opsPerIteration: BATCH,
          fn: () => {
            for (let i = 0; i < BATCH; i++)
              sink += (ceiling.get((keys[i % PLUGINS] as PluginKey<unknown>).id) as { n: number }).n;
            return sink;
          },
        },
      },
    ],
    dispose: async () => {
      await registry.shutdown({ timeoutMs: 1_000 });
    },
  };
};

export default suite;
