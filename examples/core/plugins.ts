/**
 * Plugins: typed keys, dependencies started in order, discovery, pause/resume, a failing hook, and a
 * shutdown that reports a plugin that overran its stop budget.
 *
 * Run: pnpm exec tsx --conditions=@msys/source examples/core/plugins.ts
 */
import { isSystemError } from '@msys/core/errors';
import { createPluginKey, definePlugin, PluginRegistry } from '@msys/core/plugins';

/** A key-value store: the api other plugins code against, without importing the store's definition. */
interface KeyValueStore {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}
const StoreKey = createPluginKey<KeyValueStore>('acme.store');

const store = definePlugin({
  id: StoreKey,
  version: '2.3.0',
  kind: 'storage',
  capabilities: ['kv.read', 'kv.write'],
  init: () => {
    const data = new Map<string, string>();
    return { get: (k: string) => data.get(k), set: (k: string, v: string) => void data.set(k, v) };
  },
  start: ({ api }) => api.set('greeting', 'hello from the store'),
});

const cache = definePlugin({
  id: 'acme.cache',
  version: '1.0.0',
  kind: 'cache',
  capabilities: ['kv.read'],
  requires: [{ key: StoreKey, range: '^2.0.0' }],
  init: (ctx) => {
    const backing = ctx.get(StoreKey); // typed as KeyValueStore
    let hits = 0;
    return {
      read: (k: string) => {
        hits++;
        return backing.get(k);
      },
      hits: () => hits,
    };
  },
});

const flaky = definePlugin({
  id: 'acme.flaky',
  version: '0.1.0',
  kind: 'probe',
  init: () => ({}),
  start: () => {
    throw new Error('probe device not present');
  },
});

const slow = definePlugin({
  id: 'acme.slow-exporter',
  version: '1.0.0',
  kind: 'exporter',
  init: () => ({}),
  // Never finishes stopping unless aborted: shutdown gives up on it after its budget.
  stop: ({ signal }) =>
    new Promise<void>((resolve) => signal.addEventListener('abort', () => setTimeout(resolve, 10))),
});

const registry = new PluginRegistry();
registry.on('state', ({ id, from, to, error }) => {
  console.log(`  state  ${id}: ${from} → ${to}${error ? ` (${error.code})` : ''}`);
});

// Registration order does not matter: dependencies start first.
registry.register(cache);
registry.register(store);
registry.register(slow);
console.log('startAll:');
await registry.startAll();

console.log(`cache.read('greeting') = ${JSON.stringify(registry.get(cache).read('greeting'))}`);
console.log(
  `kv.read providers: ${registry
    .find({ capability: 'kv.read' })
    .map((p) => p.id)
    .join(', ')}`,
);

console.log('pause/resume the cache:');
await registry.pause(cache);
await registry.resume(cache);

console.log('a plugin whose start hook throws:');
registry.register(flaky);
try {
  await registry.start(flaky);
} catch (e) {
  if (!isSystemError(e)) throw e;
  console.log(`  ${e.code}: ${e.message} (cause: ${(e.cause as Error).message})`);
}

console.log('an invalid transition:');
try {
  await registry.resume(cache);
} catch (e) {
  if (!isSystemError(e)) throw e;
  console.log(`  ${e.code} [${e.category}]: ${e.message}`);
}

console.log('shutdown (200 ms per plugin):');
const report = await registry.shutdown({ timeoutMs: 200 });
console.log(`  stopped:  ${report.stopped.join(', ')}`);
console.log(`  timedOut: ${report.timedOut.join(', ')}`);
console.log(`  failed:   ${report.failed.join(', ') || '(none)'}`);
