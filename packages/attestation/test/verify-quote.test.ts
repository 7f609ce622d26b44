import { describe, expect, it } from 'vitest';
import { parseTpmtPublic, TpmaObject, TpmSt, verifyQuote } from '../src/index.js';
import { type SoftKind, softAk, softQuote } from './support/soft-quote.js';

describe('verifyQuote', () => {
  const nonce = new Uint8Array(32).fill(9);
  const pcrs = { sha256: { 0: new Uint8Array(32).fill(1), 10: new Uint8Array(32).fill(2) } };

  for (const kind of ['rsassa', 'rsapss', 'ecdsa-p256', 'ecdsa-p384'] as SoftKind[]) {
    it(`accepts a genuine ${kind} quote and rejects each tampering with its own code`, () => {
      const ak = softAk(kind);
      const { quote, signature } = softQuote(ak, { nonce, pcrs });
      const ok = verifyQuote({ akPublic: ak.publicArea, quote, signature, pcrs, nonce });
      expect(ok.ok).toBe(true);
      if (ok.ok) expect(ok.attest.attested.kind).toBe('quote');

      const wrongNonce = verifyQuote({
        akPublic: ak.publicArea,
        quote,
        signature,
        pcrs,
        nonce: new Uint8Array(32),
      });
      expect(wrongNonce).toMatchObject({ ok: false, code: 'MSYS_ATTESTATION_QUOTE_NONCE' });

      const wrongPcrs = { sha256: { ...pcrs.sha256, 10: new Uint8Array(32).fill(3) } };
      expect(
        verifyQuote({ akPublic: ak.publicArea, quote, signature, pcrs: wrongPcrs, nonce }),
      ).toMatchObject({
        ok: false,
        code: 'MSYS_ATTESTATION_QUOTE_PCR_DIGEST',
      });
      expect(
        verifyQuote({ akPublic: ak.publicArea, quote, signature, pcrs: { sha256: { 0: pcrs.sha256[0] } } }),
      ).toMatchObject({
        ok: false,
        code: 'MSYS_ATTESTATION_QUOTE_PCR_MISSING',
      });

      const tampered = Buffer.from(quote);
      tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
      expect(verifyQuote({ akPublic: ak.publicArea, quote: tampered, signature, pcrs, nonce })).toMatchObject(
        {
          ok: false,
          code: 'MSYS_ATTESTATION_QUOTE_SIGNATURE',
        },
      );
      const other = softAk(kind);
      expect(verifyQuote({ akPublic: other.publicArea, quote, signature, pcrs, nonce })).toMatchObject({
        ok: false,
        code: 'MSYS_ATTESTATION_QUOTE_SIGNATURE',
      });
    });
  }

  it('checks the magic and the attestation type before anything else', () => {
    const ak = softAk('ecdsa-p256');
    const m = softQuote(ak, { nonce, pcrs, magic: 0x12345678 });
    expect(verifyQuote({ akPublic: ak.publicArea, ...m, pcrs, nonce })).toMatchObject({
      code: 'MSYS_ATTESTATION_QUOTE_MAGIC',
    });
    const t = softQuote(ak, { nonce, pcrs, type: TpmSt.ATTEST_CERTIFY });
    expect(verifyQuote({ akPublic: ak.publicArea, ...t, pcrs, nonce })).toMatchObject({ ok: false });
  });

  it('refuses a non-restricted AK: it could have signed a forged TPMS_ATTEST', () => {
    const ak = softAk('ecdsa-p256', TpmaObject.sign | TpmaObject.userWithAuth);
    const q = softQuote(ak, { nonce, pcrs });
    expect(verifyQuote({ akPublic: ak.publicArea, ...q, pcrs, nonce })).toMatchObject({
      code: 'MSYS_ATTESTATION_QUOTE_KEY',
    });
  });

  it('accepts a parsed AK and reports malformed inputs as ok:false, never a throw', () => {
    const ak = softAk('rsassa');
    const q = softQuote(ak, { nonce, pcrs });
    expect(verifyQuote({ akPublic: parseTpmtPublic(ak.publicArea), ...q, pcrs, nonce }).ok).toBe(true);
    expect(
      verifyQuote({ akPublic: ak.publicArea, quote: q.quote.subarray(0, 20), signature: q.signature, pcrs }),
    ).toMatchObject({
      code: 'MSYS_ATTESTATION_QUOTE_MALFORMED',
    });
    expect(verifyQuote(null as never)).toMatchObject({ ok: false, code: 'MSYS_ATTESTATION_QUOTE_MALFORMED' });
    expect(
      verifyQuote({
        akPublic: ak.publicArea,
        quote: q.quote,
        signature: q.signature,
        pcrs: { sha256: { 0: new Uint8Array(3), 10: new Uint8Array(32) } },
      }),
    ).toMatchObject({ code: 'MSYS_ATTESTATION_QUOTE_PCR_MISSING' });
  });
});
