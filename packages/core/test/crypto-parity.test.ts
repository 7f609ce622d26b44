/**
 * Both backends give identical bytes and identical verdicts: signatures, public keys, ciphertexts, digests,
 * verification of honest and mutated signatures, and rejection of altered ciphertexts.
 */
import { createCrypto, toHex } from '@msys/core/crypto';
import { isSystemError } from '@msys/core/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const node = createCrypto('node');
const noble = createCrypto('noble');

const seed = fc.uint8Array({ minLength: 32, maxLength: 32 });
const message = fc.uint8Array({ maxLength: 600 });
const aesKey = fc.uint8Array({ minLength: 32, maxLength: 32 });
const nonce = fc.uint8Array({ minLength: 12, maxLength: 12 });
const aad = fc.option(fc.uint8Array({ maxLength: 64 }), { nil: undefined });

/** How a verification input may be damaged: a flipped bit, a truncation, an extension, or random bytes. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('extend' as const), extra: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('replace' as const), bytes: fc.uint8Array({ maxLength: 80 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  switch (m.kind) {
    case 'flip': {
      if (bytes.length === 0) return Uint8Array.of(1 << m.bit);
      const out = bytes.slice();
      out[m.at % out.length]! ^= 1 << m.bit;
      return out;
    }
    case 'truncate':
      return bytes.slice(0, bytes.length === 0 ? 0 : m.at % bytes.length);
    case 'extend':
      return new Uint8Array([...bytes, ...m.extra]);
    case 'replace':
      return m.bytes;
  }
}

function outcome(fn: () => Uint8Array): string {
  try {
    return toHex(fn());
  } catch (e) {
    if (isSystemError(e)) return e.code;
    throw e;
  }
}

describe('node and noble backends agree', () => {
  it('on public keys and signatures for any seed and message', () => {
    fc.assert(
      fc.property(seed, message, (sk, msg) => {
        const pk = node.getPublicKey(sk);
        expect(toHex(noble.getPublicKey(sk))).toBe(toHex(pk));
        const sig = node.sign(msg, sk);
        expect(toHex(noble.sign(msg, sk))).toBe(toHex(sig));
        expect(node.verify(sig, msg, pk)).toBe(true);
        expect(noble.verify(sig, msg, pk)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('on the verdict for mutated signatures, messages and public keys', () => {
    const target = fc.constantFrom('signature' as const, 'message' as const, 'publicKey' as const);
    fc.assert(
      fc.property(seed, message, target, mutation, (sk, msg, which, m) => {
        const pk = noble.getPublicKey(sk);
        const sig = noble.sign(msg, sk);
        const args: Record<typeof which, Uint8Array> = { signature: sig, message: msg, publicKey: pk };
        args[which] = mutate(args[which], m);
        const verdict = node.verify(args.signature, args.message, args.publicKey);
        expect(noble.verify(args.signature, args.message, args.publicKey)).toBe(verdict);
        const unchanged =
          toHex(args[which]) === toHex(which === 'signature' ? sig : which === 'message' ? msg : pk);
        expect(verdict).toBe(unchanged);
      }),
      { numRuns: 150 },
    );
  });

  it('on the verdict for random signatures under random keys', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 64, maxLength: 64 }),
        message,
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (sig, msg, pk) => {
          expect(noble.verify(sig, msg, pk)).toBe(node.verify(sig, msg, pk));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('on AES-256-GCM ciphertexts, and each decrypts the other', () => {
    fc.assert(
      fc.property(aesKey, nonce, fc.uint8Array({ maxLength: 2000 }), aad, (key, iv, plaintext, ad) => {
        const ct = node.encrypt(key, iv, plaintext, ad);
        expect(toHex(noble.encrypt(key, iv, plaintext, ad))).toBe(toHex(ct));
        expect(toHex(noble.decrypt(key, iv, ct, ad))).toBe(toHex(plaintext));
        expect(toHex(node.open(key, noble.seal(key, plaintext, ad), ad))).toBe(toHex(plaintext));
        expect(toHex(noble.open(key, node.seal(key, plaintext, ad), ad))).toBe(toHex(plaintext));
      }),
      { numRuns: 100 },
    );
  });

  it('on the outcome of decrypting altered ciphertexts', () => {
    fc.assert(
      fc.property(
        aesKey,
        nonce,
        fc.uint8Array({ maxLength: 200 }),
        aad,
        mutation,
        (key, iv, plaintext, ad, m) => {
          const altered = mutate(node.encrypt(key, iv, plaintext, ad), m);
          const expected = outcome(() => node.decrypt(key, iv, altered, ad));
          expect(outcome(() => noble.decrypt(key, iv, altered, ad))).toBe(expected);
          expect(expected).toBe('MSYS_CRYPTO_DECRYPT_FAILED');
        },
      ),
      { numRuns: 150 },
    );
  });

  it('on SHA-256 and BLAKE3 digests', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 1, max: 300 }), (data, dkLen) => {
        expect(toHex(noble.sha256(data))).toBe(toHex(node.sha256(data)));
        expect(toHex(noble.blake3(data, { dkLen }))).toBe(toHex(node.blake3(data, { dkLen })));
      }),
      { numRuns: 100 },
    );
  });

  it('on the error code for every malformed AES argument size', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 40 }),
        fc.uint8Array({ maxLength: 20 }),
        fc.uint8Array({ maxLength: 40 }),
        (key, iv, data) => {
          expect(outcome(() => noble.encrypt(key, iv, data))).toBe(
            outcome(() => node.encrypt(key, iv, data)),
          );
          expect(outcome(() => noble.decrypt(key, iv, data))).toBe(
            outcome(() => node.decrypt(key, iv, data)),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
