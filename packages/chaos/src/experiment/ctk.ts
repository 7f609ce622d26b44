/**
 * Import of Chaos Toolkit experiments (chaostoolkit.org/reference/api/experiment/). The mapped subset:
 * `title`, `description`, `tags` (ignored), `steady-state-hypothesis.probes`, `method`, `rollbacks`;
 * probes and actions with an `http` provider (url, method, timeout in s, expected status via the
 * tolerance) or a `python` provider, which becomes a call of the function registered under
 * `"<module>.<func>"` with the provider's `arguments`; `pauses` (s → ms); `background`; tolerances that
 * are a value, a list (one of) or `{ type: "range", range: [min, max] }`; and `ref` to a probe or action
 * declared earlier. Anything else is refused with one error that names every unsupported field.
 *
 * @module
 */
import { chaosErrors, invalidExperiment } from '../errors.js';
import { type Activity, type Experiment, type Probe, type Tolerance, validateExperiment } from './schema.js';

const TOP_LEVEL_IGNORED = new Set(['version', 'title', 'description', 'tags', 'contributions', 'runtime']);
const TOP_LEVEL_MAPPED = new Set(['steady-state-hypothesis', 'method', 'rollbacks']);

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Converts a Chaos Toolkit experiment to this engine's format.
 *
 * @param input - the Chaos Toolkit experiment (object or JSON text)
 * @returns the equivalent {@link Experiment}
 * @throws SystemError `MSYS_CHAOS_UNSUPPORTED_FIELD` listing every field that cannot be mapped
 *   (its `details.fields` holds their paths), `MSYS_CHAOS_INVALID_EXPERIMENT` for malformed input
 * @example
 * ```ts
 * const experiment = fromChaosToolkit(fs.readFileSync('experiment.json', 'utf8'));
 * await runExperiment(engine, experiment, { functions: { 'chaosk8s.pod.actions.terminate_pods': terminate } });
 * ```
 */
export function fromChaosToolkit(input: unknown): Experiment {
  let ctk = input;
  if (typeof ctk === 'string') {
    try {
      ctk = JSON.parse(ctk);
    } catch {
      throw invalidExperiment('experiment', 'Chaos Toolkit JSON', 'invalid JSON');
    }
  }
  if (!isObject(ctk)) throw invalidExperiment('experiment', 'a Chaos Toolkit experiment object', ctk);
  const unsupported: string[] = [];
  for (const key of Object.keys(ctk)) {
    if (!TOP_LEVEL_IGNORED.has(key) && !TOP_LEVEL_MAPPED.has(key)) unsupported.push(key);
  }
  const declared = new Map<string, Json>();
  const activity = (a: unknown, path: string): Activity | undefined => {
    if (!isObject(a)) {
      unsupported.push(`${path} (not an object)`);
      return undefined;
    }
    if (typeof a.ref === 'string') {
      const target = declared.get(a.ref);
      if (target === undefined) {
        unsupported.push(`${path}.ref (no earlier activity named ${JSON.stringify(a.ref)})`);
        return undefined;
      }
      return activity(target, path);
    }
    if (typeof a.name === 'string') declared.set(a.name, a);
    for (const key of Object.keys(a)) {
      if (!['type', 'name', 'provider', 'tolerance', 'pauses', 'background'].includes(key))
        unsupported.push(`${path}.${key}`);
    }
    const pauses = mapPauses(a.pauses, `${path}.pauses`, unsupported);
    const background = a.background === true ? { background: true } : {};
    if (a.type === 'probe') {
      const probe = mapProbe(a, path, unsupported);
      return probe === undefined ? undefined : { type: 'probe', probe, ...pauses, ...background };
    }
    if (a.type === 'action') {
      const p = a.provider;
      if (!isObject(p)) {
        unsupported.push(`${path}.provider`);
        return undefined;
      }
      if (p.type === 'python') {
        const fn = pythonName(p, `${path}.provider`, unsupported);
        if (fn === undefined) return undefined;
        return {
          type: 'action',
          name: String(a.name ?? fn),
          fn,
          ...(p.arguments === undefined ? {} : { args: p.arguments }),
          ...pauses,
          ...background,
        };
      }
      if (p.type === 'http') {
        const probe = mapHttp(
          String(a.name ?? 'http action'),
          p,
          { oneOf: [200, 201, 202, 204] },
          `${path}.provider`,
          unsupported,
        );
        return probe === undefined ? undefined : { type: 'probe', probe, ...pauses, ...background };
      }
      unsupported.push(`${path}.provider.type (${JSON.stringify(p.type)})`);
      return undefined;
    }
    unsupported.push(`${path}.type (${JSON.stringify(a.type)})`);
    return undefined;
  };

  const ssh = ctk['steady-state-hypothesis'];
  const probes: Probe[] = [];
  if (ssh !== undefined) {
    if (!isObject(ssh)) unsupported.push('steady-state-hypothesis (not an object)');
    else {
      for (const key of Object.keys(ssh))
        if (key !== 'title' && key !== 'probes') unsupported.push(`steady-state-hypothesis.${key}`);
      const list = Array.isArray(ssh.probes) ? ssh.probes : [];
      list.forEach((p, i) => {
        const mapped = activity(p, `steady-state-hypothesis.probes[${i}]`);
        if (mapped?.type === 'probe') probes.push(mapped.probe);
      });
    }
  }
  const list = (key: 'method' | 'rollbacks'): Activity[] => {
    const value = ctk[key];
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      unsupported.push(`${key} (not an array)`);
      return [];
    }
    return value.map((a, i) => activity(a, `${key}[${i}]`)).filter((a): a is Activity => a !== undefined);
  };
  const method = list('method');
  const rollbacks = list('rollbacks');
  if (unsupported.length > 0) throw chaosErrors.MSYS_CHAOS_UNSUPPORTED_FIELD({ fields: unsupported });
  return validateExperiment({
    title: typeof ctk.title === 'string' ? ctk.title : 'untitled',
    ...(typeof ctk.description === 'string' ? { description: ctk.description } : {}),
    ...(probes.length > 0 ? { steadyState: { probes } } : {}),
    method,
    ...(rollbacks.length > 0 ? { rollbacks } : {}),
  });
}

function mapPauses(
  p: unknown,
  path: string,
  unsupported: string[],
): { pauses?: { beforeMs?: number; afterMs?: number } } {
  if (p === undefined) return {};
  if (!isObject(p)) {
    unsupported.push(path);
    return {};
  }
  const out: { beforeMs?: number; afterMs?: number } = {};
  for (const [k, v] of Object.entries(p)) {
    if ((k === 'before' || k === 'after') && typeof v === 'number')
      out[k === 'before' ? 'beforeMs' : 'afterMs'] = v * 1000;
    else unsupported.push(`${path}.${k}`);
  }
  return { pauses: out };
}

function mapTolerance(t: unknown, path: string, unsupported: string[]): Tolerance | undefined {
  if (typeof t === 'number' || typeof t === 'string' || typeof t === 'boolean') return t;
  if (Array.isArray(t)) return { oneOf: t };
  if (isObject(t) && t.type === 'range' && Array.isArray(t.range) && t.range.length === 2) {
    return { min: Number(t.range[0]), max: Number(t.range[1]) };
  }
  unsupported.push(`${path}${isObject(t) && typeof t.type === 'string' ? ` (type ${t.type})` : ''}`);
  return undefined;
}

function pythonName(p: Json, path: string, unsupported: string[]): string | undefined {
  for (const key of Object.keys(p))
    if (!['type', 'module', 'func', 'arguments'].includes(key)) unsupported.push(`${path}.${key}`);
  if (typeof p.module !== 'string' || typeof p.func !== 'string') {
    unsupported.push(`${path} (python provider without module/func)`);
    return undefined;
  }
  return `${p.module}.${p.func}`;
}

function mapHttp(
  name: string,
  p: Json,
  tolerance: Tolerance,
  path: string,
  unsupported: string[],
): Probe | undefined {
  for (const key of Object.keys(p))
    if (!['type', 'url', 'method', 'timeout'].includes(key)) unsupported.push(`${path}.${key}`);
  if (typeof p.url !== 'string') {
    unsupported.push(`${path}.url (missing)`);
    return undefined;
  }
  const timeout = typeof p.timeout === 'number' ? { timeoutMs: p.timeout * 1000 } : {};
  return {
    name,
    type: 'http',
    url: p.url,
    ...(typeof p.method === 'string' ? { method: p.method } : {}),
    ...timeout,
    tolerance,
  };
}

function mapProbe(a: Json, path: string, unsupported: string[]): Probe | undefined {
  const p = a.provider;
  const name = String(a.name ?? 'probe');
  if (!isObject(p)) {
    unsupported.push(`${path}.provider`);
    return undefined;
  }
  const tolerance =
    a.tolerance === undefined ? true : mapTolerance(a.tolerance, `${path}.tolerance`, unsupported);
  if (tolerance === undefined) return undefined;
  if (p.type === 'http') return mapHttp(name, p, tolerance, `${path}.provider`, unsupported);
  if (p.type === 'python') {
    const fn = pythonName(p, `${path}.provider`, unsupported);
    if (fn === undefined) return undefined;
    return {
      name,
      type: 'function',
      fn,
      ...(p.arguments === undefined ? {} : { args: p.arguments }),
      tolerance,
    };
  }
  unsupported.push(`${path}.provider.type (${JSON.stringify(p.type)})`);
  return undefined;
}
