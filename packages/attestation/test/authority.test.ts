import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isSystemError } from '@msys/core/errors';
import { ResourceGovernor } from '@msys/core/governor';
import { describe, expect, it } from 'vitest';
import {
  type AppraisalPolicy,
  AttestationAuthority,
  createImaEntry,
  createSoftwareEvidence,
  issueCertificate,
  parseEventLog,
  replayEventLog,
  verifyResult,
} from '../src/index.js';
import { softAk, softQuote } from './support/soft-quote.js';
import { vectorsAvailable, vectorsDir } from './support/vectors.js';

const haveLogs = vectorsAvailable('tpm2-tools-eventlogs');

const seed = new Uint8Array(32).fill(42);
const pcr0 = new Uint8Array(32).fill(1);
const pcr7 = new Uint8Array(32).fill(7);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isSystemError(e) ? e.code : 'raw';
  }
  return undefined;
}

/** A real ResourceGovernor in deterministic mode: seeded randomness and a virtual clock. */
function deterministicGovernor(seed = 1): ResourceGovernor {
  return new ResourceGovernor({ deterministic: { seed } });
}

function tpmEvidence(
  authority: AttestationAuthority,
  kind: 'rsassa' | 'ecdsa-p256',
  pcrs = { sha256: { 0: pcr0, 7: pcr7 } },
) {
  const { nonce } = authority.challenge();
  const ak = softAk(kind);
  const q = softQuote(ak, { nonce, pcrs });
  return {
    ak,
    evidence: {
      kind: 'tpm' as const,
      nonce,
      akPublic: ak.publicArea,
      quote: q.quote,
      signature: q.signature,
      pcrs,
      ueid: new Uint8Array([1, 2, 3]),
    },
  };
}

const policies: Record<string, AppraisalPolicy> = {
  servers: {
    referencePcrs: { sha256: { 0: pcr0, 7: Buffer.from(pcr7).toString('hex') } },
    minFirmwareVersion: 0x1000000000000n,
  },
  strict: { referencePcrs: { sha256: { 7: new Uint8Array(32) } } },
};

describe('AttestationAuthority', () => {
  it('validates its options with typed errors', () => {
    expect(codeOf(() => new AttestationAuthority({ signingKey: new Uint8Array(5), policies }))).toBe(
      'MSYS_ATTESTATION_INVALID_ARGUMENT',
    );
    expect(codeOf(() => new AttestationAuthority({ signingKey: seed, policies: null as never }))).toBe(
      'MSYS_ATTESTATION_INVALID_ARGUMENT',
    );
    expect(codeOf(() => new AttestationAuthority({ signingKey: seed, policies, challengeTtlMs: -1 }))).toBe(
      'MSYS_ATTESTATION_INVALID_ARGUMENT',
    );
  });

  for (const kind of ['rsassa', 'ecdsa-p256'] as const) {
    it(`affirms a genuine ${kind} quote matching the reference values; the relying party verifies the token`, async () => {
      const authority = new AttestationAuthority({ signingKey: seed, policies });
      const { evidence } = tpmEvidence(authority, kind);
      const r = await authority.appraise(evidence, 'servers');
      expect(r.status).toBe('affirming');
      expect(r.claims.configuration.status).toBe('affirming');
      expect(r.claims.freshness.status).toBe('affirming');
      expect(r.claims.hardware.status).toBe('affirming');
      const v = await verifyResult(r.token, authority.publicKey);
      expect(v.status).toBe('affirming');
      expect(v.nonce).toBe(Buffer.from(evidence.nonce).toString('base64url'));
      expect(v.ueid).toBe(Buffer.from([1, 2, 3]).toString('base64url'));
      expect(v.policy).toBe('servers');
      expect(v.claims.configuration?.status).toBe('affirming');
      expect(v.expiresAt - v.issuedAt).toBe(600);
    });
  }

  it('contraindicates PCRs that differ from the reference and a replayed nonce', async () => {
    const authority = new AttestationAuthority({ signingKey: seed, policies });
    const { evidence } = tpmEvidence(authority, 'ecdsa-p256');
    const r = await authority.appraise(evidence, 'strict');
    expect(r.status).toBe('contraindicated');
    expect(r.claims.configuration.status).toBe('contraindicated');
    const again = await authority.appraise(evidence, 'strict');
    expect(again.claims.freshness.status).toBe('contraindicated');
    expect(again.claims.evidence.status).toBe('none');
  });

  it('contraindicates a forged quote, a nonce it never issued, and an expired challenge', async () => {
    const g = deterministicGovernor();
    const authority = new AttestationAuthority({
      signingKey: seed,
      policies,
      governor: g,
      challengeTtlMs: 1000,
    });
    const { evidence } = tpmEvidence(authority, 'ecdsa-p256');
    const forged = {
      ...evidence,
      signature: softQuote(softAk('ecdsa-p256'), { nonce: evidence.nonce, pcrs: evidence.pcrs }).signature,
    };
    const r1 = await authority.appraise(forged, 'servers');
    expect(r1.claims.evidence.status).toBe('contraindicated');
    expect(r1.claims.evidence.reasons[0]).toContain('MSYS_ATTESTATION_QUOTE_SIGNATURE');
    const stranger = await authority.appraise({ ...evidence, nonce: new Uint8Array(32) }, 'servers');
    expect(stranger.claims.freshness.status).toBe('contraindicated');
    const late = tpmEvidence(authority, 'ecdsa-p256');
    await g.clock.advance(1001);
    const r3 = await authority.appraise(late.evidence, 'servers');
    expect(r3.claims.freshness.status).toBe('contraindicated');
  });

  it('ignores supplied PCR values the quote does not cover', async () => {
    const authority = new AttestationAuthority({ signingKey: seed, policies });
    const { evidence } = tpmEvidence(authority, 'ecdsa-p256', { sha256: { 0: pcr0 } } as never);
    const r = await authority.appraise({ ...evidence, pcrs: { sha256: { 0: pcr0, 7: pcr7 } } }, 'servers');
    expect(r.claims.configuration.status).toBe('contraindicated');
    expect(r.claims.configuration.reasons.join()).toContain('PCR 7 is not covered');
  });

  it('checks IMA measurements against the quoted PCR 10 and the allowed/forbidden lists', async () => {
    const good = createImaEntry('/usr/bin/app', new Uint8Array(createHash('sha256').update('app').digest()));
    const bad = createImaEntry('/tmp/miner', new Uint8Array(createHash('sha256').update('miner').digest()));
    const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
    const ascii = (es: (typeof good)[]): string =>
      es.map((e) => `10 ${hex(e.templateHash)} ima-ng sha256:${hex(e.fileDigest)} ${e.path}`).join('\n');
    const pcr10 = (es: (typeof good)[]): Uint8Array => {
      let v = Buffer.alloc(32);
      for (const e of es)
        v = createHash('sha256')
          .update(v)
          .update(createHash('sha256').update(e.templateData).digest())
          .digest();
      return new Uint8Array(v);
    };
    const authority = new AttestationAuthority({
      signingKey: seed,
      policies: {
        ima: { allowedEventDigests: [hex(good.fileDigest)], forbiddenEventDigests: [hex(bad.fileDigest)] },
      },
    });
    const run = async (entries: (typeof good)[], log: string) => {
      const { evidence } = tpmEvidence(authority, 'ecdsa-p256', { sha256: { 10: pcr10(entries) } } as never);
      return authority.appraise({ ...evidence, imaLog: log }, 'ima');
    };
    expect((await run([good], ascii([good]))).claims.executables.status).toBe('affirming');
    expect((await run([good, bad], ascii([good, bad]))).claims.executables.status).toBe('contraindicated');
    // a log that hides the bad entry no longer replays to the quoted PCR 10
    const hidden = await run([good, bad], ascii([good]));
    expect(hidden.claims.executables.reasons.join()).toContain('does not replay');
  });

  it.skipIf(!haveLogs)('checks that the firmware event log replays to the quoted PCRs', async () => {
    const bin = readFileSync(
      path.join(vectorsDir, 'tpm2-tools-eventlogs/test/integration/fixtures/event-sd-boot-fedora37.bin'),
    );
    const replayed = replayEventLog(parseEventLog(bin));
    const quoted = {
      sha256: {
        0: replayed.sha256?.[0] ?? new Uint8Array(32),
        4: replayed.sha256?.[4] ?? new Uint8Array(32),
      },
    };
    const authority = new AttestationAuthority({
      signingKey: seed,
      policies: { boot: { requireEventLog: true } },
    });
    const { evidence } = tpmEvidence(authority, 'ecdsa-p256', quoted as never);
    const good = await authority.appraise({ ...evidence, eventLog: bin }, 'boot');
    expect(good.claims.configuration.status).toBe('none');
    expect(good.status).toBe('affirming');
    const tampered = Buffer.from(bin);
    const ev = parseEventLog(bin).events.find((e) => e.pcrIndex === 4);
    tampered.writeUInt8((tampered[(ev?.offset ?? 0) + 14] ?? 0) ^ 1, (ev?.offset ?? 0) + 14);
    const e2 = tpmEvidence(authority, 'ecdsa-p256', quoted as never);
    const bad = await authority.appraise({ ...e2.evidence, eventLog: tampered }, 'boot');
    expect(bad.claims.configuration.status).toBe('contraindicated');
    const e3 = tpmEvidence(authority, 'ecdsa-p256', quoted as never);
    expect((await authority.appraise(e3.evidence, 'boot')).claims.configuration.status).toBe(
      'contraindicated',
    );
  });

  it('checks the AK certificate: same key, allowed issuer, chain to the anchor', async () => {
    const ca = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const root = await issueCertificate({
      subject: 'CN=AK Root',
      publicKey: ca.publicKey,
      signingKey: ca.privateKey,
      ca: true,
    });
    const authority = new AttestationAuthority({
      signingKey: seed,
      policies: {
        certified: { allowedAkIssuers: ['CN=AK Root'], akTrustAnchors: [root.pem] },
        other: { allowedAkIssuers: ['CN=Elsewhere'] },
      },
    });
    const { ak, evidence } = tpmEvidence(authority, 'rsassa');
    const { tpmPublicToKeyObject, parseTpmtPublic } = await import('../src/index.js');
    const akCert = await issueCertificate({
      subject: 'CN=host AK',
      publicKey: tpmPublicToKeyObject(parseTpmtPublic(ak.publicArea)),
      issuer: { certificate: root.pem, privateKey: ca.privateKey },
      extendedKeyUsage: ['tcgAikCertificate'],
    });
    const r = await authority.appraise({ ...evidence, akCertificate: akCert.pem }, 'certified');
    expect(r.claims['instance-identity'].status).toBe('affirming');
    const e2 = tpmEvidence(authority, 'rsassa');
    const wrongKey = await authority.appraise({ ...e2.evidence, akCertificate: akCert.der }, 'certified');
    expect(wrongKey.claims['instance-identity'].reasons.join()).toContain('different key');
    const e3 = tpmEvidence(authority, 'rsassa');
    const noCert = await authority.appraise(e3.evidence, 'other');
    expect(noCert.claims['instance-identity'].status).toBe('contraindicated');
  });

  it('appraises Ed25519-signed software evidence through the same policy', async () => {
    const host = generateKeyPairSync('ed25519');
    const hostPub = Buffer.from(host.publicKey.export({ format: 'der', type: 'spki' }).subarray(12)).toString(
      'hex',
    );
    const authority = new AttestationAuthority({
      signingKey: seed,
      policies: {
        soft: {
          referencePcrs: { sha256: { 7: pcr7 } },
          allowedSoftwareKeys: [hostPub],
          forbiddenEventDigests: ['dead'],
          minFirmwareVersion: 5n,
        },
      },
    });
    const make = (over: Record<string, unknown> = {}) =>
      createSoftwareEvidence(
        {
          nonce: Buffer.from(authority.challenge().nonce).toString('base64url'),
          ueid: 'AQID',
          firmwareVersion: '7',
          pcrs: { sha256: { 7: Buffer.from(pcr7).toString('hex') } },
          events: ['beef'],
          ...over,
        },
        host.privateKey,
      );
    const ok = await authority.appraise(make(), 'soft');
    expect(ok.status).toBe('affirming');
    expect(ok.claims['instance-identity'].status).toBe('affirming');
    expect((await authority.appraise(make({ events: ['DEAD'] }), 'soft')).claims.executables.status).toBe(
      'contraindicated',
    );
    expect((await authority.appraise(make({ firmwareVersion: '4' }), 'soft')).claims.hardware.status).toBe(
      'contraindicated',
    );
    const tampered = make();
    const t = {
      ...tampered,
      claims: new TextEncoder().encode(new TextDecoder().decode(tampered.claims).replace('"7"', '"9"')),
    };
    expect((await authority.appraise(t, 'soft')).claims.evidence.status).toBe('contraindicated');
    const stranger = createSoftwareEvidence(
      { nonce: Buffer.from(authority.challenge().nonce).toString('base64url') },
      new Uint8Array(randomBytes(32)),
    );
    expect((await authority.appraise(stranger, 'soft')).claims['instance-identity'].status).toBe(
      'contraindicated',
    );
  });

  it('rejects tokens with the wrong key, after expiry, or tampered, with MSYS_ATTESTATION_TOKEN_INVALID', async () => {
    const authority = new AttestationAuthority({ signingKey: seed, policies, resultTtlSeconds: 60 });
    const { evidence } = tpmEvidence(authority, 'ecdsa-p256');
    const r = await authority.appraise(evidence, 'servers');
    const other = new AttestationAuthority({ signingKey: new Uint8Array(32).fill(1), policies });
    const cases: Array<() => Promise<unknown>> = [
      () => verifyResult(r.token, other.publicKey),
      () => verifyResult(r.token, authority.publicKey, { currentDate: new Date((r.expiresAt + 5) * 1000) }),
      () => verifyResult(`${r.token.slice(0, -4)}AAAA`, authority.publicKey),
      () => verifyResult('not.a.jwt', authority.publicKey),
    ];
    for (const p of cases)
      await expect(p()).rejects.toMatchObject({ code: 'MSYS_ATTESTATION_TOKEN_INVALID' });
    await expect(authority.appraise(evidence, 'nope')).rejects.toMatchObject({
      code: 'MSYS_ATTESTATION_UNKNOWN_POLICY',
    });
  });

  it('accepts a relying-party nonce instead of its own challenge (background-check model)', async () => {
    const authority = new AttestationAuthority({ signingKey: seed, policies });
    const rpNonce = new Uint8Array(32).fill(0x5a);
    const ak = softAk('ecdsa-p256');
    const pcrs = { sha256: { 0: pcr0, 7: pcr7 } };
    const q = softQuote(ak, { nonce: rpNonce, pcrs });
    const evidence = {
      kind: 'tpm' as const,
      nonce: rpNonce,
      akPublic: ak.publicArea,
      quote: q.quote,
      signature: q.signature,
      pcrs,
    };
    expect((await authority.appraise(evidence, 'servers', { expectedNonce: rpNonce })).status).toBe(
      'affirming',
    );
    const other = await authority.appraise(evidence, 'servers', { expectedNonce: new Uint8Array(32) });
    expect(other.claims.freshness.status).toBe('contraindicated');
    expect((await authority.appraise(evidence, 'servers')).claims.freshness.status).toBe('contraindicated');
  });

  it('replays exactly under a deterministic governor', async () => {
    const run = async () => {
      const authority = new AttestationAuthority({
        signingKey: seed,
        policies: { p: {} },
        governor: deterministicGovernor(),
      });
      const { nonce } = authority.challenge();
      const ev = createSoftwareEvidence({ nonce: Buffer.from(nonce).toString('base64url') }, seed);
      return (await authority.appraise(ev, 'p')).token;
    };
    expect(await run()).toBe(await run());
  });
});
