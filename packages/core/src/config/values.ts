import { type PathKey, pathKey } from './paths.js';

/** An object literal (prototype `Object.prototype` or `null`): the only kind of value that layers merge into. */
export type PlainObject = Record<string, unknown>;

/** @internal */
export function isPlainObject(value: unknown): value is PlainObject {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Defines an own property; plain assignment of a `__proto__` key read from JSON would replace the
 * prototype instead of setting a key.
 *
 * @internal
 */
export function setOwn(target: PlainObject, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** @internal */
export function getOwn(target: unknown, key: PathKey): unknown {
  if (typeof target !== 'object' || target === null) return undefined;
  return Object.hasOwn(target, key) ? (target as Record<PathKey, unknown>)[key] : undefined;
}

/**
 * Copies plain objects and arrays so that no source object is shared with (or frozen by) the result;
 * `undefined` entries are dropped (an `undefined` value means "not set" in every layer).
 *
 * @internal
 */
export function cloneData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneData);
  if (!isPlainObject(value)) return value;
  const out: PlainObject = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) setOwn(out, k, cloneData(v));
  return out;
}

/** @internal */
export function valueAt(root: unknown, path: readonly PathKey[]): unknown {
  let node = root;
  for (const segment of path) {
    node = getOwn(node, segment);
    if (node === undefined) return undefined;
  }
  return node;
}

/**
 * Freezes a value and everything reachable from it. Typed arrays and array buffers are left alone: freezing a
 * non-empty typed array throws (ECMA-262 §10.4.5: integer-indexed elements cannot be made non-writable).
 *
 * @internal
 */
export function deepFreeze<T>(value: T, seen: WeakSet<object> = new WeakSet()): T {
  if (typeof value !== 'object' || value === null) return value;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || seen.has(value)) return value;
  seen.add(value);
  for (const key of Reflect.ownKeys(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (descriptor && 'value' in descriptor) deepFreeze(descriptor.value as unknown, seen);
  }
  return Object.freeze(value);
}

/**
 * The configuration being assembled, layer over layer, remembering which source set each leaf so that a
 * schema issue can name its source. Plain objects merge key by key; anything else (scalars, arrays, dates)
 * replaces what was there, subtree and all.
 *
 * @internal
 */
export class LayeredValue {
  /** The merged value so far. */
  readonly value: PlainObject = {};
  /** The sources that set at least one key, in the order applied. */
  readonly sources: string[] = [];
  private readonly origins = new Map<
    string,
    { readonly path: readonly PathKey[]; readonly source: string }
  >();

  /** Merges `layer` over the current value. */
  apply(layer: PlainObject, source: string): void {
    if (this.mergeInto(this.value, layer, [], source) && !this.sources.includes(source))
      this.sources.push(source);
  }

  /** Sets one key path (creating the objects on the way, replacing non-objects) to `value`. */
  setAt(path: readonly PathKey[], value: unknown, source: string): void {
    let layer: unknown = value;
    for (let i = path.length - 1; i >= 0; i--) {
      const wrapper: PlainObject = {};
      setOwn(wrapper, String(path[i]), layer);
      layer = wrapper;
    }
    this.apply(layer as PlainObject, source);
  }

  /**
   * The source of the value at `path`: the source of the leaf at or above it; else, for an object, the sources
   * of the leaves below it; else `(unset)`.
   */
  sourceOf(path: readonly PathKey[]): string {
    for (let n = path.length; n >= 0; n--) {
      const origin = this.origins.get(pathKey(path.slice(0, n)));
      if (origin) return origin.source;
    }
    const below = new Set<string>();
    const prefix = `${pathKey(path)}\u0000`;
    for (const [key, origin] of this.origins) {
      if (path.length === 0 || key.startsWith(prefix)) below.add(origin.source);
    }
    return below.size === 0 ? '(unset)' : [...below].join(', ');
  }

  private mergeInto(
    target: PlainObject,
    layer: PlainObject,
    at: readonly PathKey[],
    source: string,
  ): boolean {
    let changed = false;
    for (const [key, incoming] of Object.entries(layer)) {
      if (incoming === undefined) continue;
      const path = [...at, key];
      const current = getOwn(target, key);
      if (isPlainObject(incoming)) {
        let next = current;
        if (!isPlainObject(current)) {
          next = {};
          setOwn(target, key, next);
          this.forget(path);
        }
        this.mergeInto(next as PlainObject, incoming, path, source);
      } else {
        setOwn(target, key, cloneData(incoming));
        this.forget(path);
        this.origins.set(pathKey(path), { path, source });
      }
      changed = true;
    }
    return changed;
  }

  private forget(path: readonly PathKey[]): void {
    const key = pathKey(path);
    const prefix = `${key}\u0000`;
    for (const k of [...this.origins.keys()]) if (k === key || k.startsWith(prefix)) this.origins.delete(k);
  }
}
