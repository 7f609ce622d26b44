import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { isSystemError } from '../src/errors/index.js';
import { type GovernorOptions, ResourceGovernor } from '../src/governor/index.js';

/** Builds a governor from untyped options and returns the validation error's option path. */
function failingPath(options: unknown): string {
  try {
    new ResourceGovernor(options as GovernorOptions);
  } catch (e) {
    if (isSystemError(e) && e.code === 'MSYS_GOVERNOR_INVALID_OPTION' && e.category === 'validation') {
      expect(e.message).toContain(String(e.details.path));
      expect(e.message).toContain('received');
      return String(e.details.path);
    }
    throw e;
  }
  return 'accepted';
}

describe('ResourceGovernor option validation (MSYS_GOVERNOR_INVALID_OPTION)', () => {
  const cases: [string, unknown, string][] = [
    ['options itself', 5, 'options'],
    ['an array as options', [], 'options'],
    ['an unknown option (typo)', { cpuPercentcap: 50 }, 'options.cpuPercentcap'],
    ['cpuPercentCap 0', { cpuPercentCap: 0 }, 'options.cpuPercentCap'],
    ['cpuPercentCap above 100', { cpuPercentCap: 150 }, 'options.cpuPercentCap'],
    ['cpuPercentCap NaN', { cpuPercentCap: Number.NaN }, 'options.cpuPercentCap'],
    ['cpuPercentCap as a string', { cpuPercentCap: '50' }, 'options.cpuPercentCap'],
    ['cpuWindowMs too small', { cpuPercentCap: 50, cpuWindowMs: 10 }, 'options.cpuWindowMs'],
    ['cpuWindowMs without a cap', { cpuWindowMs: 500 }, 'options.cpuWindowMs'],
    ['ramLimitBytes negative', { ramLimitBytes: -1 }, 'options.ramLimitBytes'],
    ['ramLimitBytes fractional', { ramLimitBytes: 1.5 }, 'options.ramLimitBytes'],
    ['pressureRssBytes zero', { pressureRssBytes: 0 }, 'options.pressureRssBytes'],
    ['pressureIntervalMs zero', { pressureRssBytes: 1, pressureIntervalMs: 0 }, 'options.pressureIntervalMs'],
    ['pressureIntervalMs without a threshold', { pressureIntervalMs: 100 }, 'options.pressureIntervalMs'],
    ['maxIoOpsPerSec zero', { maxIoOpsPerSec: 0 }, 'options.maxIoOpsPerSec'],
    ['maxIoOpsPerSec Infinity', { maxIoOpsPerSec: Number.POSITIVE_INFINITY }, 'options.maxIoOpsPerSec'],
    ['ioBurst fractional', { maxIoOpsPerSec: 10, ioBurst: 2.5 }, 'options.ioBurst'],
    ['ioBurst without a rate', { ioBurst: 10 }, 'options.ioBurst'],
    ['deterministic without a seed', { deterministic: {} }, 'options.deterministic'],
    ['deterministic as a number', { deterministic: 42 }, 'options.deterministic'],
    ['a fractional seed', { deterministic: { seed: 1.5 } }, 'options.deterministic.seed'],
    ['a seed of the wrong type', { deterministic: { seed: null } }, 'options.deterministic.seed'],
    ['sandbox as an array', { sandbox: [] }, 'options.sandbox'],
    ['an unknown sandbox key', { sandbox: { fsExec: [] } }, 'options.sandbox.fsExec'],
    ['fsRead not an array', { sandbox: { fsRead: '/tmp' } }, 'options.sandbox.fsRead'],
    ['an empty fsRead entry', { sandbox: { fsRead: [''] } }, 'options.sandbox.fsRead[0]'],
    ['a comma in fsWrite', { sandbox: { fsWrite: ['/tmp', '/a,b'] } }, 'options.sandbox.fsWrite[1]'],
    ['a wildcard in fsRead', { sandbox: { fsRead: ['/tmp/*'] } }, 'options.sandbox.fsRead[0]'],
    ['net not an array', { sandbox: { net: 'localhost:80' } }, 'options.sandbox.net'],
    ['a net entry without a port', { sandbox: { net: ['localhost'] } }, 'options.sandbox.net[0]'],
    ['a net port out of range', { sandbox: { net: ['localhost:*', 'a:70000'] } }, 'options.sandbox.net[1]'],
    ['an unbracketed IPv6 entry', { sandbox: { net: ['::1:80'] } }, 'options.sandbox.net[0]'],
    ['a net entry of the wrong type', { sandbox: { net: [80] } }, 'options.sandbox.net[0]'],
    ['a logger that is not an object', { logger: 'info' }, 'options.logger'],
    [
      'a logger without warn()',
      { logger: { trace() {}, debug() {}, info() {}, error() {}, fatal() {}, child() {} } },
      'options.logger',
    ],
  ];

  for (const [what, options, path] of cases) {
    it(`rejects ${what}, naming ${path}`, () => {
      expect(failingPath(options)).toBe(path);
    });
  }

  it('accepts every option at once, with a pino logger', () => {
    const g = new ResourceGovernor({
      cpuPercentCap: 100,
      cpuWindowMs: 1000,
      ramLimitBytes: 0,
      pressureRssBytes: 2 ** 40,
      pressureIntervalMs: 250,
      maxIoOpsPerSec: 0.5,
      ioBurst: 1,
      deterministic: { seed: 'run-1' },
      sandbox: { fsRead: ['.'], fsWrite: [], net: ['[::1]:*'] },
      logger: pino({ level: 'silent' }),
    });
    expect(g.deterministic).toBe(true);
    expect(g.io.burst).toBe(1);
    expect(g.io.ratePerSec).toBe(0.5);
    expect(() => g.reserve(1)).toThrow(expect.objectContaining({ code: 'MSYS_RESOURCE_RAM_LIMIT' }));
  });
});
