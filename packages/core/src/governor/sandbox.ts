/**
 * The sandbox allow-lists: file-system prefixes checked on resolved real paths, and network endpoints.
 *
 * @module
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { governorErrors, invalidGovernorArgument, invalidOption } from './errors.js';

/** The allow-lists of a governor's sandbox. A list left out allows nothing of its kind. */
export interface SandboxOptions {
  /** Path prefixes that may be read (a directory allows everything below it). */
  readonly fsRead?: readonly string[];
  /** Path prefixes that may be written. Write access does not imply read access (as in Node's model). */
  readonly fsWrite?: readonly string[];
  /** Endpoints that may be connected to: `host:port`, `host:*`, `[ipv6]:port`; hosts are compared by name. */
  readonly net?: readonly string[];
}

/** File-system access mode for `ResourceGovernor.checkFs`. */
export type FsAccessMode = 'read' | 'write';

interface NetRule {
  readonly host: string;
  readonly port: number | '*';
}

/**
 * Resolves a path the way the kernel will: relative to the working directory, symbolic links followed.
 * For a path that does not exist yet, the deepest existing ancestor is resolved and the rest appended; the
 * rest cannot contain links (it does not exist), so normalizing its `..` lexically is safe. Lexical
 * normalization is deliberately *not* applied before resolving, because `link/..` is the parent of the
 * link's target, not the directory holding the link.
 *
 * @internal
 */
export function resolveRealPath(path: string): string {
  let head = isAbsolute(path) ? path : `${process.cwd()}${sep}${path}`;
  const tail: string[] = [];
  for (;;) {
    try {
      const real = realpathSync.native(head);
      return tail.length === 0 ? real : join(real, ...tail.reverse());
    } catch {
      const parent = dirname(head);
      if (parent === head) return join(head, ...tail.reverse());
      tail.push(basename(head));
      head = parent;
    }
  }
}

function toPathString(path: unknown, name: string): string {
  const p = path instanceof URL ? (path.protocol === 'file:' ? fileURLToPath(path) : undefined) : path;
  if (typeof p !== 'string' || p === '' || p.includes('\0')) {
    throw invalidGovernorArgument(name, 'a non-empty path string or file: URL without NUL bytes', path);
  }
  return p;
}

function isUnder(candidate: string, prefix: string): boolean {
  return candidate === prefix || candidate.startsWith(prefix.endsWith(sep) ? prefix : prefix + sep);
}

function normalizeHost(host: string): string {
  const h = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return h.toLowerCase();
}

const NET_EXPECTED = 'an endpoint like 127.0.0.1:6379, localhost:* or [::1]:8080';

function parseNetRule(entry: unknown, path: string): NetRule {
  if (typeof entry !== 'string') throw invalidOption(path, NET_EXPECTED, entry);
  let host: string;
  let port: string;
  if (entry.startsWith('[')) {
    const close = entry.indexOf(']');
    if (close < 0 || entry[close + 1] !== ':') throw invalidOption(path, NET_EXPECTED, entry);
    host = entry.slice(1, close);
    port = entry.slice(close + 2);
  } else {
    const colon = entry.lastIndexOf(':');
    host = entry.slice(0, colon);
    port = entry.slice(colon + 1);
    // An unbracketed IPv6 address cannot be told apart from its port.
    if (colon < 0 || host.includes(':')) throw invalidOption(path, NET_EXPECTED, entry);
  }
  if (host === '' || /[\s/]/.test(host)) throw invalidOption(path, NET_EXPECTED, entry);
  if (port === '*') return { host: host.toLowerCase(), port: '*' };
  const n = /^\d{1,5}$/.test(port) ? Number(port) : Number.NaN;
  if (!(n >= 0 && n <= 65535)) throw invalidOption(path, NET_EXPECTED, entry);
  return { host: host.toLowerCase(), port: n };
}

function checkPathList(list: unknown, path: string): readonly string[] {
  if (!Array.isArray(list)) throw invalidOption(path, 'an array of path strings', list);
  list.forEach((p, i) => {
    if (typeof p !== 'string' || p === '' || p.includes('\0')) {
      throw invalidOption(`${path}[${i}]`, 'a non-empty path string without NUL bytes', p);
    }
    // Node 20's permission flags cannot express these: a comma once separated entries, `*` is a wildcard.
    if (p.includes(',') || p.includes('*')) {
      throw invalidOption(
        `${path}[${i}]`,
        'a path without "," or "*" (Node permission flags reject them)',
        p,
      );
    }
  });
  return list as readonly string[];
}

/**
 * Checks accesses against allow-lists. Without a configuration (`undefined`), everything is allowed: a
 * governor built without `options.sandbox` does not sandbox.
 *
 * @internal
 */
export class Sandbox {
  readonly configured: boolean;
  readonly fsRead: readonly string[];
  readonly fsWrite: readonly string[];
  readonly net: readonly string[];
  readonly #readReal: readonly string[];
  readonly #writeReal: readonly string[];
  readonly #netRules: readonly NetRule[];

  constructor(options: SandboxOptions | undefined) {
    this.configured = options !== undefined;
    if (
      options !== undefined &&
      (typeof options !== 'object' || options === null || Array.isArray(options))
    ) {
      throw invalidOption('options.sandbox', 'an object { fsRead?, fsWrite?, net? }', options);
    }
    for (const key of Object.keys(options ?? {})) {
      if (key !== 'fsRead' && key !== 'fsWrite' && key !== 'net') {
        throw invalidOption(
          `options.sandbox.${key}`,
          'absent (known keys: fsRead, fsWrite, net)',
          (options as never)[key],
        );
      }
    }
    this.fsRead =
      options?.fsRead === undefined ? [] : checkPathList(options.fsRead, 'options.sandbox.fsRead');
    this.fsWrite =
      options?.fsWrite === undefined ? [] : checkPathList(options.fsWrite, 'options.sandbox.fsWrite');
    const net = options?.net ?? [];
    if (!Array.isArray(net)) throw invalidOption('options.sandbox.net', `an array of ${NET_EXPECTED}`, net);
    this.#netRules = net.map((e, i) => parseNetRule(e, `options.sandbox.net[${i}]`));
    this.net = net;
    this.#readReal = this.fsRead.map(resolveRealPath);
    this.#writeReal = this.fsWrite.map(resolveRealPath);
  }

  /** The allow-list entries as resolved real paths. */
  realPaths(mode: FsAccessMode): readonly string[] {
    return mode === 'read' ? this.#readReal : this.#writeReal;
  }

  checkFs(path: unknown, mode: unknown): string {
    const p = toPathString(path, 'path');
    if (mode !== 'read' && mode !== 'write') throw invalidGovernorArgument('mode', '"read" or "write"', mode);
    const real = resolveRealPath(p);
    if (!this.configured) return real;
    const allowed = mode === 'read' ? this.#readReal : this.#writeReal;
    if (allowed.some((prefix) => isUnder(real, prefix))) return real;
    throw governorErrors.MSYS_PERMISSION_DENIED({
      kind: 'fs',
      target: real === p ? p : `${p} (resolved to ${real})`,
      mode,
      allowed: [...(mode === 'read' ? this.fsRead : this.fsWrite)],
    });
  }

  checkNet(host: unknown, port: unknown): void {
    if (typeof host !== 'string' || host === '')
      throw invalidGovernorArgument('host', 'a non-empty host name', host);
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
      throw invalidGovernorArgument('port', 'an integer in [0, 65535]', port);
    }
    if (!this.configured) return;
    const h = normalizeHost(host);
    if (this.#netRules.some((r) => r.host === h && (r.port === '*' || r.port === port))) return;
    throw governorErrors.MSYS_PERMISSION_DENIED({
      kind: 'net',
      target: `${h.includes(':') ? `[${h}]` : h}:${port}`,
      allowed: [...this.net],
    });
  }
}
