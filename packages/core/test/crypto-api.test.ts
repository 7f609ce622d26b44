/**
 * The crypto API's contract on both backends: known answers, argument errors and their codes, the
 * never-throw rule of verify, authenticated decryption, and the Ed25519 public-key policy.
 */
import { type CryptoBackendName, createCrypto, fromHex, sign, toHex, verify } from '@msys/core/crypto';
import { isSystemError, type SystemError } from '@msys/core/errors';
import { ED25519_TORSION_SUBGROUP, ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';

const BACKENDS: readonly CryptoBackendName[] = ['node', 'noble'];
const utf8 = new TextEncoder();

function caught(fn: () => unknown): SystemError {
  try {
    fn();
  } catch (e) {
    if (isSystemError(e)) return e;
    throw e;
  }
  throw new Error('expected a SystemError, nothing was thrown');
}

// RFC 8032 §7.1, TEST 1 and TEST 2.
const RFC8032 = [
  {
    seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature:
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature:
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
];

describe('createCrypto', () => {
  it('returns the named backend, frozen and shared', () => {
    for (const name of BACKENDS) {
      const backend = createCrypto(name);
      expect(backend.name).toBe(name);
      expect(Object.isFrozen(backend)).toBe(true);
      expect(createCrypto(name)).toBe(backend);
    }
  });

  it('refuses an unknown backend with MSYS_CRYPTO_UNKNOWN_BACKEND', () => {
    const err = caught(() => createCrypto('webcrypto' as CryptoBackendName));
    expect(err.code).toBe('MSYS_CRYPTO_UNKNOWN_BACKEND');
    expect(err.category).toBe('validation');
  });

  it('the top-level functions are the node backend', () => {
    const kat = RFC8032[1]!;
    expect(toHex(sign(fromHex(kat.message), fromHex(kat.seed)))).toBe(kat.signature);
    expect(verify(fromHex(kat.signature), fromHex(kat.message), fromHex(kat.publicKey))).toBe(true);
  });
});

describe.each(BACKENDS)('%s backend', (name) => {
  const c = createCrypto(name);

  describe('Ed25519', () => {
    it('reproduces RFC 8032 §7.1 TEST 1 and TEST 2', () => {
      for (const kat of RFC8032) {
        expect(toHex(c.getPublicKey(fromHex(kat.seed)))).toBe(kat.publicKey);
        expect(toHex(c.sign(fromHex(kat.message), fromHex(kat.seed)))).toBe(kat.signature);
        expect(c.verify(fromHex(kat.signature), fromHex(kat.message), fromHex(kat.publicKey))).toBe(true);
      }
    });

    it('generates distinct key pairs whose public key matches the seed', () => {
      const a = c.generateKeyPair();
      const b = c.generateKeyPair();
      expect(a.secretKey).toHaveLength(32);
      expect(a.publicKey).toHaveLength(32);
      expect(toHex(a.secretKey)).not.toBe(toHex(b.secretKey));
      const other = createCrypto(name === 'node' ? 'noble' : 'node');
      expect(toHex(other.getPublicKey(a.secretKey))).toBe(toHex(a.publicKey));
      const message = utf8.encode('generated');
      expect(other.verify(c.sign(message, a.secretKey), message, a.publicKey)).toBe(true);
    });

    it('signs with the current bytes of a seed array that was changed after use', () => {
      const seed = fromHex(RFC8032[0]!.seed);
      expect(toHex(c.getPublicKey(seed))).toBe(RFC8032[0]!.publicKey);
      seed.set(fromHex(RFC8032[1]!.seed));
      expect(toHex(c.getPublicKey(seed))).toBe(RFC8032[1]!.publicKey);
      expect(toHex(c.sign(new Uint8Array([0x72]), seed))).toBe(RFC8032[1]!.signature);
    });

    it('accepts Buffers and returns plain Uint8Arrays that own their memory', () => {
      const kat = RFC8032[1]!;
      const signature = c.sign(Buffer.from(kat.message, 'hex'), Buffer.from(kat.seed, 'hex'));
      expect(Object.getPrototypeOf(signature)).toBe(Uint8Array.prototype);
      expect(signature.buffer.byteLength).toBe(64);
      expect(
        c.verify(Buffer.from(signature), Buffer.from('72', 'hex'), Buffer.from(kat.publicKey, 'hex')),
      ).toBe(true);
    });

    it('refuses a seed of the wrong size with MSYS_CRYPTO_INVALID_KEY (crypto)', () => {
      for (const size of [0, 31, 33, 64]) {
        for (const err of [
          caught(() => c.sign(new Uint8Array(1), new Uint8Array(size))),
          caught(() => c.getPublicKey(new Uint8Array(size))),
        ]) {
          expect(err.code).toBe('MSYS_CRYPTO_INVALID_KEY');
          expect(err.category).toBe('crypto');
          expect(err.details).toMatchObject({ path: 'secretKey', received: `Uint8Array(${size})` });
        }
      }
    });

    it('refuses arguments of the wrong type with MSYS_CRYPTO_INVALID_ARGUMENT (validation)', () => {
      const seed = new Uint8Array(32);
      const cases: [() => unknown, string][] = [
        [() => c.sign(new Uint8Array(1), 'seed' as unknown as Uint8Array), 'secretKey'],
        [() => c.sign('hello' as unknown as Uint8Array, seed), 'message'],
        [() => c.getPublicKey([1, 2, 3] as unknown as Uint8Array), 'secretKey'],
        [() => c.verify(null as unknown as Uint8Array, new Uint8Array(1), new Uint8Array(32)), 'signature'],
        [() => c.verify(new Uint8Array(64), 'm' as unknown as Uint8Array, new Uint8Array(32)), 'message'],
        [() => c.verify(new Uint8Array(64), new Uint8Array(1), 'pk' as unknown as Uint8Array), 'publicKey'],
      ];
      for (const [fn, path] of cases) {
        const err = caught(fn);
        expect(err.code).toBe('MSYS_CRYPTO_INVALID_ARGUMENT');
        expect(err.category).toBe('validation');
        expect(err.details).toMatchObject({ path });
      }
    });

    it('verify returns false, never throws, for signatures and keys of any wrong length', () => {
      const kat = RFC8032[1]!;
      const sig = fromHex(kat.signature);
      const pk = fromHex(kat.publicKey);
      const msg = fromHex(kat.message);
      for (const n of [0, 1, 31, 32, 33, 63, 65, 96, 128]) {
        const longer = new Uint8Array(n);
        longer.set(sig.subarray(0, Math.min(n, 64)));
        expect(c.verify(longer, msg, pk)).toBe(false);
        if (n === 32) continue;
        const key = new Uint8Array(n);
        key.set(pk.subarray(0, Math.min(n, 32)));
        expect(c.verify(sig, msg, key)).toBe(false);
      }
    });

    it('verify returns false for off-curve and non-canonical public keys', () => {
      const kat = RFC8032[0]!;
      const [sig, msg] = [fromHex(kat.signature), fromHex(kat.message)];
      // y = 2 is not the y of any curve point (x² would be a non-residue); y = p + 3 is non-canonical.
      const offCurve = new Uint8Array(32);
      offCurve[0] = 2;
      const nonCanonical = fromHex('f0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');
      for (const key of [offCurve, nonCanonical, new Uint8Array(32).fill(0xff)]) {
        expect(c.verify(sig, msg, key)).toBe(false);
      }
    });

    it('rejects every small-order public key, so no message verifies under the identity key', () => {
      const identity = fromHex(`01${'00'.repeat(31)}`);
      // R = identity, S = 0 satisfies the cofactorless equation [S]B = R + [k]A for every message when A = O.
      const trivial = fromHex(`01${'00'.repeat(63)}`);
      expect(c.verify(trivial, utf8.encode('any message'), identity)).toBe(false);
      const p = fromHex('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');
      const pPlusOne = fromHex('eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');
      const encodings = [...ED25519_TORSION_SUBGROUP.map((h) => fromHex(h)), p, pPlusOne];
      expect(encodings).toHaveLength(10);
      for (const key of encodings) {
        for (const message of [new Uint8Array(0), utf8.encode('m')]) {
          expect(c.verify(trivial, message, key)).toBe(false);
          expect(c.verify(fromHex(RFC8032[0]!.signature), message, key)).toBe(false);
        }
      }
    });

    it('rejects a signature whose S was not reduced modulo L (RFC 8032 §5.1.7, malleability)', () => {
      const kat = RFC8032[0]!;
      const sig = fromHex(kat.signature);
      const L = 2n ** 252n + 27742317777372353535851937790883648493n;
      let s = 0n;
      for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i]!);
      let t = s + L;
      const forged = sig.slice();
      for (let i = 32; i < 64; i++) {
        forged[i] = Number(t & 0xffn);
        t >>= 8n;
      }
      expect(c.verify(sig, fromHex(kat.message), fromHex(kat.publicKey))).toBe(true);
      expect(c.verify(forged, fromHex(kat.message), fromHex(kat.publicKey))).toBe(false);
    });
  });

  describe('hashes', () => {
    it('sha256 matches FIPS 180-4 "abc" and the empty string', () => {
      expect(toHex(c.sha256(utf8.encode('abc')))).toBe(
        'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      );
      expect(toHex(c.sha256(new Uint8Array(0)))).toBe(
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      );
    });

    it('blake3 refuses bad options with stable codes', () => {
      const data = new Uint8Array(3);
      const expectations: [unknown, string][] = [
        [{ key: new Uint8Array(16) }, 'MSYS_CRYPTO_INVALID_KEY'],
        [{ key: new Uint8Array(32), context: 'both' }, 'MSYS_CRYPTO_INVALID_ARGUMENT'],
        [{ dkLen: 0 }, 'MSYS_CRYPTO_INVALID_ARGUMENT'],
        [{ dkLen: -1 }, 'MSYS_CRYPTO_INVALID_ARGUMENT'],
        [{ dkLen: 1.5 }, 'MSYS_CRYPTO_INVALID_ARGUMENT'],
        [{ dkLen: '32' }, 'MSYS_CRYPTO_INVALID_ARGUMENT'],
        [{ dkLen: 2 ** 30 + 1 }, 'MSYS_CRYPTO_INVALID_ARGUMENT'],
        [{ key: 'k'.repeat(32) }, 'MSYS_CRYPTO_INVALID_ARGUMENT'],
        [{ context: 42 }, 'MSYS_CRYPTO_INVALID_ARGUMENT'],
        [null, 'MSYS_CRYPTO_INVALID_ARGUMENT'],
      ];
      for (const [options, code] of expectations) {
        expect(caught(() => c.blake3(data, options as never)).code).toBe(code);
      }
      expect(caught(() => c.blake3('abc' as unknown as Uint8Array)).code).toBe(
        'MSYS_CRYPTO_INVALID_ARGUMENT',
      );
    });

    it('blake3 output of any length starts with the shorter outputs (extendable output)', () => {
      const data = utf8.encode('prefix property');
      const long = c.blake3(data, { dkLen: 200 });
      expect(long).toHaveLength(200);
      expect(toHex(c.blake3(data, { dkLen: 7 }))).toBe(toHex(long.subarray(0, 7)));
      expect(toHex(c.blake3(data))).toBe(toHex(long.subarray(0, 32)));
    });
  });

  describe('AES-256-GCM', () => {
    const key = fromHex('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff');
    const nonce = fromHex('000102030405060708090a0b');
    const plaintext = utf8.encode('attack at dawn');
    const aad = utf8.encode('header v1');

    it('round-trips with and without associated data', () => {
      for (const a of [undefined, aad, new Uint8Array(0)]) {
        const ct = c.encrypt(key, nonce, plaintext, a);
        expect(ct).toHaveLength(plaintext.length + 16);
        expect(c.decrypt(key, nonce, ct, a)).toEqual(plaintext);
      }
      expect(c.decrypt(key, nonce, c.encrypt(key, nonce, new Uint8Array(0)))).toEqual(new Uint8Array(0));
    });

    it('refuses wrong key and nonce sizes with crypto codes and wrong types with validation', () => {
      for (const size of [0, 16, 24, 31, 33]) {
        const err = caught(() => c.encrypt(new Uint8Array(size), nonce, plaintext));
        expect(err.code).toBe('MSYS_CRYPTO_INVALID_KEY');
        expect(err.category).toBe('crypto');
        expect(caught(() => c.seal(new Uint8Array(size), plaintext)).code).toBe('MSYS_CRYPTO_INVALID_KEY');
        expect(caught(() => c.open(new Uint8Array(size), new Uint8Array(40))).code).toBe(
          'MSYS_CRYPTO_INVALID_KEY',
        );
      }
      for (const size of [0, 8, 11, 13, 16]) {
        const err = caught(() => c.decrypt(key, new Uint8Array(size), new Uint8Array(32)));
        expect(err.code).toBe('MSYS_CRYPTO_INVALID_NONCE');
        expect(err.category).toBe('crypto');
      }
      const typeErrors: (() => unknown)[] = [
        () => c.encrypt('k' as unknown as Uint8Array, nonce, plaintext),
        () => c.encrypt(key, 'n' as unknown as Uint8Array, plaintext),
        () => c.encrypt(key, nonce, 'p' as unknown as Uint8Array),
        () => c.encrypt(key, nonce, plaintext, 'aad' as unknown as Uint8Array),
        () => c.decrypt(key, nonce, [1, 2] as unknown as Uint8Array),
        () => c.seal(key, plaintext, 5 as unknown as Uint8Array),
      ];
      for (const fn of typeErrors) {
        const err = caught(fn);
        expect(err.code).toBe('MSYS_CRYPTO_INVALID_ARGUMENT');
        expect(err.category).toBe('validation');
      }
    });

    it('fails authentication on any change, without a byte of plaintext in the error', () => {
      const ct = c.encrypt(key, nonce, plaintext, aad);
      const otherNonce = nonce.slice();
      otherNonce[11]! ^= 1;
      const attempts: (() => unknown)[] = [
        () => c.decrypt(key, nonce, ct, utf8.encode('header v2')),
        () => c.decrypt(key, nonce, ct),
        () => c.decrypt(key, otherNonce, ct, aad),
        () => c.decrypt(new Uint8Array(32), nonce, ct, aad),
        () => c.decrypt(key, nonce, ct.subarray(0, ct.length - 1), aad),
      ];
      for (let i = 0; i < ct.length; i++) {
        const flipped = ct.slice();
        flipped[i]! ^= 0x80;
        attempts.push(() => c.decrypt(key, nonce, flipped, aad));
      }
      for (const attempt of attempts) {
        const err = caught(attempt);
        expect(err.code).toBe('MSYS_CRYPTO_DECRYPT_FAILED');
        expect(err.category).toBe('crypto');
        expect(JSON.stringify(err.toJSON())).not.toContain(toHex(plaintext));
      }
      expect(caught(() => c.decrypt(key, nonce, new Uint8Array(15))).code).toBe('MSYS_CRYPTO_DECRYPT_FAILED');
    });

    it('seal prefixes a fresh nonce and open reverses it', () => {
      const a = c.seal(key, plaintext, aad);
      const b = c.seal(key, plaintext, aad);
      expect(a).toHaveLength(12 + plaintext.length + 16);
      expect(toHex(a.subarray(0, 12))).not.toBe(toHex(b.subarray(0, 12)));
      expect(c.open(key, a, aad)).toEqual(plaintext);
      expect(toHex(a.subarray(12))).toBe(toHex(c.encrypt(key, a.subarray(0, 12), plaintext, aad)));
      expect(caught(() => c.open(key, a)).code).toBe('MSYS_CRYPTO_DECRYPT_FAILED');
      expect(caught(() => c.open(key, a.subarray(0, 27), aad)).code).toBe('MSYS_CRYPTO_DECRYPT_FAILED');
      expect(c.open(key, c.seal(key, new Uint8Array(0)))).toEqual(new Uint8Array(0));
    });
  });

  describe('randomness and comparison', () => {
    it('randomBytes returns the requested length, including past one getRandomValues call', () => {
      expect(c.randomBytes(0)).toHaveLength(0);
      const big = c.randomBytes(200_000);
      expect(big).toHaveLength(200_000);
      expect(Object.getPrototypeOf(big)).toBe(Uint8Array.prototype);
      // Each 64 KiB chunk is filled: an all-zero 1 KiB window at the tail would mean a chunk was skipped.
      expect(big.subarray(199_000).some((b) => b !== 0)).toBe(true);
      expect(toHex(c.randomBytes(16))).not.toBe(toHex(c.randomBytes(16)));
    });

    it('randomBytes refuses a bad length', () => {
      for (const n of [-1, 1.5, Number.NaN, 2 ** 31, '8']) {
        expect(caught(() => c.randomBytes(n as number)).code).toBe('MSYS_CRYPTO_INVALID_ARGUMENT');
      }
    });

    it('timingSafeEqual compares contents and treats different lengths as unequal', () => {
      expect(c.timingSafeEqual(fromHex('0102'), Buffer.from([1, 2]))).toBe(true);
      expect(c.timingSafeEqual(fromHex('0102'), fromHex('0103'))).toBe(false);
      expect(c.timingSafeEqual(fromHex('0102'), fromHex('010203'))).toBe(false);
      expect(c.timingSafeEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true);
      expect(caught(() => c.timingSafeEqual('a' as unknown as Uint8Array, new Uint8Array(1))).code).toBe(
        'MSYS_CRYPTO_INVALID_ARGUMENT',
      );
    });
  });
});

describe('where the two Ed25519 verifiers may legitimately differ', () => {
  it('a signer can craft R with a torsion component: cofactored noble accepts, cofactorless OpenSSL rejects', () => {
    // RFC 8032 §5.1.7 allows either equation. Only the holder of the secret key can build such a signature,
    // so it gives no forgery; the property test's "identical verdicts" is about every other input.
    const seed = fromHex(RFC8032[0]!.seed);
    const { scalar, pointBytes } = ed25519.utils.getExtendedPublicKey(seed);
    const { Point } = ed25519;
    const L = Point.Fn.ORDER;
    const r = 123456789n;
    const R = Point.BASE.multiply(r).add(Point.fromHex(ED25519_TORSION_SUBGROUP[1]!));
    const message = utf8.encode('torsion');
    const rBytes = R.toBytes();
    const digest = sha512(new Uint8Array([...rBytes, ...pointBytes, ...message]));
    let k = 0n;
    for (let i = 63; i >= 0; i--) k = (k << 8n) | BigInt(digest[i]!);
    let s = (r + (k % L) * scalar) % L;
    const sig = new Uint8Array(64);
    sig.set(rBytes);
    for (let i = 32; i < 64; i++) {
      sig[i] = Number(s & 0xffn);
      s >>= 8n;
    }
    expect(createCrypto('noble').verify(sig, message, pointBytes)).toBe(true);
    expect(createCrypto('node').verify(sig, message, pointBytes)).toBe(false);
  });
});
