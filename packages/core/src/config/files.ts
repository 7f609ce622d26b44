import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import { describeJsonError } from './env.js';
import type { ConfigIssue } from './errors.js';
import { isPlainObject, type PlainObject } from './values.js';

/** A configuration file after option validation. */
export interface ConfigFileSpec {
  /** The path as given (used as the source label). */
  readonly path: string;
  /** The absolute path read. */
  readonly resolved: string;
  /** Whether a missing file is fine. */
  readonly optional: boolean;
  /** How to parse it. */
  readonly format: 'json' | 'toml';
}

/** What reading one file produced. */
export type FileRead =
  | { readonly spec: ConfigFileSpec; readonly status: 'ok'; readonly text: string }
  | { readonly spec: ConfigFileSpec; readonly status: 'missing' }
  | { readonly spec: ConfigFileSpec; readonly status: 'error'; readonly message: string };

/** A parsed file, split into its base settings and its `profile.<name>` sections. */
export interface ParsedFile {
  /** The settings outside `profile`. */
  readonly base: PlainObject;
  /** Profile name → section. */
  readonly profiles: ReadonlyMap<string, PlainObject>;
}

/** @internal */
export function resolveFile(path: string, cwd: string): string {
  return resolve(cwd, path);
}

function readFailure(spec: ConfigFileSpec, error: unknown): FileRead {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return { spec, status: 'missing' };
  const reason = typeof code === 'string' ? code : error instanceof Error ? error.name : 'unknown error';
  return { spec, status: 'error', message: `cannot read ${spec.resolved} (${reason})` };
}

/** @internal */
export function readConfigFileSync(spec: ConfigFileSpec): FileRead {
  try {
    return { spec, status: 'ok', text: readFileSync(spec.resolved, 'utf8') };
  } catch (error) {
    return readFailure(spec, error);
  }
}

/** @internal */
export async function readConfigFile(spec: ConfigFileSpec): Promise<FileRead> {
  try {
    return { spec, status: 'ok', text: await readFile(spec.resolved, 'utf8') };
  } catch (error) {
    return readFailure(spec, error);
  }
}

/**
 * Parses a file's text. Parse errors are reported by position only: both parsers quote the offending line,
 * which may hold a secret.
 *
 * @internal
 */
export function parseConfigFile(spec: ConfigFileSpec, text: string): ParsedFile | ConfigIssue[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let document: unknown;
  try {
    document = spec.format === 'json' ? JSON.parse(body) : parseToml(body);
  } catch (error) {
    const message =
      error instanceof TomlError
        ? `invalid TOML at line ${error.line}, column ${error.column}: ${firstLine(error.message).replace(/^Invalid TOML document: /, '')}`
        : describeJsonError(body);
    return [{ path: '', source: spec.path, message }];
  }
  if (!isPlainObject(document)) {
    return [{ path: '', source: spec.path, message: 'the document must be an object (a table of settings)' }];
  }
  const { profile, ...base } = document;
  const profiles = new Map<string, PlainObject>();
  if (profile === undefined) return { base, profiles };
  if (!isPlainObject(profile)) {
    return [
      {
        path: 'profile',
        source: spec.path,
        message: 'must be a table of profiles ([profile.<name>] sections)',
      },
    ];
  }
  const issues: ConfigIssue[] = [];
  for (const [name, section] of Object.entries(profile)) {
    if (isPlainObject(section)) profiles.set(name, section);
    else
      issues.push({
        path: `profile.${name}`,
        source: spec.path,
        message: 'a profile must be a table of settings',
      });
  }
  return issues.length > 0 ? issues : { base, profiles };
}

function firstLine(message: string): string {
  const end = message.indexOf('\n');
  return end === -1 ? message : message.slice(0, end);
}
