import { createHash, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AttestationAuthority,
  issueCertificate,
  type SwtpmProcess,
  SwtpmTransport,
  startSwtpm,
  Tpm,
  tpmPublicToKeyObject,
  verifyResult,
} from '../src/index.js';
import { tpmToolsAvailable } from './support/swtpm.js';

const available = tpmToolsAvailable();

describe.skipIf(!available)('end to end: challenge → swtpm quote → appraisal → token → relying party', () => {
  let sw: SwtpmProcess;
  let tpm: Tpm;

  beforeAll(async () => {
    sw = await startSwtpm();
    tpm = new Tpm(await SwtpmTransport.connect({ port: sw.port }));
  });

  afterAll(async () => {
    await tpm?.close();
    await sw?.stop();
  });

  it('affirms the measured state, then contraindicates it after an unexpected measurement', async () => {
    const measurement = createHash('sha256').update('bootloader v1').digest();
    await tpm.pcrExtend(16, { sha256: new Uint8Array(measurement) });
    // PCR 16 starts at zero after startup-clear: the reference value is computed independently of the TPM.
    const expected16 = createHash('sha256').update(Buffer.alloc(32)).update(measurement).digest();

    const ek = await tpm.createEk('ecc');
    const ak = await tpm.createAk(ek.handle, 'ecc');
    const ca = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const root = await issueCertificate({
      subject: 'CN=Fleet AK CA',
      publicKey: ca.publicKey,
      signingKey: ca.privateKey,
      ca: true,
    });
    const akCert = await issueCertificate({
      subject: 'CN=node-1 AK',
      publicKey: tpmPublicToKeyObject(ak.public),
      issuer: { certificate: root.pem, privateKey: ca.privateKey },
      extendedKeyUsage: ['tcgAikCertificate'],
    });

    const signingKey = new Uint8Array(32).fill(3);
    const authority = new AttestationAuthority({
      signingKey,
      policies: {
        fleet: {
          referencePcrs: { sha256: { 16: new Uint8Array(expected16) } },
          allowedAkIssuers: ['CN=Fleet AK CA'],
          akTrustAnchors: [root.pem],
        },
      },
    });

    const attest = async () => {
      const { nonce } = authority.challenge();
      const sel = [{ hash: 'sha256' as const, pcrs: [0, 16] }];
      const q = await tpm.quote(ak.handle, nonce, sel);
      const pcrs = await tpm.pcrRead(sel);
      return authority.appraise(
        {
          kind: 'tpm',
          nonce,
          akPublic: ak.public.raw,
          quote: q.attest,
          signature: q.signature,
          pcrs,
          akCertificate: akCert.pem,
        },
        'fleet',
      );
    };

    const good = await attest();
    expect(good.status).toBe('affirming');
    expect(good.claims['instance-identity'].status).toBe('affirming');
    const seen = await verifyResult(good.token, authority.publicKey);
    expect(seen.status).toBe('affirming');
    expect(seen.nonce).toBe(Buffer.from(good.nonce).toString('base64url'));

    await tpm.pcrExtend(16, { sha256: new Uint8Array(createHash('sha256').update('rootkit').digest()) });
    const bad = await attest();
    expect(bad.status).toBe('contraindicated');
    expect(bad.claims.configuration.status).toBe('contraindicated');
    expect((await verifyResult(bad.token, authority.publicKey)).status).toBe('contraindicated');
    await tpm.flushContext(ak.handle);
    await tpm.flushContext(ek.handle);
  });
});
