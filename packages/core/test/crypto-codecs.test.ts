/**
 * Hex and base64url: round trips, agreement with Node's encoders, and strict rejection of malformed text.
 */
import { createCrypto, fromBase64url, fromHex, toBase64url, toHex } from '@msys/core/crypto';
import { isSystemError, type SystemError } from '@msys/core/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

function caught(fn: () => unknown): SystemError {
  try {
    fn();
  } catch (e) {
    if (isSystemError(e)) return e;
    throw e;
  }
  throw new Error('expected a SystemError, nothing was thrown');
}

const bytes = fc.uint8Array({ maxLength: 300 });

describe('hex', () => {
  it('round-trips any bytes and matches Node', () => {
    fc.assert(
      fc.property(bytes, (b) => {
        const hex = toHex(b);
        expect(hex).toBe(Buffer.from(b).toString('hex'));
        expect(fromHex(hex)).toEqual(b);
        expect(fromHex(hex.toUpperCase())).toEqual(b);
      }),
    );
  });

  it('decodes into a plain Uint8Array that owns its memory', () => {
    const out = fromHex('00ff');
    expect(Object.getPrototypeOf(out)).toBe(Uint8Array.prototype);
    expect(out.buffer.byteLength).toBe(2);
  });

  it('rejects odd lengths and non-hex characters with MSYS_CRYPTO_INVALID_HEX', () => {
    for (const text of ['0', 'abc', '0x00', 'zz', '00 11', 'ag', 'ga', '0g00', '\n0', 'é0']) {
      const err = caught(() => fromHex(text));
      expect(err.code).toBe('MSYS_CRYPTO_INVALID_HEX');
      expect(err.category).toBe('serialization');
    }
  });

  it('rejects any string that contains a non-hex character', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), maxLength: 20 }),
        fc.string({ minLength: 1, maxLength: 1 }).filter((ch) => !/[0-9a-fA-F]/.test(ch)),
        fc.nat(),
        (hex, bad, at) => {
          const i = at % (hex.length + 1);
          const text = `${hex.slice(0, i)}${bad}${hex.slice(i)}`;
          expect(caught(() => fromHex(text.length % 2 === 0 ? text : `${text}0`)).code).toBe(
            'MSYS_CRYPTO_INVALID_HEX',
          );
        },
      ),
    );
  });

  it('refuses non-strings and non-bytes with MSYS_CRYPTO_INVALID_ARGUMENT', () => {
    expect(caught(() => fromHex(12 as unknown as string)).code).toBe('MSYS_CRYPTO_INVALID_ARGUMENT');
    expect(caught(() => toHex('00' as unknown as Uint8Array)).code).toBe('MSYS_CRYPTO_INVALID_ARGUMENT');
  });
});

describe('base64url', () => {
  it('round-trips any bytes, unpadded, and matches Node', () => {
    fc.assert(
      fc.property(bytes, (b) => {
        const text = toBase64url(b);
        expect(text).toBe(Buffer.from(b).toString('base64url'));
        expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
        expect(fromBase64url(text)).toEqual(b);
      }),
    );
  });

  it('decoding then encoding gives back the same text (one text per byte string)', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 60 }), (text) => {
        let decoded: Uint8Array;
        try {
          decoded = fromBase64url(text);
        } catch (e) {
          expect(isSystemError(e) && e.code).toBe('MSYS_CRYPTO_INVALID_BASE64URL');
          return;
        }
        expect(toBase64url(decoded)).toBe(text);
      }),
    );
  });

  it('knows RFC 4648 §10 values', () => {
    const cases: [string, string][] = [
      ['', ''],
      ['f', 'Zg'],
      ['fo', 'Zm8'],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg'],
      ['fooba', 'Zm9vYmE'],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, encoded] of cases) {
      expect(toBase64url(new TextEncoder().encode(plain))).toBe(encoded);
      expect(new TextDecoder().decode(fromBase64url(encoded))).toBe(plain);
    }
    expect(toBase64url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
  });

  it('rejects padding, base64 characters, impossible lengths and non-zero trailing bits', () => {
    for (const text of [
      'Zg==',
      'Zm8=',
      '+/8',
      'ab/c',
      'Zm9v Yg',
      'A',
      'Zm9vY',
      'Zh',
      'Zm9',
      '\nZg',
      'Zg\n',
    ]) {
      const err = caught(() => fromBase64url(text));
      expect(err.code).toBe('MSYS_CRYPTO_INVALID_BASE64URL');
      expect(err.category).toBe('serialization');
    }
    expect(caught(() => fromBase64url(null as unknown as string)).code).toBe('MSYS_CRYPTO_INVALID_ARGUMENT');
  });

  it('is the same on both backends', () => {
    for (const name of ['node', 'noble'] as const) {
      const c = createCrypto(name);
      expect(c.toBase64url(c.fromBase64url('Zm9vYmE'))).toBe('Zm9vYmE');
      expect(c.toHex(c.fromHex('00AbFF'))).toBe('00abff');
    }
  });
});
