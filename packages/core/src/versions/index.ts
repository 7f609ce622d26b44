/**
 * Semantic Versioning 2.0.0: strict parsing, precedence and npm-style ranges (through `semver`, the
 * parser npm itself uses).
 *
 * @module
 */
import semver from 'semver';
import { defineErrors, describeValue } from '../errors/index.js';

const versionErrors = defineErrors({
  MSYS_VERSION_INVALID: {
    category: 'validation',
    message: (d: { path: string; received: string; reason: string }) =>
      `${d.path} must be a SemVer 2.0 version such as 1.4.0 or 2.0.0-rc.1+build.5, received ${d.received}: ${d.reason}`,
  },
  MSYS_VERSION_INVALID_RANGE: {
    category: 'validation',
    message: (d: { path: string; received: string }) =>
      `${d.path} must be a version range such as ^1.2.0, >=1.0.0 <2.0.0 or 1.x, received ${d.received}`,
  },
});

/** A parsed SemVer 2.0 version. Frozen. */
export interface ParsedVersion {
  /** The major version: incompatible API changes. */
  readonly major: number;
  /** The minor version: backwards-compatible additions. */
  readonly minor: number;
  /** The patch version: backwards-compatible fixes. */
  readonly patch: number;
  /** The pre-release identifiers (`['rc', '1']` for `1.0.0-rc.1`); empty for a release. */
  readonly prerelease: readonly string[];
  /** The build metadata identifiers (`['build', '5']` for `1.0.0+build.5`); ignored by precedence. */
  readonly build: readonly string[];
  /** The text that was parsed. */
  readonly raw: string;
}

/**
 * The grammar of SemVer 2.0.0 (the regular expression published at semver.org, §2, §9 and §10): no `v`
 * prefix, no leading zeros in numeric identifiers, non-empty dot-separated identifiers. `semver.parse` alone
 * would also accept `v1.2.3` and surrounding spaces, which are not semantic versions.
 */
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

function parseAt(version: unknown, path: string): ParsedVersion {
  const fail = (reason: string) =>
    versionErrors.MSYS_VERSION_INVALID({ path, received: describeValue(version), reason });
  if (typeof version !== 'string') throw fail('not a string');
  const m = SEMVER.exec(version);
  if (!m) throw fail('not MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD] without leading zeros');
  // semver refuses numbers above Number.MAX_SAFE_INTEGER and texts over 256 characters.
  if (semver.parse(version) === null)
    throw fail('a number exceeds 2^53-1 or the text exceeds 256 characters');
  return Object.freeze({
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: Number(m[3]),
    prerelease: Object.freeze(m[4] === undefined ? [] : m[4].split('.')),
    build: Object.freeze(m[5] === undefined ? [] : m[5].split('.')),
    raw: version,
  });
}

/**
 * Parses a SemVer 2.0.0 version strictly.
 *
 * @param version - e.g. `1.0.0`, `2.1.0-beta.2`, `1.0.0+20130313144700`
 * @returns the frozen parts of the version
 * @throws SystemError `MSYS_VERSION_INVALID` (validation) for anything that is not a SemVer 2.0 version
 *   (including `v1.2.3`, `1.2`, `01.2.3`)
 * @example
 * ```ts
 * parseVersion('1.0.0-rc.1+build.5');
 * // { major: 1, minor: 0, patch: 0, prerelease: ['rc', '1'], build: ['build', '5'], raw: '1.0.0-rc.1+build.5' }
 * ```
 */
export function parseVersion(version: string): ParsedVersion {
  return parseAt(version, 'version');
}

/**
 * Whether `version` is a SemVer 2.0.0 version that {@link parseVersion} accepts.
 *
 * @param version - anything
 * @returns true when valid
 */
export function isValidVersion(version: unknown): version is string {
  try {
    parseAt(version, 'version');
    return true;
  } catch {
    return false;
  }
}

function rawOf(version: string | ParsedVersion, path: string): string {
  return typeof version === 'object' && version !== null
    ? parseAt(version.raw, `${path}.raw`).raw
    : parseAt(version, path).raw;
}

/**
 * Compares two versions by SemVer precedence (§11): numeric major, minor, patch; a pre-release ranks
 * below its release; pre-release identifiers compare numerically when numeric, lexically in ASCII otherwise,
 * and numeric ones rank below alphanumeric ones; build metadata is ignored (§10).
 *
 * @param a - a version string or a {@link ParsedVersion}
 * @param b - a version string or a {@link ParsedVersion}
 * @returns -1 when `a` precedes `b`, 1 when it follows, 0 when they have the same precedence
 * @throws SystemError `MSYS_VERSION_INVALID` when either is not a SemVer 2.0 version
 * @example
 * ```ts
 * ['1.0.0', '1.0.0-rc.1', '1.0.0-alpha'].sort(compareVersions); // ['1.0.0-alpha', '1.0.0-rc.1', '1.0.0']
 * ```
 */
export function compareVersions(a: string | ParsedVersion, b: string | ParsedVersion): -1 | 0 | 1 {
  return semver.compare(rawOf(a, 'a'), rawOf(b, 'b'));
}

/** Options of {@link satisfies}. */
export interface SatisfiesOptions {
  /**
   * Let pre-release versions match ordinary ranges. By default (npm's rule) `1.3.0-rc.1` satisfies only
   * ranges that name a pre-release of 1.3.0 itself, such as `>=1.3.0-rc.0`, so that a dependency range
   * never silently picks up unreleased code.
   */
  readonly includePrerelease?: boolean;
}

/**
 * Whether `version` lies in `range` (npm range syntax: `^1.2.0`, `~1.2`, `>=1.0.0 <2.0.0`, `1.x || 2.x`,
 * `1.2.3 - 2.3.4`).
 *
 * @param version - a version string or a {@link ParsedVersion}
 * @param range - the range
 * @param options - pre-release handling
 * @returns true when the version satisfies the range
 * @throws SystemError `MSYS_VERSION_INVALID` for an invalid version, `MSYS_VERSION_INVALID_RANGE` for an
 *   invalid range
 * @example
 * ```ts
 * satisfies('1.4.2', '^1.2.0'); // true
 * satisfies('2.0.0', '^1.2.0'); // false
 * ```
 */
export function satisfies(
  version: string | ParsedVersion,
  range: string,
  options: SatisfiesOptions = {},
): boolean {
  const raw = rawOf(version, 'version');
  if (typeof range !== 'string' || semver.validRange(range) === null) {
    throw versionErrors.MSYS_VERSION_INVALID_RANGE({ path: 'range', received: describeValue(range) });
  }
  return semver.satisfies(raw, range, { includePrerelease: options.includePrerelease === true });
}
