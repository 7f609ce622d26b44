/**
 * Known-answer conformance: every Wycheproof Ed25519 and AES-GCM case and every official BLAKE3 vector,
 * on both backends.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CryptoBackendName, createCrypto, fromHex, toHex } from '@msys/core/crypto';
import { isSystemError } from '@msys/core/errors';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const vectorsDir = process.env.MSYS_VECTORS ?? path.resolve(repoRoot, '../shared/vectors');
const wycheproofDir = path.join(vectorsDir, 'wycheproof');
const blake3File = path.join(vectorsDir, 'blake3', 'test_vectors.json');
const available =
  existsSync(path.join(wycheproofDir, 'ed25519_test.json')) &&
  existsSync(path.join(wycheproofDir, 'aes_gcm_test.json')) &&
  existsSync(blake3File);

if (!available) {
  if (process.env.CI === 'true')
    throw new Error(`conformance vectors are missing under ${vectorsDir} (CI=true)`);
  console.warn(`crypto conformance vectors not found under ${vectorsDir}: set MSYS_VECTORS; skipping them`);
}

const BACKENDS: readonly CryptoBackendName[] = ['node', 'noble'];

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isSystemError(e)) return e.code;
    throw e;
  }
  return 'no error';
}

interface EddsaFile {
  numberOfTests: number;
  testGroups: {
    publicKey: { pk: string };
    tests: { tcId: number; msg: string; sig: string; result: string }[];
  }[];
}

interface AeadCase {
  tcId: number;
  key: string;
  iv: string;
  aad: string;
  msg: string;
  ct: string;
  tag: string;
  result: 'valid' | 'invalid' | 'acceptable';
  flags: string[];
}
interface AeadFile {
  numberOfTests: number;
  testGroups: { keySize: number; ivSize: number; tagSize: number; tests: AeadCase[] }[];
}

interface Blake3File {
  key: string;
  context_string: string;
  cases: { input_len: number; hash: string; keyed_hash: string; derive_key: string }[];
}

describe.skipIf(!available)('Wycheproof ed25519_test.json', () => {
  const file = available ? readJson<EddsaFile>(path.join(wycheproofDir, 'ed25519_test.json')) : undefined;
  const cases = (file?.testGroups ?? []).flatMap((g) => g.tests.map((t) => ({ ...t, pk: g.publicKey.pk })));

  it('holds all 151 cases', () => {
    expect(file?.numberOfTests).toBe(151);
    expect(cases).toHaveLength(151);
  });

  for (const name of BACKENDS) {
    it(`${name}: accepts every valid signature and rejects every invalid one`, () => {
      const backend = createCrypto(name);
      const wrong: string[] = [];
      let valid = 0;
      for (const c of cases) {
        const verdict = backend.verify(fromHex(c.sig), fromHex(c.msg), fromHex(c.pk));
        if (verdict !== (c.result === 'valid'))
          wrong.push(`tc ${c.tcId}: expected ${c.result}, got ${verdict}`);
        if (c.result === 'valid') valid++;
      }
      expect(wrong).toEqual([]);
      expect(valid).toBe(88);
    });
  }
});

describe.skipIf(!available)('Wycheproof aes_gcm_test.json', () => {
  const file = available ? readJson<AeadFile>(path.join(wycheproofDir, 'aes_gcm_test.json')) : undefined;
  const groups = file?.testGroups ?? [];
  const inDomain = groups.filter((g) => g.keySize === 256 && g.ivSize === 96 && g.tagSize === 128);
  const outOfDomain = groups.filter((g) => !(g.keySize === 256 && g.ivSize === 96 && g.tagSize === 128));
  const applicable = inDomain.flatMap((g) => g.tests);
  const rest = outOfDomain.flatMap((g) => g.tests.map((t) => ({ ...t, keySize: g.keySize })));

  it('holds 316 cases: 66 with a 256-bit key and a 96-bit IV, 250 outside the AES-256/96-bit-nonce API', () => {
    expect(file?.numberOfTests).toBe(316);
    expect(applicable).toHaveLength(66);
    expect(rest).toHaveLength(250);
    expect(applicable.every((t) => t.result !== 'acceptable')).toBe(true);
  });

  for (const name of BACKENDS) {
    it(`${name}: every applicable valid case gives identical ciphertext+tag and decrypts back`, () => {
      const backend = createCrypto(name);
      const valid = applicable.filter((t) => t.result === 'valid');
      expect(valid).toHaveLength(39);
      for (const t of valid) {
        const [key, iv, aad, msg] = [fromHex(t.key), fromHex(t.iv), fromHex(t.aad), fromHex(t.msg)];
        const sealed = toHex(backend.encrypt(key, iv, msg, aad));
        expect(sealed, `tc ${t.tcId}`).toBe(t.ct + t.tag);
        expect(toHex(backend.decrypt(key, iv, fromHex(t.ct + t.tag), aad)), `tc ${t.tcId}`).toBe(t.msg);
      }
    });

    it(`${name}: every applicable invalid case is rejected with MSYS_CRYPTO_DECRYPT_FAILED`, () => {
      const backend = createCrypto(name);
      const invalid = applicable.filter((t) => t.result === 'invalid');
      expect(invalid).toHaveLength(27);
      for (const t of invalid) {
        const code = codeOf(() =>
          backend.decrypt(fromHex(t.key), fromHex(t.iv), fromHex(t.ct + t.tag), fromHex(t.aad)),
        );
        expect(code, `tc ${t.tcId} (${t.flags.join(', ')})`).toBe('MSYS_CRYPTO_DECRYPT_FAILED');
      }
    });

    it(`${name}: cases outside the API's domain are refused for their key or nonce size`, () => {
      const backend = createCrypto(name);
      for (const t of rest) {
        // The key is checked first: a 128- or 192-bit key is refused whatever the IV.
        const expected = t.keySize !== 256 ? 'MSYS_CRYPTO_INVALID_KEY' : 'MSYS_CRYPTO_INVALID_NONCE';
        const [key, iv, aad] = [fromHex(t.key), fromHex(t.iv), fromHex(t.aad)];
        expect(
          codeOf(() => backend.encrypt(key, iv, fromHex(t.msg), aad)),
          `tc ${t.tcId}`,
        ).toBe(expected);
        expect(
          codeOf(() => backend.decrypt(key, iv, fromHex(t.ct + t.tag), aad)),
          `tc ${t.tcId}`,
        ).toBe(expected);
      }
      expect(rest.filter((t) => t.keySize === 256)).toHaveLength(39);
    });
  }
});

describe.skipIf(!available)('BLAKE3 official test_vectors.json', () => {
  const file = available ? readJson<Blake3File>(blake3File) : undefined;
  const cases = file?.cases ?? [];
  const key = new TextEncoder().encode(file?.key ?? '');
  const context = file?.context_string ?? '';

  /** The vectors' input: the repeating byte sequence 0, 1, …, 250. */
  function input(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = i % 251;
    return out;
  }

  it('holds 35 cases with a 32-byte key', () => {
    expect(cases).toHaveLength(35);
    expect(key).toHaveLength(32);
  });

  for (const name of BACKENDS) {
    it(`${name}: hash, keyed_hash and derive_key match at full extended length and at 32 bytes`, () => {
      const backend = createCrypto(name);
      for (const c of cases) {
        const data = input(c.input_len);
        const modes = [
          ['hash', c.hash, {}],
          ['keyed_hash', c.keyed_hash, { key }],
          ['derive_key', c.derive_key, { context }],
        ] as const;
        for (const [mode, expected, options] of modes) {
          const label = `${mode} input_len=${c.input_len}`;
          expect(toHex(backend.blake3(data, { ...options, dkLen: expected.length / 2 })), label).toBe(
            expected,
          );
          expect(toHex(backend.blake3(data, options)), label).toBe(expected.slice(0, 64));
        }
      }
    });
  }

  it('accepts the context as bytes as well as a string', () => {
    const c = cases[5];
    expect(c).toBeDefined();
    const derived = createCrypto('node').blake3(input(c?.input_len ?? 0), {
      context: new TextEncoder().encode(context),
      dkLen: 131,
    });
    expect(toHex(derived)).toBe(c?.derive_key);
  });
});
