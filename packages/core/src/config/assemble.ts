import { coerceEnvValue, type KnownKeys, kindOfValue, selectEnvironment, type ValueKind } from './env.js';
import type { ConfigIssue } from './errors.js';
import { type FileRead, type ParsedFile, parseConfigFile } from './files.js';
import type { NormalizedLoadOptions } from './options.js';
import { formatPath } from './paths.js';
import type { SecretKeys } from './secrets.js';
import type { ConfigShape } from './shape.js';
import { isPlainObject, LayeredValue, valueAt } from './values.js';

/** The merged, not yet validated configuration and what was found wrong on the way. */
export interface Assembly {
  /** The merged value with the source of each key. */
  readonly layered: LayeredValue;
  /** Problems found before validation (files, profile, environment). */
  readonly issues: ConfigIssue[];
  /** Every secret value seen in any source, for scrubbing messages. */
  readonly secretValues: Set<string>;
  /** Prefixed variables that matched no known key and were skipped. */
  readonly ignoredEnv: readonly string[];
  /** Key paths whose variable could not be coerced (already reported, so the schema's "missing" is noise). */
  readonly uncoerced: readonly (readonly string[])[];
}

/**
 * Merges the sources in precedence order — defaults < files < profile sections < environment < overrides —
 * collecting every problem instead of stopping at the first.
 *
 * @internal
 */
export function assemble(
  shape: ConfigShape | undefined,
  secrets: SecretKeys,
  options: NormalizedLoadOptions,
  reads: readonly FileRead[],
): Assembly {
  const layered = new LayeredValue();
  const issues: ConfigIssue[] = [];
  const secretValues = new Set<string>();
  const uncoerced: (readonly string[])[] = [];

  secrets.collect(options.defaults, [], secretValues);
  layered.apply(options.defaults, 'defaults');

  const parsed: { readonly label: string; readonly file: ParsedFile }[] = [];
  let unreadable = false;
  for (const read of reads) {
    const { spec } = read;
    if (read.status === 'missing') {
      if (!spec.optional) {
        issues.push({ path: '', source: spec.path, message: `file not found (looked for ${spec.resolved})` });
        unreadable = true;
      }
      continue;
    }
    if (read.status === 'error') {
      issues.push({ path: '', source: spec.path, message: read.message });
      unreadable = true;
      continue;
    }
    const result = parseConfigFile(spec, read.text);
    if (Array.isArray(result)) {
      issues.push(...result);
      unreadable = true;
      continue;
    }
    secrets.collect(result.base, [], secretValues);
    for (const section of result.profiles.values()) secrets.collect(section, [], secretValues);
    layered.apply(result.base, spec.path);
    parsed.push({ label: spec.path, file: result });
  }

  if (options.profile !== undefined) {
    const name = options.profile;
    let found = false;
    for (const { label, file } of parsed) {
      const section = file.profiles.get(name);
      if (section === undefined) continue;
      found = true;
      layered.apply(section, `${label} [profile.${name}]`);
    }
    // A file that could not be read or parsed may be the one that defines the profile: say nothing until it can be.
    if (!found && !unreadable) {
      const defined = [...new Set(parsed.flatMap(({ file }) => [...file.profiles.keys()]))];
      issues.push({
        path: '',
        source: 'options.profile',
        message: `unknown profile ${JSON.stringify(name)}; ${
          defined.length === 0 ? 'the files define no profiles' : `the files define: ${defined.join(', ')}`
        }`,
      });
    }
  }

  const known = (path: readonly string[]): KnownKeys => {
    const node = shape?.at(path);
    const keys = new Set(node?.keys() ?? []);
    const here = valueAt(layered.value, path);
    if (isPlainObject(here)) for (const k of Object.keys(here)) keys.add(k);
    return { keys: [...keys], open: node?.isRecord() ?? false };
  };
  const kindAt = (path: readonly string[]): ValueKind | undefined => {
    const node = shape?.at(path);
    if (node && node.types.size > 0) {
      const items = node.items();
      return items && items.types.size > 0
        ? { types: node.types, items: { types: items.types } }
        : { types: node.types };
    }
    return kindOfValue(valueAt(options.defaults, path)) ?? kindOfValue(valueAt(layered.value, path));
  };
  const { assignments, ignored } = selectEnvironment(options.env, options.envPrefix, known);
  // Kinds are read before any variable is applied, so the order of variables cannot change how one is read.
  const kinds = assignments.map((a) => kindAt(a.path));
  assignments.forEach((assignment, i) => {
    const source = `env ${assignment.name}`;
    const secret = secrets.covers(assignment.path);
    if (secret) secretValues.add(assignment.raw).add(assignment.raw.trim());
    const arrayAt = findArrayAncestor(assignment.path, kindAt);
    if (arrayAt !== undefined) {
      uncoerced.push(assignment.path);
      issues.push({
        path: formatPath(assignment.path),
        source,
        message: `${formatPath(arrayAt)} is an array and is set whole: use ${options.envPrefix}${arrayAt
          .map((s) => s.toUpperCase())
          .join('__')} (JSON or a comma list)`,
      });
      return;
    }
    const coerced = coerceEnvValue(assignment.raw, kinds[i]);
    if (coerced.ok) {
      secrets.collect(coerced.value, assignment.path, secretValues);
      layered.setAt(assignment.path, coerced.value, source);
    } else {
      if (secrets.mayContain(assignment.path)) secretValues.add(assignment.raw).add(assignment.raw.trim());
      uncoerced.push(assignment.path);
      const received = secret ? 'a secret value' : JSON.stringify(assignment.raw);
      issues.push({
        path: formatPath(assignment.path),
        source,
        message: `${coerced.problem}, received ${received}`,
      });
    }
  });

  secrets.collect(options.overrides, [], secretValues);
  layered.apply(options.overrides, 'overrides');

  return { layered, issues, secretValues, ignoredEnv: ignored, uncoerced };
}

/** The nearest proper ancestor of `path` that holds an array (arrays are replaced whole, never patched by index). */
function findArrayAncestor(
  path: readonly string[],
  kindAt: (path: readonly string[]) => ValueKind | undefined,
): readonly string[] | undefined {
  for (let n = 1; n < path.length; n++) {
    const types = kindAt(path.slice(0, n))?.types;
    if (types?.has('array') && !types.has('object')) return path.slice(0, n);
  }
  return undefined;
}
