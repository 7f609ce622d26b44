import type { PathKey } from './paths.js';

/** The JSON types a key may hold, as JSON Schema names them. */
export type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

type Fragment = Readonly<Record<string, unknown>>;

const JSON_TYPES: ReadonlySet<string> = new Set([
  'object',
  'array',
  'string',
  'number',
  'integer',
  'boolean',
  'null',
]);
// Keywords that constrain a value; a fragment with none of them (`{}`, `{ description }`) accepts anything.
const CONSTRAINING = [
  'type',
  'enum',
  'const',
  'properties',
  'additionalProperties',
  'items',
  'prefixItems',
  'nullable',
];
const COMBINATORS = ['anyOf', 'oneOf', 'allOf'];
// $ref chains and combinator nesting deeper than this are cut off; config schemas are shallow.
const MAX_DEPTH = 32;

function isFragment(value: unknown): value is Fragment {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeOfJson(value: unknown): JsonType | undefined {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const t = typeof value;
  if (t === 'string' || t === 'number' || t === 'boolean' || t === 'object') return t;
  return undefined;
}

/**
 * The JSON-like shape of a configuration, read from the schema's JSON Schema: which keys exist at each level,
 * which JSON types each key accepts, and which keys are `writeOnly` (secret). Only what env mapping and
 * coercion need is read: `type`, `enum`, `const`, `nullable` (OpenAPI 3.0), `properties`,
 * `additionalProperties`, `items`, `prefixItems`, `anyOf`/`oneOf`/`allOf` (merged as a union — an
 * approximation that is exact for the unions config schemas use) and local `$ref`s (`#/$defs/…`).
 *
 * @internal
 */
export class ConfigShape {
  private memoTypes: ReadonlySet<JsonType> | undefined;

  private constructor(
    private readonly root: Fragment,
    private readonly fragments: readonly Fragment[],
    private readonly open: boolean,
  ) {}

  /** Reads a JSON Schema document; `undefined` when it is not an object. */
  static fromJsonSchema(schema: unknown): ConfigShape | undefined {
    if (!isFragment(schema)) return undefined;
    return ConfigShape.of(schema, [schema]);
  }

  private static of(root: Fragment, fragments: readonly Fragment[]): ConfigShape {
    const flat: Fragment[] = [];
    let open = false;
    const visit = (fragment: Fragment, depth: number): void => {
      if (depth > MAX_DEPTH) return;
      const ref = fragment.$ref;
      if (typeof ref === 'string') {
        const target = resolveRef(root, ref);
        if (target) visit(target, depth + 1);
        else open = true;
      }
      for (const combinator of COMBINATORS) {
        const members = fragment[combinator];
        if (Array.isArray(members)) for (const m of members) if (isFragment(m)) visit(m, depth + 1);
      }
      const constrains = CONSTRAINING.some((k) => k in fragment);
      if (constrains || fragment.writeOnly === true) flat.push(fragment);
      if (!constrains && typeof ref !== 'string' && !COMBINATORS.some((k) => k in fragment)) open = true;
    };
    for (const f of fragments) visit(f, 0);
    return new ConfigShape(root, flat, open || flat.length === 0);
  }

  /** The JSON types accepted; empty when anything is accepted (or the shape cannot tell). */
  get types(): ReadonlySet<JsonType> {
    if (this.memoTypes) return this.memoTypes;
    const types = new Set<JsonType>();
    if (!this.open) {
      for (const f of this.fragments) {
        const t = f.type;
        for (const name of Array.isArray(t) ? t : [t])
          if (typeof name === 'string' && JSON_TYPES.has(name)) types.add(name as JsonType);
        const values = Array.isArray(f.enum) ? f.enum : 'const' in f ? [f.const] : [];
        for (const v of values) {
          const vt = typeOfJson(v);
          if (vt) types.add(vt);
        }
        if (f.nullable === true) types.add('null');
        if ('properties' in f || 'additionalProperties' in f) types.add('object');
        if ('items' in f || 'prefixItems' in f) types.add('array');
      }
    }
    this.memoTypes = types;
    return types;
  }

  /** Whether some alternative marks the value `writeOnly` (JSON Schema 2020-12 §9.4: a value not to be echoed). */
  get secret(): boolean {
    return this.fragments.some((f) => f.writeOnly === true);
  }

  /** The keys named in `properties`. */
  keys(): string[] {
    const keys = new Set<string>();
    for (const f of this.fragments)
      if (isFragment(f.properties)) for (const k of Object.keys(f.properties)) keys.add(k);
    return [...keys];
  }

  /** Whether the object takes keys of its own choosing (a record: `additionalProperties` is a schema, no `properties`). */
  isRecord(): boolean {
    return this.keys().length === 0 && this.fragments.some((f) => isFragment(f.additionalProperties));
  }

  /** The shape of the value under `key` (an object key or array index), if the schema says. */
  child(key: PathKey): ConfigShape | undefined {
    const named: Fragment[] = [];
    const other: Fragment[] = [];
    const index = typeof key === 'number' ? key : /^\d+$/.test(key) ? Number(key) : undefined;
    for (const f of this.fragments) {
      const props = f.properties;
      if (isFragment(props) && Object.hasOwn(props, String(key)) && isFragment(props[String(key)])) {
        named.push(props[String(key)] as Fragment);
      } else if (isFragment(f.additionalProperties)) other.push(f.additionalProperties);
      if (index !== undefined) {
        const prefix = f.prefixItems;
        if (Array.isArray(prefix) && index < prefix.length && isFragment(prefix[index]))
          named.push(prefix[index]);
        else if (isFragment(f.items)) other.push(f.items);
      }
    }
    const chosen = named.length > 0 ? named : other;
    return chosen.length === 0 ? undefined : ConfigShape.of(this.root, chosen);
  }

  /** The shape at `path` below this one. */
  at(path: readonly PathKey[]): ConfigShape | undefined {
    let node: ConfigShape | undefined = this;
    for (const segment of path) {
      node = node.child(segment);
      if (!node) return undefined;
    }
    return node;
  }

  /** The shape of the array's items (for comma lists), if this is an array. */
  items(): ConfigShape | undefined {
    const items = this.fragments.map((f) => f.items).filter(isFragment);
    return items.length === 0 ? undefined : ConfigShape.of(this.root, items);
  }

  /**
   * The key paths marked `writeOnly`, with `*` for record keys and array items.
   *
   * @param depth - recursion guard for recursive schemas
   */
  secretPaths(depth = 0): string[][] {
    if (depth > 8) return [];
    if (this.secret) return [[]];
    const out: string[][] = [];
    for (const key of this.keys()) {
      for (const p of this.child(key)?.secretPaths(depth + 1) ?? []) out.push([key, ...p]);
    }
    const rest = [
      ...this.fragments.map((f) => f.additionalProperties).filter(isFragment),
      ...this.fragments.map((f) => f.items).filter(isFragment),
    ];
    if (rest.length > 0)
      for (const p of ConfigShape.of(this.root, rest).secretPaths(depth + 1)) out.push(['*', ...p]);
    return out;
  }
}

/** Resolves a local JSON Pointer reference (RFC 6901), e.g. `#/$defs/Peer`. */
function resolveRef(root: Fragment, ref: string): Fragment | undefined {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = isFragment(node) && Object.hasOwn(node, token) ? node[token] : undefined;
  }
  return isFragment(node) ? node : undefined;
}
