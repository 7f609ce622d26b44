import fc from 'fast-check';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { compareVersions, isValidVersion, parseVersion, satisfies } from '../src/versions/index.js';

function errorOf(fn: () => unknown): { code?: unknown; category?: unknown } | undefined {
  try {
    fn();
  } catch (e) {
    return e as { code?: unknown; category?: unknown };
  }
  return undefined;
}

// SemVer 2.0.0 §11, the precedence example, in ascending order.
const SPEC_ORDER = [
  '1.0.0-alpha',
  '1.0.0-alpha.1',
  '1.0.0-alpha.beta',
  '1.0.0-beta',
  '1.0.0-beta.2',
  '1.0.0-beta.11',
  '1.0.0-rc.1',
  '1.0.0',
];

describe('parseVersion', () => {
  it('returns the frozen parts', () => {
    const v = parseVersion('1.0.0-rc.1+build.5');
    expect(v).toEqual({
      major: 1,
      minor: 0,
      patch: 0,
      prerelease: ['rc', '1'],
      build: ['build', '5'],
      raw: '1.0.0-rc.1+build.5',
    });
    expect(Object.isFrozen(v)).toBe(true);
    expect(Object.isFrozen(v.prerelease)).toBe(true);
    expect(Object.isFrozen(v.build)).toBe(true);
    expect(parseVersion('10.20.30')).toMatchObject({
      major: 10,
      minor: 20,
      patch: 30,
      prerelease: [],
      build: [],
    });
  });

  it.each([
    '0.0.4',
    '1.2.3',
    '10.20.30',
    '1.1.2-prerelease+meta',
    '1.1.2+meta-valid',
    '1.0.0-alpha.0valid',
    '1.0.0-alpha-a.b-c-somethinglong+build.1-aef.1-its-okay',
    '1.0.0-rc.1+build.1',
    '2.0.0-rc.1+build.123',
    '1.2.3----RC-SNAPSHOT.12.9.1--.12+788',
    '1.0.0+0.build.1-rc.10000aaa-kk-0.1',
    '1.0.0-0A.is.legal',
    '9007199254740991.0.0',
  ])('accepts %s (semver.org valid examples)', (v) => {
    expect(parseVersion(v).raw).toBe(v);
    expect(isValidVersion(v)).toBe(true);
  });

  it.each([
    '1',
    '1.2',
    '1.2.3-0123',
    '1.2.3-0123.0123',
    '1.1.2+.123',
    '+invalid',
    '-invalid',
    'alpha',
    '1.0.0-alpha_beta',
    '1.0.0-alpha..',
    '01.1.1',
    '1.01.1',
    '1.1.01',
    '1.2.3.DEV',
    '1.2-SNAPSHOT',
    '1.2.31.2.3----RC-SNAPSHOT.12.09.1--..12+788',
    'v1.2.3',
    ' 1.2.3',
    '=1.2.3',
    '9007199254740992.0.0',
    '',
  ])('rejects %s with MSYS_VERSION_INVALID (semver.org invalid examples and more)', (v) => {
    expect(errorOf(() => parseVersion(v))).toMatchObject({
      code: 'MSYS_VERSION_INVALID',
      category: 'validation',
    });
    expect(isValidVersion(v)).toBe(false);
  });

  it('rejects non-strings', () => {
    expect(errorOf(() => parseVersion(1 as never))?.code).toBe('MSYS_VERSION_INVALID');
    expect(isValidVersion(null)).toBe(false);
  });
});

describe('compareVersions', () => {
  it('orders the SemVer §11 precedence example', () => {
    for (let i = 0; i < SPEC_ORDER.length; i++) {
      for (let j = 0; j < SPEC_ORDER.length; j++) {
        expect(compareVersions(SPEC_ORDER[i]!, SPEC_ORDER[j]!)).toBe(Math.sign(i - j));
      }
    }
    const shuffled = [...SPEC_ORDER].reverse();
    expect(shuffled.sort(compareVersions)).toEqual(SPEC_ORDER);
  });

  it('orders by major, minor, patch numerically (§11.2)', () => {
    expect(['2.1.1', '2.0.0', '1.0.0', '2.1.0', '10.0.0'].sort(compareVersions)).toEqual([
      '1.0.0',
      '2.0.0',
      '2.1.0',
      '2.1.1',
      '10.0.0',
    ]);
  });

  it('ignores build metadata (§10)', () => {
    expect(compareVersions('1.0.0+build.1', '1.0.0+build.2')).toBe(0);
    expect(compareVersions('1.0.0-alpha+001', '1.0.0-alpha')).toBe(0);
    expect(compareVersions(parseVersion('1.0.0+x'), '1.0.1+a')).toBe(-1);
  });

  it('is a total preorder consistent with semver.compare (property)', () => {
    const id = fc.oneof(fc.constantFrom('alpha', 'beta', 'rc', 'x-y'), fc.nat({ max: 20 }).map(String));
    const version = fc
      .tuple(fc.nat({ max: 3 }), fc.nat({ max: 3 }), fc.nat({ max: 3 }), fc.array(id, { maxLength: 3 }))
      .map(([a, b, c, pre]) => `${a}.${b}.${c}${pre.length ? `-${pre.join('.')}` : ''}`);
    fc.assert(
      fc.property(version, version, version, (a, b, c) => {
        expect(compareVersions(a, b)).toBe(semver.compare(a, b));
        expect(compareVersions(a, b)).toBe(-compareVersions(b, a) || 0);
        if (compareVersions(a, b) <= 0 && compareVersions(b, c) <= 0)
          expect(compareVersions(a, c)).toBeLessThanOrEqual(0);
      }),
    );
  });

  it('rejects invalid operands', () => {
    expect(errorOf(() => compareVersions('1.0', '1.0.0'))?.code).toBe('MSYS_VERSION_INVALID');
    expect(errorOf(() => compareVersions('1.0.0', 'v1.0.0'))?.code).toBe('MSYS_VERSION_INVALID');
  });
});

describe('satisfies', () => {
  it.each([
    ['1.4.2', '^1.2.0', true],
    ['2.0.0', '^1.2.0', false],
    ['0.2.5', '^0.2.3', true],
    ['0.3.0', '^0.2.3', false],
    ['1.2.9', '~1.2.3', true],
    ['1.3.0', '~1.2.3', false],
    ['1.5.0', '>=1.0.0 <2.0.0', true],
    ['2.5.0', '1.x || 2.x', true],
    ['3.0.0', '1.2.3 - 2.3.4', false],
    ['1.0.0+build', '1.0.0', true],
    ['7.7.7', '*', true],
  ])('%s in %s is %s', (version, range, expected) => {
    expect(satisfies(version, range)).toBe(expected);
  });

  it('keeps pre-releases out of ordinary ranges unless asked', () => {
    expect(satisfies('1.3.0-rc.1', '^1.2.0')).toBe(false);
    expect(satisfies('1.3.0-rc.1', '^1.2.0', { includePrerelease: true })).toBe(true);
    expect(satisfies('1.3.0-rc.2', '>=1.3.0-rc.1')).toBe(true);
  });

  it('accepts a parsed version', () => {
    expect(satisfies(parseVersion('1.2.3'), '^1.0.0')).toBe(true);
  });

  it('rejects invalid ranges and versions with their own codes', () => {
    expect(errorOf(() => satisfies('1.0.0', '>=>1'))).toMatchObject({
      code: 'MSYS_VERSION_INVALID_RANGE',
      category: 'validation',
    });
    expect(errorOf(() => satisfies('1.0.0', 5 as never))?.code).toBe('MSYS_VERSION_INVALID_RANGE');
    expect(errorOf(() => satisfies('1.0', '^1.0.0'))?.code).toBe('MSYS_VERSION_INVALID');
  });
});
