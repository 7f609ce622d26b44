import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isSystemError } from '@msys/core/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeCredential,
  parseTpmsAttest,
  parseTpmtPublic,
  type SwtpmProcess,
  SwtpmTransport,
  startSwtpm,
  Tpm,
  TpmSt,
  tpmPublicToKeyObject,
  verifyQuote,
} from '../src/index.js';
import { tpm2, tpm2ok, tpmToolsAvailable } from './support/swtpm.js';

const available = tpmToolsAvailable();
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe.skipIf(!available)('TPM 2.0 commands against swtpm, cross-checked with tpm2-tools', () => {
  let sw: SwtpmProcess;
  let tpm: Tpm;
  let dir: string;
  const reconnect = async (): Promise<void> => {
    tpm = new Tpm(await SwtpmTransport.connect({ port: sw.port }));
  };

  beforeAll(async () => {
    sw = await startSwtpm();
    dir = mkdtempSync(path.join(tmpdir(), 'msys-att-'));
    await reconnect();
  });

  afterAll(async () => {
    await tpm?.close();
    await sw?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('starts (already started by swtpm), returns random bytes and extends PCRs as H(old ‖ digest)', async () => {
    expect(await tpm.startup()).toBe(false);
    const r = await tpm.getRandom(100);
    expect(r.length).toBe(100);
    const before = await tpm.pcrRead([{ hash: 'sha256', pcrs: [23] }]);
    const d = new Uint8Array(32).fill(0xab);
    await tpm.pcrExtend(23, { sha256: d });
    const after = await tpm.pcrRead([{ hash: 'sha256', pcrs: [23] }]);
    const { createHash } = await import('node:crypto');
    const want = createHash('sha256')
      .update(before.sha256?.[23] ?? new Uint8Array())
      .update(d)
      .digest();
    expect(hex(after.sha256?.[23] ?? new Uint8Array())).toBe(want.toString('hex'));
    // more than 8 PCRs in one read spans several TPM2_PCR_Read calls
    const many = await tpm.pcrRead([
      { hash: 'sha256', pcrs: [...Array(24).keys()] },
      { hash: 'sha1', pcrs: [0, 1] },
    ]);
    expect(Object.keys(many.sha256 ?? {}).length).toBe(24);
    expect(Object.keys(many.sha1 ?? {}).length).toBe(2);
  });

  for (const kind of ['rsa', 'ecc'] as const) {
    it(`${kind}: EK + AK, quote with a nonce, verifyQuote accepts it and tpm2_checkquote agrees`, async () => {
      const ek = await tpm.createEk(kind);
      const ak = await tpm.createAk(ek.handle, kind);
      await tpm.pcrExtend(16, {
        sha256: new Uint8Array(randomBytes(32)),
        sha1: new Uint8Array(randomBytes(20)),
      });
      const sel = [{ hash: 'sha256' as const, pcrs: [0, 1, 16] }];
      const nonce = new Uint8Array(randomBytes(32));
      const q = await tpm.quote(ak.handle, nonce, sel);
      const pcrs = await tpm.pcrRead(sel);
      expect(
        verifyQuote({ akPublic: ak.public, quote: q.attest, signature: q.signature, pcrs, nonce }),
      ).toMatchObject({ ok: true });
      expect(
        verifyQuote({
          akPublic: ak.public,
          quote: q.attest,
          signature: q.signature,
          pcrs,
          nonce: new Uint8Array(32),
        }),
      ).toMatchObject({
        code: 'MSYS_ATTESTATION_QUOTE_NONCE',
      });
      // Certify: the AK attests to the EK's presence in the same TPM.
      // Certify: the AK attests that a second key lives in the same TPM.
      const key2 = await tpm.createAk(ek.handle, kind);
      const c = await tpm.certify(key2.handle, ak.handle, nonce);
      const ci = parseTpmsAttest(c.attest);
      expect(ci.type).toBe(TpmSt.ATTEST_CERTIFY);
      expect(ci.attested.kind === 'certify' && hex(ci.attested.name)).toBe(hex(key2.name));
      expect(hex(ci.extraData)).toBe(hex(nonce));
      await tpm.flushContext(key2.handle);
      const rp = await tpm.readPublic(ak.handle);
      expect(hex(rp.name)).toBe(hex(ak.name));
      await tpm.flushContext(ak.handle);
      await tpm.flushContext(ek.handle);

      await tpm.close();
      try {
        writeFileSync(
          path.join(dir, 'ak.pem'),
          tpmPublicToKeyObject(ak.public).export({ type: 'spki', format: 'pem' }),
        );
        writeFileSync(path.join(dir, 'q.msg'), q.attest);
        writeFileSync(path.join(dir, 'q.sig'), q.signature);
        writeFileSync(
          path.join(dir, 'pcrs.bin'),
          Buffer.concat([0, 1, 16].map((i) => pcrs.sha256?.[i] ?? new Uint8Array())),
        );
        const args = [
          '-u',
          'ak.pem',
          '-m',
          'q.msg',
          '-s',
          'q.sig',
          '-f',
          'pcrs.bin',
          '-l',
          'sha256:0,1,16',
          '-g',
          'sha256',
        ];
        expect(tpm2(sw.port, 'tpm2_checkquote', [...args, '-q', hex(nonce)], dir).status).toBe(0);
        expect(
          tpm2(sw.port, 'tpm2_checkquote', [...args, '-q', hex(new Uint8Array(32))], dir).status,
        ).not.toBe(0);
      } finally {
        await reconnect();
      }
    });

    it(`${kind}: verifyQuote accepts a quote made by tpm2_quote`, async () => {
      await tpm.close();
      const nonce = new Uint8Array(randomBytes(20));
      try {
        tpm2ok(sw.port, 'tpm2_createek', ['-c', 'ek.ctx', '-G', kind, '-u', 'ek.pub'], dir);
        const scheme = kind === 'rsa' ? 'rsassa' : 'ecdsa';
        tpm2ok(
          sw.port,
          'tpm2_createak',
          ['-C', 'ek.ctx', '-c', 'ak.ctx', '-G', kind, '-g', 'sha256', '-s', scheme, '-u', 'ak.pub'],
          dir,
        );
        tpm2ok(
          sw.port,
          'tpm2_quote',
          [
            '-c',
            'ak.ctx',
            '-l',
            'sha256:0,1,16+sha1:16',
            '-q',
            hex(nonce),
            '-m',
            't.msg',
            '-s',
            't.sig',
            '-g',
            'sha256',
          ],
          dir,
        );
      } finally {
        await reconnect();
      }
      const pcrs = await tpm.pcrRead([
        { hash: 'sha256', pcrs: [0, 1, 16] },
        { hash: 'sha1', pcrs: [16] },
      ]);
      const input = {
        akPublic: new Uint8Array(readFileSync(path.join(dir, 'ak.pub'))),
        quote: new Uint8Array(readFileSync(path.join(dir, 't.msg'))),
        signature: new Uint8Array(readFileSync(path.join(dir, 't.sig'))),
        pcrs,
        nonce,
      };
      expect(verifyQuote(input)).toMatchObject({ ok: true });
      // tpm2_createek and createEk derive the same EK from the same TCG default template.
      const ours = await tpm.createEk(kind);
      const theirs = parseTpmtPublic(new Uint8Array(readFileSync(path.join(dir, 'ek.pub'))));
      expect(hex(ours.public.raw)).toBe(hex(theirs.raw));
      await tpm.flushContext(ours.handle);
      await tpm.pcrExtend(16, { sha256: new Uint8Array(32).fill(1) });
      const moved = await tpm.pcrRead([
        { hash: 'sha256', pcrs: [0, 1, 16] },
        { hash: 'sha1', pcrs: [16] },
      ]);
      expect(verifyQuote({ ...input, pcrs: moved })).toMatchObject({
        code: 'MSYS_ATTESTATION_QUOTE_PCR_DIGEST',
      });
    });

    it(`${kind}: the TPM activates a credential made in software only for the named AK`, async () => {
      const ek = await tpm.createEk(kind);
      const ak = await tpm.createAk(ek.handle, kind);
      const other = await tpm.createAk(ek.handle, kind);
      const secret = new Uint8Array(randomBytes(32));
      const made = makeCredential(ek.public, ak.name, secret);
      const got = await tpm.activateCredentialWithEk(ak.handle, ek.handle, made.credentialBlob, made.secret);
      expect(hex(got)).toBe(hex(secret));
      try {
        await tpm.activateCredentialWithEk(other.handle, ek.handle, made.credentialBlob, made.secret);
        expect.unreachable();
      } catch (e) {
        expect(isSystemError(e) && e.code).toBe('MSYS_ATTESTATION_TPM_RC');
        expect(isSystemError(e) && e.details.rcName).toBe('TPM_RC_INTEGRITY');
      }
      for (const h of [other.handle, ak.handle, ek.handle]) await tpm.flushContext(h);
    });
  }

  it('turns TPM error responses into SystemErrors naming the response code', async () => {
    try {
      await tpm.quote(0x80ffffff, new Uint8Array(8), [{ hash: 'sha256', pcrs: [0] }]);
      expect.unreachable();
    } catch (e) {
      expect(isSystemError(e) && e.code).toBe('MSYS_ATTESTATION_TPM_RC');
      expect(isSystemError(e) && String(e.details.rcName)).toMatch(/^TPM_RC_/);
    }
  });
});
