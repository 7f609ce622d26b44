import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isSystemError } from '@msys/core/errors';
import { describe, expect, it } from 'vitest';
import {
  EK_POLICY_SHA256,
  ekTemplate,
  encodeTpmsAttest,
  encodeTpmtSignature,
  objectName,
  parseTpmsAttest,
  parseTpmtPublic,
  parseTpmtSignature,
  TpmAlg,
  TpmSt,
} from '../src/index.js';
import { softAk, softQuote } from './support/soft-quote.js';
import { vectorsAvailable, vectorsDir } from './support/vectors.js';

const haveVectors = vectorsAvailable('tpm2-tools-eventlogs');

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isSystemError(e) ? e.code : `raw:${String(e)}`;
  }
  return undefined;
}

describe('TPM 2.0 structures', () => {
  const nonce = new Uint8Array(32).fill(7);
  const pcr = new Uint8Array(32).fill(1);

  it('parses a TPMS_ATTEST quote and round-trips it byte for byte', () => {
    const ak = softAk('ecdsa-p256');
    const { quote } = softQuote(ak, { nonce, pcrs: { sha256: { 0: pcr, 7: pcr } } });
    const a = parseTpmsAttest(quote);
    expect(a.type).toBe(TpmSt.ATTEST_QUOTE);
    expect(Buffer.from(a.extraData)).toEqual(Buffer.from(nonce));
    expect(a.attested.kind).toBe('quote');
    if (a.attested.kind === 'quote') {
      expect(a.attested.pcrSelect[0]?.pcrs).toEqual([0, 7]);
      expect(a.attested.pcrSelect[0]?.hash).toBe('sha256');
    }
    expect(Buffer.from(encodeTpmsAttest(a))).toEqual(Buffer.from(quote));
    // TPM2B_ATTEST wrapper accepted too
    const wrapped = Buffer.concat([Buffer.from([quote.length >> 8, quote.length & 0xff]), quote]);
    expect(parseTpmsAttest(wrapped).firmwareVersion).toBe(a.firmwareVersion);
  });

  it('parses RSA and ECC TPMT_PUBLIC and TPM2B_PUBLIC; the Name is nameAlg ‖ SHA-256(TPMT_PUBLIC)', () => {
    for (const kind of ['rsassa', 'ecdsa-p256', 'ecdsa-p384'] as const) {
      const ak = softAk(kind);
      const p = parseTpmtPublic(ak.publicArea);
      expect(p.parameters.type).toBe(kind === 'rsassa' ? 'rsa' : 'ecc');
      const b2 = Buffer.concat([
        Buffer.from([ak.publicArea.length >> 8, ak.publicArea.length & 0xff]),
        ak.publicArea,
      ]);
      expect(Buffer.from(parseTpmtPublic(b2).raw)).toEqual(Buffer.from(ak.publicArea));
      const name = objectName(p);
      expect(name.length).toBe(34);
      expect((name[0] ?? 0) * 256 + (name[1] ?? 0)).toBe(TpmAlg.SHA256);
    }
  });

  it('parses RSASSA, RSAPSS and ECDSA TPMT_SIGNATUREs and round-trips them', () => {
    for (const kind of ['rsassa', 'rsapss', 'ecdsa-p256'] as const) {
      const ak = softAk(kind);
      const { signature } = softQuote(ak, { nonce, pcrs: { sha256: { 0: pcr } } });
      const s = parseTpmtSignature(signature);
      expect(s.kind).toBe(kind === 'ecdsa-p256' ? 'ecdsa' : kind);
      expect(Buffer.from(encodeTpmtSignature(s))).toEqual(Buffer.from(signature));
    }
  });

  it('reports every truncation as MSYS_ATTESTATION_TRUNCATED, never a RangeError', () => {
    const ak = softAk('rsassa');
    const { quote, signature } = softQuote(ak, { nonce, pcrs: { sha256: { 0: pcr } } });
    for (const [bytes, parse] of [
      [quote, parseTpmsAttest],
      [signature, parseTpmtSignature],
      [ak.publicArea, parseTpmtPublic],
    ] as const) {
      for (let n = 0; n < bytes.length; n++) {
        const code = codeOf(() => parse(bytes.subarray(0, n)));
        expect(['MSYS_ATTESTATION_TRUNCATED', 'MSYS_ATTESTATION_MALFORMED']).toContain(code);
      }
    }
  });

  it('rejects trailing bytes, unknown algorithms and oversized counts with typed errors', () => {
    const ak = softAk('ecdsa-p256');
    const { quote, signature } = softQuote(ak, { nonce, pcrs: { sha256: { 0: pcr } } });
    expect(codeOf(() => parseTpmtSignature(Buffer.concat([signature, Buffer.from([0])])))).toBe(
      'MSYS_ATTESTATION_MALFORMED',
    );
    expect(codeOf(() => parseTpmtSignature(Buffer.from([0x12, 0x34, 0, 0])))).toBe(
      'MSYS_ATTESTATION_UNSUPPORTED_ALGORITHM',
    );
    const bad = Buffer.from(quote);
    // the TPML_PCR_SELECTION count sits right after the fixed header: 4+2+(2+34)+(2+32)+17+8
    bad.writeUInt32BE(0xffffffff, 4 + 2 + 36 + 34 + 17 + 8);
    expect(codeOf(() => parseTpmsAttest(bad))).toBe('MSYS_ATTESTATION_MALFORMED');
    expect(codeOf(() => parseTpmsAttest('nope' as unknown as Uint8Array))).toBe(
      'MSYS_ATTESTATION_INVALID_ARGUMENT',
    );
  });

  it.skipIf(!haveVectors)('builds the TCG default RSA EK template byte for byte (tpm2-tools fixture)', () => {
    const fixture = readFileSync(
      path.join(vectorsDir, 'tpm2-tools-eventlogs/test/integration/fixtures/ek-template-default.bin'),
    );
    expect(Buffer.from(ekTemplate('rsa')).equals(fixture)).toBe(true);
    const ecc = parseTpmtPublic(ekTemplate('ecc'));
    expect(ecc.parameters.type === 'ecc' && ecc.parameters.curveId).toBe(3);
    expect(Buffer.from(ecc.authPolicy).toString('hex')).toBe(Buffer.from(EK_POLICY_SHA256).toString('hex'));
  });
});
