import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseTpmtPublic, type TpmtPublic, verifyQuote } from '../src/index.js';
import { AK_CACHE_SIZE, attestationKeyCacheSize, lookupAttestationKey } from '../src/tpm/key-cache.js';
import { softAk, softQuote } from './support/soft-quote.js';

const nonce = new Uint8Array(32).fill(4);
const pcrs = { sha256: { 0: new Uint8Array(32).fill(1) } };

describe('AK key cache', () => {
  it("never verifies a quote with another AK's cached key, whatever the order", () => {
    const a = softAk('ecdsa-p256');
    const b = softAk('ecdsa-p256');
    const qa = softQuote(a, { nonce, pcrs });
    const qb = softQuote(b, { nonce, pcrs });
    for (let round = 0; round < 3; round++) {
      expect(verifyQuote({ akPublic: a.publicArea, ...qa, pcrs, nonce }).ok).toBe(true);
      expect(verifyQuote({ akPublic: b.publicArea, ...qa, pcrs, nonce })).toMatchObject({
        ok: false,
        code: 'MSYS_ATTESTATION_QUOTE_SIGNATURE',
      });
      expect(verifyQuote({ akPublic: b.publicArea, ...qb, pcrs, nonce }).ok).toBe(true);
      expect(verifyQuote({ akPublic: a.publicArea, ...qb, pcrs, nonce })).toMatchObject({
        ok: false,
        code: 'MSYS_ATTESTATION_QUOTE_SIGNATURE',
      });
    }
  });

  it('keys a cached AK by every byte of its public area: a one-bit change in the key is a different slot', () => {
    const a = softAk('rsassa');
    const q = softQuote(a, { nonce, pcrs });
    expect(verifyQuote({ akPublic: a.publicArea, ...q, pcrs, nonce }).ok).toBe(true);
    const flipped = new Uint8Array(a.publicArea);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 1;
    expect(verifyQuote({ akPublic: flipped, ...q, pcrs, nonce }).ok).toBe(false);
    // The same bytes wrapped as TPM2B_PUBLIC name another slot and still verify.
    const wrapped = new Uint8Array([a.publicArea.length >> 8, a.publicArea.length & 0xff, ...a.publicArea]);
    expect(verifyQuote({ akPublic: wrapped, ...q, pcrs, nonce }).ok).toBe(true);
  });

  it('does not trust the raw field of a caller-built public area to name its key', () => {
    const a = softAk('ecdsa-p256');
    const b = softAk('ecdsa-p256');
    const qa = softQuote(a, { nonce, pcrs });
    const qb = softQuote(b, { nonce, pcrs });
    // Two hand-made areas whose raw bytes claim to be the same key.
    const pa: TpmtPublic = { ...parseTpmtPublic(a.publicArea), raw: new Uint8Array() };
    const pb: TpmtPublic = { ...parseTpmtPublic(b.publicArea), raw: new Uint8Array() };
    expect(verifyQuote({ akPublic: pa, ...qa, pcrs, nonce }).ok).toBe(true);
    expect(verifyQuote({ akPublic: pb, ...qa, pcrs, nonce })).toMatchObject({
      ok: false,
      code: 'MSYS_ATTESTATION_QUOTE_SIGNATURE',
    });
    expect(verifyQuote({ akPublic: pb, ...qb, pcrs, nonce }).ok).toBe(true);
    expect(verifyQuote({ akPublic: { ...pa, raw: b.publicArea }, ...qb, pcrs, nonce }).ok).toBe(false);
  });

  it('never caches a key that failed to import', () => {
    const a = softAk('ecdsa-p256');
    const q = softQuote(a, { nonce, pcrs });
    const pub = parseTpmtPublic(a.publicArea);
    if (pub.parameters.type !== 'ecc') throw new Error('expected an ECC AK');
    // A point off the curve: the import fails, every time, with the same code.
    const bad: TpmtPublic = { ...pub, parameters: { ...pub.parameters, y: new Uint8Array(32).fill(7) } };
    const before = attestationKeyCacheSize();
    for (let i = 0; i < 2; i++) {
      expect(verifyQuote({ akPublic: bad, ...q, pcrs, nonce })).toMatchObject({
        ok: false,
        code: 'MSYS_ATTESTATION_QUOTE_MALFORMED',
      });
    }
    expect(attestationKeyCacheSize()).toBe(before);
  });

  it(`holds at most ${AK_CACHE_SIZE} AKs, dropping the least recently used`, () => {
    const a = softAk('ecdsa-p256');
    const q = softQuote(a, { nonce, pcrs });
    // Distinct valid AKs from one template: only the point differs (TPMS_ECC_POINT ends the area).
    const areas: Uint8Array[] = [];
    for (let i = 0; i < AK_CACHE_SIZE + 50; i++) {
      const jwk = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ format: 'jwk' });
      const area = new Uint8Array(a.publicArea);
      area.set(Buffer.from(String(jwk.x), 'base64url'), area.length - 32 - 2 - 32);
      area.set(Buffer.from(String(jwk.y), 'base64url'), area.length - 32);
      areas.push(area);
    }
    for (const [i, area] of areas.entries()) {
      expect(verifyQuote({ akPublic: area, ...q, pcrs, nonce })).toMatchObject({
        ok: false,
        code: 'MSYS_ATTESTATION_QUOTE_SIGNATURE',
      });
      if (i % 100 === 0) expect(verifyQuote({ akPublic: a.publicArea, ...q, pcrs, nonce }).ok).toBe(true);
      expect(attestationKeyCacheSize()).toBeLessThanOrEqual(AK_CACHE_SIZE);
    }
    expect(attestationKeyCacheSize()).toBe(AK_CACHE_SIZE);
    expect(lookupAttestationKey(a.publicArea)).toBeDefined();
    expect(lookupAttestationKey(areas[0] as Uint8Array)).toBeUndefined();
    expect(lookupAttestationKey(areas.at(-1) as Uint8Array)).toBeDefined();
    expect(verifyQuote({ akPublic: a.publicArea, ...q, pcrs, nonce }).ok).toBe(true);
  });
});
