import { createPublicKey } from 'node:crypto';
import { timingSafeEqual, toHex } from '@msys/core/crypto';
import { verifyEventDigests } from '../eventlog/digests.js';
import { parseImaLog, replayImaLog } from '../eventlog/ima.js';
import { parseEventLog } from '../eventlog/pcclient.js';
import { replayEventLog } from '../eventlog/replay.js';
import type { HashAlgorithmName } from '../tpm/constants.js';
import { tpmPublicToKeyObject } from '../tpm/keys.js';
import { parseTpmtPublic } from '../tpm/public.js';
import { type PcrBanks, verifyQuote } from '../tpm/quote.js';
import { loadCertificate } from '../x509/certificate.js';
import { validateChain } from '../x509/validate.js';
import { ClaimBuilder } from './tiers.js';
import type { AppraisalPolicy, ClaimName, SoftwareClaims, TpmEvidence } from './types.js';

/** The per-claim builders of one appraisal. @internal */
export type Claims = Record<ClaimName, ClaimBuilder>;

/** @internal */
export function newClaims(): Claims {
  return {
    evidence: new ClaimBuilder(),
    freshness: new ClaimBuilder(),
    'instance-identity': new ClaimBuilder(),
    configuration: new ClaimBuilder(),
    executables: new ClaimBuilder(),
    hardware: new ClaimBuilder(),
  };
}

const asBytes = (v: Uint8Array | string): Uint8Array =>
  typeof v === 'string' ? new Uint8Array(Buffer.from(v.replace(/^0x/, ''), 'hex')) : v;

/** Compares reference PCRs with the trusted values (those the quote covers). @internal */
export function appraiseReferencePcrs(policy: AppraisalPolicy, trusted: PcrBanks, claims: Claims): void {
  const ref = policy.referencePcrs;
  if (ref === undefined) return;
  let checked = 0;
  for (const [bank, values] of Object.entries(ref) as [
    HashAlgorithmName,
    Record<number, Uint8Array | string>,
  ][]) {
    for (const [index, want] of Object.entries(values ?? {})) {
      checked++;
      const got = trusted[bank]?.[Number(index)];
      if (got === undefined)
        claims.configuration.add('contraindicated', `${bank} PCR ${index} is not covered by the evidence`);
      else if (!timingSafeEqual(got, asBytes(want))) {
        claims.configuration.add('contraindicated', `${bank} PCR ${index} differs from its reference value`);
      }
    }
  }
  if (claims.configuration.status === 'none' && checked > 0) {
    claims.configuration.add('affirming', `${checked} PCR value(s) match the reference`);
  }
}

/** Applies the allowed/forbidden digest lists to measured digests. @internal */
export function appraiseDigests(policy: AppraisalPolicy, digests: ReadonlySet<string>, claims: Claims): void {
  const forbidden = new Set((policy.forbiddenEventDigests ?? []).map((d) => d.toLowerCase()));
  const allowed =
    policy.allowedEventDigests === undefined
      ? undefined
      : new Set(policy.allowedEventDigests.map((d) => d.toLowerCase()));
  if (forbidden.size === 0 && allowed === undefined) return;
  let unknown = 0;
  for (const d of digests) {
    if (forbidden.has(d)) claims.executables.add('contraindicated', `forbidden measurement ${d}`);
    else if (allowed !== undefined && !allowed.has(d)) unknown++;
  }
  if (unknown > 0) claims.executables.add('warning', `${unknown} measurement(s) are not in the allowed list`);
  if (claims.executables.status === 'none')
    claims.executables.add('affirming', `${digests.size} measurement(s) allowed`);
}

/** @internal */
export function appraiseFirmware(policy: AppraisalPolicy, version: bigint | undefined, claims: Claims): void {
  if (policy.minFirmwareVersion === undefined) return;
  if (version === undefined) claims.hardware.add('warning', 'the evidence reports no firmware version');
  else if (version < policy.minFirmwareVersion) {
    claims.hardware.add(
      'contraindicated',
      `firmware 0x${version.toString(16)} is older than 0x${policy.minFirmwareVersion.toString(16)}`,
    );
  } else claims.hardware.add('affirming', `firmware 0x${version.toString(16)} meets the minimum`);
}

/**
 * Appraises TPM evidence after the nonce check: the quote, the logs against the quoted PCRs, the policy.
 * Only the AK certificate chain is asynchronous: without one to check, the appraisal completes synchronously
 * (undefined) and spares the caller a round of promise scheduling per attestation.
 *
 * @internal
 */
export function appraiseTpm(
  e: TpmEvidence,
  policy: AppraisalPolicy,
  claims: Claims,
  validationTime: number,
): Promise<void> | undefined {
  const q = verifyQuote({
    akPublic: e.akPublic,
    quote: e.quote,
    signature: e.signature,
    pcrs: e.pcrs ?? {},
    nonce: e.nonce,
  });
  if (!q.ok) {
    claims.evidence.add('contraindicated', `${q.code}: ${q.reason}`);
    return undefined;
  }
  claims.evidence.add('affirming', 'the quote is signed by the AK and covers the supplied PCRs');
  // Only PCR values the quote covers are trusted; anything else in `e.pcrs` is ignored.
  const trusted: Partial<Record<HashAlgorithmName, Record<number, Uint8Array>>> = {};
  if (q.attest.attested.kind === 'quote') {
    for (const sel of q.attest.attested.pcrSelect) {
      if (sel.hash === undefined) continue;
      const bank = trusted[sel.hash] ?? {};
      trusted[sel.hash] = bank;
      for (const i of sel.pcrs) {
        const v = e.pcrs[sel.hash]?.[i];
        if (v !== undefined) bank[i] = v;
      }
    }
  }
  const digests = new Set<string>();
  if (e.eventLog !== undefined) {
    try {
      const log = parseEventLog(e.eventLog);
      const replay = replayEventLog(log);
      let compared = 0;
      for (const [bank, values] of Object.entries(replay) as [
        HashAlgorithmName,
        Record<number, Uint8Array>,
      ][]) {
        for (const [i, v] of Object.entries(values)) {
          const quoted = trusted[bank]?.[Number(i)];
          if (quoted === undefined) continue;
          compared++;
          if (!timingSafeEqual(quoted, v))
            claims.configuration.add(
              'contraindicated',
              `the event log does not replay to quoted ${bank} PCR ${i}`,
            );
        }
      }
      if (compared === 0)
        claims.configuration.add('warning', 'the event log touches none of the quoted PCRs');
      for (const m of verifyEventDigests(log)) {
        claims.configuration.add(
          'warning',
          `event ${m.event} (${m.eventType}): its ${m.bank} digest is not the hash of its data`,
        );
      }
      for (const ev of log.events)
        for (const d of Object.values(ev.digests)) if (d !== undefined) digests.add(toHex(d));
    } catch (err) {
      claims.configuration.add('contraindicated', `the event log is unreadable: ${(err as Error).message}`);
    }
  } else if (policy.requireEventLog === true) {
    claims.configuration.add('contraindicated', 'the policy requires an event log');
  }
  if (e.imaLog !== undefined) {
    try {
      const ima = parseImaLog(e.imaLog);
      const banks = (['sha1', 'sha256'] as const).filter((b) => trusted[b]?.[10] !== undefined);
      const replay = replayImaLog(ima, banks.length > 0 ? banks : ['sha256']);
      for (const b of banks) {
        if (!timingSafeEqual(replay[b]?.[10] ?? new Uint8Array(), trusted[b]?.[10] ?? new Uint8Array())) {
          claims.executables.add('contraindicated', `the IMA log does not replay to quoted ${b} PCR 10`);
        }
      }
      if (banks.length === 0)
        claims.executables.add('warning', 'PCR 10 is not quoted: the IMA log is unverified');
      for (const en of ima.entries) if (!en.violation) digests.add(toHex(en.fileDigest));
    } catch (err) {
      claims.executables.add('contraindicated', `the IMA log is unreadable: ${(err as Error).message}`);
    }
  }
  appraiseReferencePcrs(policy, trusted, claims);
  appraiseDigests(policy, digests, claims);
  appraiseFirmware(policy, q.attest.firmwareVersion, claims);
  if (policy.allowedAkIssuers === undefined && policy.akTrustAnchors === undefined) return undefined;
  return appraiseAkCertificate(e, policy, claims, new Date(validationTime));
}

async function appraiseAkCertificate(
  e: TpmEvidence,
  policy: AppraisalPolicy,
  claims: Claims,
  validationTime: Date,
): Promise<void> {
  const issuers = policy.allowedAkIssuers;
  const anchors = policy.akTrustAnchors;
  if (issuers === undefined && anchors === undefined) return;
  if (e.akCertificate === undefined) {
    claims['instance-identity'].add('contraindicated', 'the policy requires an AK certificate');
    return;
  }
  try {
    const cert = loadCertificate(e.akCertificate);
    const akSpki = tpmPublicToKeyObject(parseTpmtPublic(e.akPublic)).export({ format: 'der', type: 'spki' });
    const certSpki = createPublicKey({
      key: Buffer.from(cert.publicKey.rawData),
      format: 'der',
      type: 'spki',
    }).export({
      format: 'der',
      type: 'spki',
    });
    if (!akSpki.equals(certSpki)) {
      claims['instance-identity'].add('contraindicated', 'the AK certificate certifies a different key');
      return;
    }
    if (issuers !== undefined && !issuers.includes(cert.issuer)) {
      claims['instance-identity'].add(
        'contraindicated',
        `AK certificate issuer ${cert.issuer} is not allowed`,
      );
    }
    if (anchors !== undefined) {
      const r = await validateChain({
        leaf: e.akCertificate,
        intermediates: e.akCertificateChain ?? [],
        trustAnchors: anchors,
        validationTime,
      });
      if (!r.ok)
        claims['instance-identity'].add('contraindicated', `AK certificate chain: ${r.code}: ${r.reason}`);
    }
    if (claims['instance-identity'].status === 'none')
      claims['instance-identity'].add('affirming', `AK certified by ${cert.issuer}`);
  } catch (err) {
    claims['instance-identity'].add(
      'contraindicated',
      `the AK certificate is unreadable: ${(err as Error).message}`,
    );
  }
}

/** Appraises verified software claims. @internal */
export function appraiseSoftware(c: SoftwareClaims, policy: AppraisalPolicy, claims: Claims): void {
  const pcrs: Partial<Record<HashAlgorithmName, Record<number, Uint8Array>>> = {};
  for (const [bank, values] of Object.entries(c.pcrs ?? {}) as [
    HashAlgorithmName,
    Record<string, string>,
  ][]) {
    const b = pcrs[bank] ?? {};
    pcrs[bank] = b;
    for (const [i, v] of Object.entries(values ?? {})) if (typeof v === 'string') b[Number(i)] = asBytes(v);
  }
  appraiseReferencePcrs(policy, pcrs, claims);
  appraiseDigests(
    policy,
    new Set((c.events ?? []).filter((d) => typeof d === 'string').map((d) => d.toLowerCase())),
    claims,
  );
  let fw: bigint | undefined;
  try {
    fw = c.firmwareVersion === undefined ? undefined : BigInt(c.firmwareVersion);
  } catch {
    claims.hardware.add('contraindicated', 'the firmware version is not an integer');
  }
  appraiseFirmware(policy, fw, claims);
}
