/**
 * Model-based test of the PluginRegistry: random sequences of operations run against the registry and
 * against a small model written from the lifecycle table; after every step the error code, every
 * plugin's state, its api and the whole state-event log must agree.
 */
import { isSystemError } from '@msys/core/errors';
import { createPluginKey, definePlugin, PluginRegistry } from '@msys/core/plugins';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

type State = 'loaded' | 'ready' | 'active' | 'paused' | 'failed' | 'unloaded';
type Hook = 'init' | 'start' | 'pause' | 'resume' | 'stop';
type Op = 'init' | 'start' | 'pause' | 'resume' | 'stop' | 'unload';

const IDS = ['p0', 'p1', 'p2', 'p3'] as const;
/** Stands for "the running plugin with the most running dependents", resolved when the command runs. */
const ROOT = '<busiest>';

interface Spec {
  readonly id: string;
  readonly version: string;
  readonly requires: readonly { readonly id: string; readonly range: string | undefined }[];
  readonly fails: Readonly<Record<Hook, boolean>>;
  readonly async: boolean;
}

/** The lifecycle, written out again independently of the implementation: `state:op` → [to, hook]. */
const EDGES: Record<string, readonly [State, Hook | undefined]> = {
  'loaded:init': ['ready', 'init'],
  'ready:start': ['active', 'start'],
  'active:pause': ['paused', 'pause'],
  'paused:resume': ['active', 'resume'],
  'active:stop': ['ready', 'stop'],
  'paused:stop': ['ready', 'stop'],
  'loaded:unload': ['unloaded', undefined],
  'ready:unload': ['unloaded', undefined],
  'active:unload': ['unloaded', 'stop'],
  'paused:unload': ['unloaded', 'stop'],
  'failed:unload': ['unloaded', undefined],
};
const allowed = (s: State, op: Op) => (op === 'start' && s === 'loaded') || `${s}:${op}` in EDGES;
const running = (s: State) => s === 'active' || s === 'paused';
const withApi = (s: State) => s === 'ready' || running(s);

interface ModelPlugin {
  spec: Spec;
  state: State;
  seq: number;
  activation: number;
  api: object;
}

class Model {
  readonly plugins = new Map<string, ModelPlugin>();
  readonly log: string[] = [];
  closed = false;
  seq = 0;
  activations = 0;

  ordered() {
    return [...this.plugins.values()].sort((a, b) => a.seq - b.seq);
  }

  move(p: ModelPlugin, to: State, code?: string) {
    this.log.push(`${p.spec.id}:${p.state}>${to}${code === undefined ? '' : `!${code}`}`);
    p.state = to;
    if (!running(to)) p.activation = 0;
  }

  /** One edge; returns an error code or undefined. */
  apply(p: ModelPlugin, op: Op): string | undefined {
    const edge = EDGES[`${p.state}:${op}`];
    if (edge === undefined) return 'MSYS_PLUGIN_INVALID_TRANSITION';
    const [to, hook] = edge;
    if (hook !== undefined && p.spec.fails[hook]) {
      this.move(p, 'failed', 'MSYS_PLUGIN_HOOK_FAILED');
      return 'MSYS_PLUGIN_HOOK_FAILED';
    }
    const activation = p.state === 'ready' && to === 'active' ? ++this.activations : p.activation;
    this.move(p, to);
    if (running(to)) p.activation = activation;
    return undefined;
  }

  /** Which problem a bring-up of `roots` reports first: missing > version > failed dependency > cycle. */
  check(roots: readonly ModelPlugin[], satisfied: (s: State) => boolean): string | undefined {
    const problems = new Set<string>();
    const nodes = new Set<ModelPlugin>();
    const edges = new Map<ModelPlugin, ModelPlugin[]>();
    const queue = [...roots];
    for (const r of roots) nodes.add(r);
    while (queue.length > 0) {
      const n = queue.shift() as ModelPlugin;
      const out: ModelPlugin[] = [];
      edges.set(n, out);
      for (const dep of n.spec.requires) {
        const t = this.plugins.get(dep.id);
        if (t === undefined || t.state === 'unloaded') {
          problems.add('MSYS_PLUGIN_MISSING_DEPENDENCY');
          continue;
        }
        if (dep.range !== undefined && dep.range[1] !== t.spec.version[0])
          problems.add('MSYS_PLUGIN_VERSION_MISMATCH');
        if (satisfied(t.state)) continue;
        if (t.state === 'failed') {
          problems.add('MSYS_PLUGIN_DEPENDENCY_UNAVAILABLE');
          continue;
        }
        out.push(t);
        if (!nodes.has(t)) {
          nodes.add(t);
          queue.push(t);
        }
      }
    }
    // Peel off nodes with no remaining outgoing edges; whatever is left sits on a cycle.
    const left = new Set(nodes);
    for (let changed = true; changed; ) {
      changed = false;
      for (const n of left) {
        if ((edges.get(n) ?? []).every((t) => !left.has(t))) {
          left.delete(n);
          changed = true;
        }
      }
    }
    if (left.size > 0) problems.add('MSYS_PLUGIN_DEPENDENCY_CYCLE');
    return [
      'MSYS_PLUGIN_MISSING_DEPENDENCY',
      'MSYS_PLUGIN_VERSION_MISMATCH',
      'MSYS_PLUGIN_DEPENDENCY_UNAVAILABLE',
      'MSYS_PLUGIN_DEPENDENCY_CYCLE',
    ].find((c) => problems.has(c));
  }

  bringUp(p: ModelPlugin, target: 'ready' | 'running'): string | undefined {
    for (const dep of p.spec.requires) {
      const d = this.plugins.get(dep.id) as ModelPlugin;
      const sat = target === 'running' ? running(d.state) : withApi(d.state);
      if (sat) continue;
      if (d.state === 'failed') return 'MSYS_PLUGIN_DEPENDENCY_UNAVAILABLE';
      const error = this.bringUp(d, target);
      if (error !== undefined) return error;
    }
    if (p.state === 'loaded') {
      const error = this.apply(p, 'init');
      if (error !== undefined) return error;
    }
    if (target === 'running' && p.state === 'ready') return this.apply(p, 'start');
    return undefined;
  }

  /** The running plugin with the most running plugins depending on it (so that `stop` cascades). */
  busiestRoot(): string {
    let best: [string, number] = [IDS[0], -1];
    for (const p of this.ordered()) {
      if (!running(p.state)) continue;
      const found = new Set<ModelPlugin>();
      const walk = (n: ModelPlugin) => {
        for (const d of this.dependents(n)) if (!found.has(d)) found.add(d) && walk(d);
      };
      walk(p);
      const count = [...found].filter((d) => running(d.state)).length;
      if (count > best[1]) best = [p.spec.id, count];
    }
    return best[0];
  }

  dependents(p: ModelPlugin) {
    return this.ordered().filter(
      (r) => r.state !== 'unloaded' && r.spec.requires.some((d) => d.id === p.spec.id),
    );
  }

  run(op: Op | 'startAll' | 'shutdown', id: string): string | undefined {
    if (this.closed) return op === 'shutdown' ? undefined : 'MSYS_PLUGIN_REGISTRY_CLOSED';
    if (op === 'shutdown') return this.shutdown();
    if (op === 'startAll') {
      const roots = this.ordered().filter((r) => r.state === 'loaded' || r.state === 'ready');
      const problem = this.check(roots, running);
      if (problem !== undefined) return problem;
      for (const r of roots) {
        if (running(r.state)) continue;
        const error = this.bringUp(r, 'running');
        if (error !== undefined) return error;
      }
      return undefined;
    }
    const p = this.plugins.get(id);
    if (p === undefined) return 'MSYS_PLUGIN_NOT_FOUND';
    if (!allowed(p.state, op)) return 'MSYS_PLUGIN_INVALID_TRANSITION';
    if (op === 'init' || op === 'start') {
      const target = op === 'init' ? 'ready' : 'running';
      return this.check([p], op === 'init' ? withApi : running) ?? this.bringUp(p, target);
    }
    if (op === 'stop') {
      const found = new Set<ModelPlugin>();
      const walk = (n: ModelPlugin) => {
        for (const d of this.dependents(n)) if (!found.has(d)) found.add(d) && walk(d);
      };
      walk(p);
      const order = [...found].filter((d) => running(d.state)).sort((a, b) => b.activation - a.activation);
      for (const d of order) {
        const error = this.apply(d, 'stop');
        if (error !== undefined) return error;
      }
    }
    if (op === 'unload' && this.dependents(p).length > 0) return 'MSYS_PLUGIN_IN_USE';
    return this.apply(p, op);
  }

  shutdown(): undefined {
    this.closed = true;
    const all = this.ordered();
    const first = all.filter((p) => p.activation > 0).sort((a, b) => b.activation - a.activation);
    const rest = all.filter((p) => p.activation === 0).sort((a, b) => b.seq - a.seq);
    for (const p of [...first, ...rest]) {
      if (p.state === 'unloaded') continue;
      if (running(p.state) && p.spec.fails.stop) {
        this.move(p, 'failed', 'MSYS_PLUGIN_HOOK_FAILED');
        this.move(p, 'unloaded');
      } else this.move(p, 'unloaded');
    }
    return undefined;
  }
}

interface Real {
  readonly registry: PluginRegistry;
  readonly log: string[];
  /** The api object of each registration's spec, to check identity. */
  readonly apis: Map<string, object>;
}

function definitionOf(spec: Spec, api: object) {
  const hook = (name: Hook) => () => {
    if (spec.fails[name]) {
      const error = new Error(`${spec.id} ${name} fails`);
      if (spec.async) return Promise.reject(error);
      throw error;
    }
    return spec.async ? Promise.resolve() : undefined;
  };
  return definePlugin({
    id: spec.id,
    version: spec.version,
    kind: 'model',
    requires: spec.requires.map((r) => ({
      key: createPluginKey(r.id),
      ...(r.range === undefined ? {} : { range: r.range }),
    })),
    init: () => {
      const done = hook('init')();
      return done === undefined ? api : done.then(() => api);
    },
    start: hook('start'),
    pause: hook('pause'),
    resume: hook('resume'),
    stop: hook('stop'),
  });
}

async function codeOf(fn: () => unknown): Promise<string | undefined> {
  try {
    await fn();
    return undefined;
  } catch (error) {
    if (!isSystemError(error)) throw error;
    return error.code;
  }
}

function compare(
  model: Model,
  real: Real,
  expected: string | undefined,
  actual: string | undefined,
  label: string,
) {
  expect(actual, `${label}: error code`).toBe(expected);
  expect(real.log, `${label}: event log`).toEqual(model.log);
  for (const id of IDS) {
    const m = model.plugins.get(id);
    const state = real.registry.has(id) || m !== undefined ? real.registry.state(id) : 'none';
    expect(state, `${label}: state of ${id}`).toBe(m?.state ?? 'none');
    const api = real.registry.tryGet(createPluginKey(id));
    expect(api, `${label}: api of ${id}`).toBe(m !== undefined && withApi(m.state) ? m.api : undefined);
  }
}

class RegisterCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly spec: Spec) {}
  check() {
    return true;
  }
  async run(model: Model, real: Real) {
    const api = { id: this.spec.id };
    const existing = model.plugins.get(this.spec.id);
    let expected: string | undefined;
    if (model.closed) expected = 'MSYS_PLUGIN_REGISTRY_CLOSED';
    else if (existing !== undefined && existing.state !== 'unloaded') expected = 'MSYS_PLUGIN_DUPLICATE';
    else
      model.plugins.set(this.spec.id, {
        spec: this.spec,
        state: 'loaded',
        seq: ++model.seq,
        activation: 0,
        api,
      });
    const actual = await codeOf(() => real.registry.register(definitionOf(this.spec, api)));
    compare(model, real, expected, actual, this.toString());
  }
  toString() {
    const { id, version, requires, fails, async } = this.spec;
    const f = Object.entries(fails)
      .filter(([, v]) => v)
      .map(([k]) => k);
    return `register(${id}@${version} requires [${requires.map((r) => `${r.id}${r.range ?? ''}`)}] fails [${f}]${async ? ' async' : ''})`;
  }
}

class OpCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly op: Op | 'startAll' | 'shutdown',
    readonly id: string,
  ) {}
  check() {
    return true;
  }
  async run(model: Model, real: Real) {
    const target = this.id === ROOT ? model.busiestRoot() : this.id;
    const expected = model.run(this.op, target);
    const key = { id: target };
    const r = real.registry;
    const actual = await codeOf(() => {
      switch (this.op) {
        case 'startAll':
          return r.startAll();
        case 'shutdown':
          return r.shutdown({ timeoutMs: 60_000 });
        default:
          return r[this.op](key);
      }
    });
    compare(model, real, expected, actual, this.toString());
  }
  toString() {
    return this.op === 'startAll' || this.op === 'shutdown' ? `${this.op}()` : `${this.op}(${this.id})`;
  }
}

const id = fc.constantFrom(...IDS);
const flag = fc.integer({ min: 0, max: 19 }).map((n) => n === 0);
const requirement = fc.record({
  id,
  range: fc.constantFrom(undefined, undefined, undefined, '^1.0.0', '^2.0.0'),
});
const spec = (requires: fc.Arbitrary<Spec['requires']>) =>
  fc.record({
    id,
    version: fc.constantFrom('1.0.0', '1.5.0', '2.0.0'),
    requires,
    fails: fc.record({ init: flag, start: flag, pause: flag, resume: flag, stop: flag }),
    async: fc.boolean(),
  });
const anyRequires = fc.uniqueArray(requirement, { selector: (r) => r.id, maxLength: 2 });
// Mostly "requires only lower ids": acyclic chains that start, so that cascades and orders get exercised;
// sometimes anything, for cycles and missing dependencies.
const register = fc
  .record({ s: spec(anyRequires), lowerOnly: fc.constantFrom(true, true, true, false) })
  .map(({ s, lowerOnly }) => {
    const rank = (x: string) => IDS.indexOf(x as (typeof IDS)[number]);
    const keep = (r: { id: string }) => (lowerOnly ? rank(r.id) < rank(s.id) : r.id !== s.id);
    return new RegisterCommand({ ...s, requires: s.requires.filter(keep) });
  });
const op = (name: Op) => id.map((i) => new OpCommand(name, i));
const commands = fc.commands(
  [
    fc.oneof(
      { arbitrary: register, weight: 12 },
      { arbitrary: op('init'), weight: 2 },
      { arbitrary: op('start'), weight: 6 },
      { arbitrary: fc.constant(new OpCommand('startAll', '')), weight: 4 },
      { arbitrary: op('pause'), weight: 4 },
      { arbitrary: op('resume'), weight: 4 },
      { arbitrary: op('stop'), weight: 4 },
      { arbitrary: fc.constant(new OpCommand('stop', ROOT)), weight: 3 },
      { arbitrary: op('unload'), weight: 4 },
      { arbitrary: fc.constant(new OpCommand('shutdown', '')), weight: 1 },
    ),
  ],
  { maxCommands: 60, size: 'large' },
);

describe('PluginRegistry against its model', () => {
  it('agrees on codes, states, apis and events for random operation sequences', async () => {
    await fc.assert(
      fc.asyncProperty(commands, async (cmds) => {
        const setup = () => {
          const registry = new PluginRegistry();
          const log: string[] = [];
          registry.on('state', (c) => {
            log.push(`${c.id}:${c.from}>${c.to}${c.error === undefined ? '' : `!${c.error.code}`}`);
          });
          return { model: new Model(), real: { registry, log, apis: new Map() } };
        };
        await fc.asyncModelRun(setup, cmds);
      }),
      { numRuns: 400, seed: 20261125 },
    );
  });
});
