import fc from 'fast-check';
import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import {
  defineErrors,
  describeValue,
  ERROR_CATEGORIES,
  type ErrorCategory,
  invalidArgument,
  isSystemError,
  SystemError,
} from '../src/errors/index.js';

describe('SystemError', () => {
  it('carries code, category, details and cause', () => {
    const cause = new Error('disk full');
    const e = new SystemError('write failed', {
      code: 'MSYS_LEDGER_WRITE_FAILED',
      category: 'io',
      details: { path: '/tmp/x', bytes: 12n, raw: new Uint8Array([1, 255]), when: new Date(0) },
      cause,
    });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('SystemError');
    expect(e.code).toBe('MSYS_LEDGER_WRITE_FAILED');
    expect(e.category).toBe('io');
    expect(e.cause).toBe(cause);
    // details are made JSON-safe: bigint → string, bytes → hex, Date → ISO
    expect(e.details).toEqual({ path: '/tmp/x', bytes: '12', raw: '01ff', when: '1970-01-01T00:00:00.000Z' });
    expect(Object.isFrozen(e.details)).toBe(true);
  });

  it('rejects malformed codes and unknown categories', () => {
    expect(() => new SystemError('x', { code: 'BAD', category: 'io' })).toThrow(TypeError);
    expect(() => new SystemError('x', { code: 'MSYS_lower_case', category: 'io' })).toThrow(TypeError);
    expect(() => new SystemError('x', { code: 'MSYS_A_B', category: 'nope' as ErrorCategory })).toThrow(
      TypeError,
    );
  });

  it('survives cyclic details', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const e = new SystemError('x', { code: 'MSYS_CORE_TEST', category: 'state', details: cyclic });
    expect(e.details).toEqual({ a: 1, self: '[Circular]' });
  });

  it('round-trips through JSON with stack and cause chain (property)', () => {
    const json = fc.jsonValue();
    fc.assert(
      fc.property(
        fc.constantFrom(...ERROR_CATEGORIES),
        fc
          .array(fc.stringMatching(/^[A-Z0-9]{1,6}$/), { minLength: 2, maxLength: 4 })
          .map((parts) => parts.join('_')),
        fc.string(),
        fc.dictionary(fc.string(), json),
        fc.boolean(),
        (category, suffix, message, details, withCause) => {
          const code = `MSYS_${suffix}`;
          const inner = new SystemError('inner', { code: 'MSYS_CORE_INNER', category: 'io' });
          const e = new SystemError(message, {
            code,
            category,
            details,
            ...(withCause ? { cause: inner } : {}),
          });
          const back = SystemError.fromJSON(JSON.parse(JSON.stringify(e)));
          expect(back.code).toBe(code);
          expect(back.category).toBe(category);
          expect(back.message).toBe(message);
          expect(back.stack).toBe(e.stack);
          expect(back.details).toEqual(JSON.parse(JSON.stringify(e.details)));
          if (withCause) {
            expect(isSystemError(back.cause)).toBe(true);
            expect((back.cause as SystemError).code).toBe('MSYS_CORE_INNER');
          } else expect(back.cause).toBeUndefined();
          expect(JSON.stringify(back.toJSON())).toBe(JSON.stringify(e.toJSON()));
        },
      ),
    );
  });

  it('keeps a plain Error cause as name, message and stack', () => {
    const cause = new RangeError('out of range');
    const e = new SystemError('outer', { code: 'MSYS_CORE_OUTER', category: 'validation', cause });
    const back = SystemError.fromJSON(JSON.stringify(e));
    expect(back.cause).toBeInstanceOf(Error);
    expect((back.cause as Error).name).toBe('RangeError');
    expect((back.cause as Error).message).toBe('out of range');
    expect((back.cause as Error).stack).toBe(cause.stack);
  });

  it('fromJSON rejects what is not a serialized SystemError', () => {
    for (const bad of ['{', '{}', '{"code":"MSYS_A_B","message":"m","category":"bogus"}', 'null']) {
      try {
        SystemError.fromJSON(bad);
        expect.unreachable(`accepted ${bad}`);
      } catch (e) {
        expect(isSystemError(e) && e.code).toBe('MSYS_CORE_INVALID_ERROR_JSON');
      }
    }
  });
});

describe('isSystemError', () => {
  it('recognizes errors from a second copy of the module (brand, not instanceof)', async () => {
    vi.resetModules();
    const copy = await import('../src/errors/index.js');
    const foreign = new copy.SystemError('from the other copy', {
      code: 'MSYS_CORE_FOREIGN',
      category: 'state',
    });
    expect(copy.SystemError).not.toBe(SystemError);
    expect(foreign instanceof SystemError).toBe(false);
    expect(isSystemError(foreign)).toBe(true);
  });

  it('is false for look-alikes', () => {
    expect(isSystemError(new Error('x'))).toBe(false);
    expect(isSystemError({ code: 'MSYS_A_B', category: 'io', message: 'x' })).toBe(false);
    expect(isSystemError(null)).toBe(false);
    expect(isSystemError('MSYS_A_B')).toBe(false);
  });
});

describe('defineErrors', () => {
  const errors = defineErrors({
    MSYS_DEMO_UNKNOWN_PEER: {
      category: 'validation',
      message: (d: { peer: string }) => `unknown peer ${d.peer}`,
    },
    MSYS_DEMO_TIMEOUT: { category: 'timeout', message: (d: { ms: number }) => `timed out after ${d.ms} ms` },
  });

  it('builds typed errors per code', () => {
    const e = errors.MSYS_DEMO_UNKNOWN_PEER({ peer: 'p9' });
    expect(e.code).toBe('MSYS_DEMO_UNKNOWN_PEER');
    expect(e.category).toBe('validation');
    expect(e.message).toBe('unknown peer p9');
    expect(e.details.peer).toBe('p9');
    expect(errors.MSYS_DEMO_UNKNOWN_PEER.is(e)).toBe(true);
    expect(errors.MSYS_DEMO_TIMEOUT.is(e)).toBe(false);
    expectTypeOf(errors.MSYS_DEMO_TIMEOUT).parameter(0).toEqualTypeOf<{ ms: number }>();
  });

  it('rejects malformed codes at declaration', () => {
    expect(() => defineErrors({ bad: { category: 'io', message: () => 'x' } })).toThrow(TypeError);
  });
});

describe('invalidArgument / describeValue', () => {
  it('names the path, the expectation and the value received', () => {
    const e = invalidArgument(
      'MSYS_CORE_INVALID_OPTION',
      'options.cpuPercentCap',
      'a number in (0, 100]',
      250,
    );
    expect(e.message).toBe('options.cpuPercentCap must be a number in (0, 100], received number 250');
    expect(e.category).toBe('validation');
    expect(e.details).toEqual({
      path: 'options.cpuPercentCap',
      expected: 'a number in (0, 100]',
      received: 'number 250',
    });
  });

  it('describes values briefly', () => {
    expect(describeValue(null)).toBe('null');
    expect(describeValue('x'.repeat(100))).toMatch(/^string ".{57}\.\.\."$/);
    expect(describeValue(new Uint8Array(12))).toBe('Uint8Array(12)');
    expect(describeValue([1, 2])).toBe('array(2)');
    expect(describeValue(new Map())).toBe('Map');
    expect(describeValue(10n)).toBe('bigint 10');
  });
});
