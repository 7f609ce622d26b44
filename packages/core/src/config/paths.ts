/** One segment of a key path: an object key or an array index. */
export type PathKey = string | number;

const PLAIN_SEGMENT = /^[A-Za-z_$][\w$-]*$/;

/**
 * Renders a key path the way users write it: `ledger.peers.0`, `labels["eu.west"]`.
 *
 * @internal
 */
export function formatPath(path: readonly PathKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number' || /^\d+$/.test(segment))
      out += out === '' ? String(segment) : `.${segment}`;
    else if (PLAIN_SEGMENT.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/**
 * A map key for a path; NUL cannot appear in TOML bare keys or environment variable names, and is
 * vanishingly rare in JSON keys, so it separates segments unambiguously in practice.
 *
 * @internal
 */
export function pathKey(path: readonly PathKey[]): string {
  return path.map(String).join('\u0000');
}

/**
 * Whether `path` is `prefix` or lies below it.
 *
 * @internal
 */
export function isPathWithin(path: readonly PathKey[], prefix: readonly PathKey[]): boolean {
  if (path.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (String(path[i]) !== String(prefix[i])) return false;
  return true;
}
