import { isSystemError } from '@msys/core/errors';
import { AsnConvert } from '@peculiar/asn1-schema';
import { NameConstraints } from '@peculiar/asn1-x509';
import { type CertificateInput, crypto, ekuOid, loadCertificate, x509 } from './certificate.js';
import { dnInSubtree, dnsInSubtree, dnsMatches, emailInSubtree, ipInSubtree, ipToBytes } from './names.js';

/** Stable failure codes of {@link validateChain}. */
export type ChainFailureCode =
  | 'MSYS_ATTESTATION_CHAIN_MALFORMED'
  | 'MSYS_ATTESTATION_CHAIN_NO_PATH'
  | 'MSYS_ATTESTATION_CHAIN_TOO_DEEP'
  | 'MSYS_ATTESTATION_CHAIN_SIGNATURE'
  | 'MSYS_ATTESTATION_CHAIN_EXPIRED'
  | 'MSYS_ATTESTATION_CHAIN_NOT_YET_VALID'
  | 'MSYS_ATTESTATION_CHAIN_NOT_CA'
  | 'MSYS_ATTESTATION_CHAIN_PATH_LENGTH'
  | 'MSYS_ATTESTATION_CHAIN_KEY_USAGE'
  | 'MSYS_ATTESTATION_CHAIN_EKU'
  | 'MSYS_ATTESTATION_CHAIN_NAME_CONSTRAINTS'
  | 'MSYS_ATTESTATION_CHAIN_PEER_NAME'
  | 'MSYS_ATTESTATION_CHAIN_CRITICAL_EXTENSION'
  | 'MSYS_ATTESTATION_CHAIN_REVOKED'
  | 'MSYS_ATTESTATION_CHAIN_CRL';

/** Input of {@link validateChain}. */
export interface ValidateChainInput {
  /** The end-entity certificate. */
  readonly leaf: CertificateInput;
  /** Untrusted CA certificates that may complete a path, in any order. */
  readonly intermediates?: readonly CertificateInput[];
  /** Trusted roots. */
  readonly trustAnchors: readonly CertificateInput[];
  /** When to check validity; default now. */
  readonly validationTime?: Date;
  /** EKUs the leaf must allow (names like `serverAuth` or OIDs). */
  readonly requiredEkus?: readonly string[];
  /** The peer the leaf must name in its subjectAltName. */
  readonly expectedPeerName?: { readonly kind: 'DNS' | 'IP' | 'RFC822'; readonly value: string };
  /** Most certificates in a path, leaf and anchor included; default 8. */
  readonly maxChainDepth?: number;
  /** CRLs (PEM, DER or parsed); each certificate whose issuer has a CRL here is checked against it. */
  readonly crls?: ReadonlyArray<string | Uint8Array | x509.X509Crl>;
}

/** Result of {@link validateChain}. */
export type ValidateChainResult =
  | {
      /** A valid path exists. */
      readonly ok: true;
      /** The path, leaf first, trust anchor last. */
      readonly path: readonly x509.X509Certificate[];
    }
  | {
      /** No valid path. */
      readonly ok: false;
      /** Why (for the most promising path). */
      readonly code: ChainFailureCode;
      /** Explanation naming the certificate. */
      readonly reason: string;
    };

type Failure = Extract<ValidateChainResult, { ok: false }>;
const fail = (code: ChainFailureCode, reason: string): Failure => ({ ok: false, code, reason });

/** Extensions this validator processes or may safely ignore (RFC 5280 §4.2: unknown critical ones fail). */
const KNOWN = new Set([
  '2.5.29.14', // subjectKeyIdentifier
  '2.5.29.35', // authorityKeyIdentifier
  '2.5.29.15', // keyUsage
  '2.5.29.17', // subjectAltName
  '2.5.29.18', // issuerAltName
  '2.5.29.19', // basicConstraints
  '2.5.29.30', // nameConstraints
  '2.5.29.32', // certificatePolicies
  '2.5.29.31', // cRLDistributionPoints
  '2.5.29.37', // extKeyUsage
  '1.3.6.1.5.5.7.1.1', // authorityInfoAccess
]);

const sameDer = (a: ArrayBuffer, b: ArrayBuffer): boolean => Buffer.from(a).equals(Buffer.from(b));

function nameEqual(a: x509.Name, b: x509.Name): boolean {
  return (
    sameDer(a.toArrayBuffer(), b.toArrayBuffer()) || a.toString().toLowerCase() === b.toString().toLowerCase()
  );
}

function isSelfIssued(c: x509.X509Certificate): boolean {
  return nameEqual(c.subjectName, c.issuerName);
}

function keyIdMatches(child: x509.X509Certificate, parent: x509.X509Certificate): boolean {
  const aki = child.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId;
  const ski = parent.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
  return aki === undefined || ski === undefined || aki.toLowerCase() === ski.toLowerCase();
}

const label = (c: x509.X509Certificate): string => `"${c.subject}"`;

/**
 * Builds every certification path from the leaf to a trust anchor (depth-first over candidate issuers whose
 * subject equals the certificate's issuer and whose key identifier agrees) and validates each per RFC 5280 §6:
 * signatures, validity at `validationTime`, basicConstraints cA and pathLenConstraint, keyCertSign, EKUs,
 * name constraints (DNS, IP, directory name, email), unknown critical extensions, CRLs. Returns the first valid
 * path; when none is valid, the failure of the first complete path (or why no path exists).
 *
 * @param input - leaf, intermediates, anchors and checks
 * @returns `{ ok: true, path }` or `{ ok: false, code, reason }`; never throws for bad certificates
 * @example
 * ```ts
 * const r = await validateChain({ leaf: pem, intermediates: [ica], trustAnchors: [root], requiredEkus: ['serverAuth'],
 *   expectedPeerName: { kind: 'DNS', value: 'api.example.com' } });
 * if (!r.ok) console.error(r.code, r.reason);
 * ```
 */
export async function validateChain(input: ValidateChainInput): Promise<ValidateChainResult> {
  let leaf: x509.X509Certificate;
  let pool: x509.X509Certificate[];
  let anchors: x509.X509Certificate[];
  let crls: x509.X509Crl[];
  try {
    leaf = loadCertificate(input.leaf);
    pool = (input.intermediates ?? []).map(loadCertificate);
    anchors = (input.trustAnchors ?? []).map(loadCertificate);
    crls = (input.crls ?? []).map((c) =>
      c instanceof x509.X509Crl ? c : new x509.X509Crl(typeof c === 'string' ? c : new Uint8Array(c)),
    );
  } catch (e) {
    return fail(
      'MSYS_ATTESTATION_CHAIN_MALFORMED',
      isSystemError(e) ? e.message : `unparseable input: ${(e as Error).message}`,
    );
  }
  const maxDepth = input.maxChainDepth ?? 8;
  const time = input.validationTime ?? new Date();
  const isAnchor = (c: x509.X509Certificate): boolean => anchors.some((a) => sameDer(a.rawData, c.rawData));
  const paths: x509.X509Certificate[][] = [];
  let tooDeep = false;
  const walk = (path: x509.X509Certificate[]): void => {
    if (paths.length >= 64) return; // bound the search on adversarial pools
    const last = path[path.length - 1] as x509.X509Certificate;
    if (isAnchor(last)) {
      paths.push(path);
      return;
    }
    if (path.length >= maxDepth) {
      tooDeep = true;
      return;
    }
    for (const cand of [...anchors, ...pool]) {
      if (path.some((p) => sameDer(p.rawData, cand.rawData))) continue;
      if (!nameEqual(cand.subjectName, last.issuerName) || !keyIdMatches(last, cand)) continue;
      walk([...path, cand]);
    }
  };
  walk([leaf]);
  if (paths.length === 0) {
    return tooDeep
      ? fail('MSYS_ATTESTATION_CHAIN_TOO_DEEP', `no path to a trust anchor within ${maxDepth} certificates`)
      : fail(
          'MSYS_ATTESTATION_CHAIN_NO_PATH',
          `no issuer found for ${label(leaf)} (issuer "${leaf.issuer}") leading to a trust anchor`,
        );
  }
  let first: Failure | undefined;
  for (const path of paths) {
    const r = await validatePath(path, input, time, crls);
    if (r === undefined) return { ok: true, path };
    first ??= r;
  }
  return first as Failure;
}

async function validatePath(
  path: readonly x509.X509Certificate[],
  input: ValidateChainInput,
  time: Date,
  crls: readonly x509.X509Crl[],
): Promise<Failure | undefined> {
  const n = path.length;
  for (let i = 0; i < n; i++) {
    const c = path[i] as x509.X509Certificate;
    if (time < c.notBefore)
      return fail(
        'MSYS_ATTESTATION_CHAIN_NOT_YET_VALID',
        `${label(c)} is not valid before ${c.notBefore.toISOString()}`,
      );
    if (time > c.notAfter)
      return fail('MSYS_ATTESTATION_CHAIN_EXPIRED', `${label(c)} expired at ${c.notAfter.toISOString()}`);
    for (const ext of c.extensions) {
      if (ext.critical && !KNOWN.has(ext.type)) {
        return fail(
          'MSYS_ATTESTATION_CHAIN_CRITICAL_EXTENSION',
          `${label(c)} has an unknown critical extension ${ext.type}`,
        );
      }
    }
    if (i === 0) continue;
    const child = path[i - 1] as x509.X509Certificate;
    let sigOk = false;
    try {
      sigOk = await child.verify({ publicKey: c.publicKey, signatureOnly: true }, crypto);
    } catch {
      sigOk = false;
    }
    if (!sigOk)
      return fail(
        'MSYS_ATTESTATION_CHAIN_SIGNATURE',
        `the signature of ${label(child)} does not verify with ${label(c)}'s key`,
      );
    const bc = c.getExtension(x509.BasicConstraintsExtension);
    if (bc === null || !bc.ca)
      return fail('MSYS_ATTESTATION_CHAIN_NOT_CA', `${label(c)} issues certificates but is not a CA`);
    if (bc.pathLength !== undefined) {
      let below = 0;
      for (let k = 1; k < i; k++) if (!isSelfIssued(path[k] as x509.X509Certificate)) below++;
      if (below > bc.pathLength) {
        return fail(
          'MSYS_ATTESTATION_CHAIN_PATH_LENGTH',
          `${label(c)} allows ${bc.pathLength} intermediate(s) below it, the path has ${below}`,
        );
      }
    }
    const ku = c.getExtension(x509.KeyUsagesExtension);
    if (ku !== null && (ku.usages & x509.KeyUsageFlags.keyCertSign) === 0) {
      return fail('MSYS_ATTESTATION_CHAIN_KEY_USAGE', `${label(c)} lacks keyCertSign`);
    }
    const nc = nameConstraintsFailure(c, path.slice(0, i));
    if (nc !== undefined) return nc;
  }
  const eku = ekuFailure(path, input.requiredEkus);
  if (eku !== undefined) return eku;
  if (input.expectedPeerName !== undefined) {
    const p = peerNameFailure(path[0] as x509.X509Certificate, input.expectedPeerName);
    if (p !== undefined) return p;
  }
  return crlFailure(path, crls, time);
}

function ekuFailure(
  path: readonly x509.X509Certificate[],
  required: readonly string[] | undefined,
): Failure | undefined {
  if (required === undefined || required.length === 0) return undefined;
  const oids = required.map(ekuOid);
  // The leaf, and like OpenSSL every CA below the anchor that restricts its EKUs, must allow each required EKU.
  for (let i = 0; i < path.length - 1; i++) {
    const c = path[i] as x509.X509Certificate;
    const ext = c.getExtension(x509.ExtendedKeyUsageExtension);
    if (ext === null) continue;
    const have = ext.usages.map(String);
    if (have.includes(ekuOid('anyExtendedKeyUsage'))) continue;
    const missing = oids.filter((o) => !have.includes(o));
    if (missing.length > 0)
      return fail('MSYS_ATTESTATION_CHAIN_EKU', `${label(c)} does not allow ${missing.join(', ')}`);
  }
  return undefined;
}

function sanOf(c: x509.X509Certificate): { dns: string[]; ip: string[]; email: string[] } {
  const out = { dns: [] as string[], ip: [] as string[], email: [] as string[] };
  const san = c.getExtension(x509.SubjectAlternativeNameExtension);
  for (const gn of san?.names.items ?? []) {
    if (gn.type === 'dns') out.dns.push(gn.value);
    else if (gn.type === 'ip') out.ip.push(gn.value);
    else if (gn.type === 'email') out.email.push(gn.value);
  }
  return out;
}

function commonNames(c: x509.X509Certificate): string[] {
  return c.subjectName.getField('CN');
}

function peerNameFailure(
  leaf: x509.X509Certificate,
  peer: { kind: 'DNS' | 'IP' | 'RFC822'; value: string },
): Failure | undefined {
  const san = sanOf(leaf);
  let ok = false;
  if (peer.kind === 'DNS') {
    // RFC 6125 §6.4.4: the CN is consulted only when the certificate has no DNS subjectAltName (as OpenSSL does).
    const presented = san.dns.length > 0 ? san.dns : commonNames(leaf);
    ok = presented.some((d) => dnsMatches(d, peer.value));
  } else if (peer.kind === 'IP') {
    const want = ipToBytes(peer.value, false);
    ok =
      want !== undefined &&
      san.ip.some((v) => Buffer.from(ipToBytes(v, false) ?? []).equals(Buffer.from(want)));
  } else {
    const addr = peer.value.toLowerCase();
    const presented = san.email.length > 0 ? san.email : leaf.subjectName.getField('E');
    ok = presented.some((e) => e.toLowerCase() === addr);
  }
  return ok
    ? undefined
    : fail('MSYS_ATTESTATION_CHAIN_PEER_NAME', `${label(leaf)} does not name ${peer.kind} ${peer.value}`);
}

function nameConstraintsFailure(
  ca: x509.X509Certificate,
  below: readonly x509.X509Certificate[],
): Failure | undefined {
  const ext = ca.extensions.find((e) => e.type === '2.5.29.30');
  if (ext === undefined) return undefined;
  let nc: NameConstraints;
  try {
    nc = AsnConvert.parse(ext.value, NameConstraints);
  } catch {
    return fail('MSYS_ATTESTATION_CHAIN_MALFORMED', `${label(ca)} has unparseable name constraints`);
  }
  const permitted = nc.permittedSubtrees ?? [];
  const excluded = nc.excludedSubtrees ?? [];
  for (let k = 0; k < below.length; k++) {
    const c = below[k] as x509.X509Certificate;
    // RFC 5280 §6.1.3 (b): self-issued intermediates are exempt; the leaf never is.
    if (k > 0 && isSelfIssued(c)) continue;
    const san = sanOf(c);
    const dn = c.subjectName.toJSON();
    const dnsNames = [...san.dns];
    // OpenSSL also constrains a host-like CN when there is no DNS SAN.
    if (san.dns.length === 0)
      for (const cn of commonNames(c)) if (/^[a-z0-9*-]+(\.[a-z0-9-]+)+$/i.test(cn)) dnsNames.push(cn);
    const checks: Array<{ kind: 'dns' | 'ip' | 'email' | 'dn'; value: string }> = [
      ...dnsNames.map((value) => ({ kind: 'dns' as const, value })),
      ...san.ip.map((value) => ({ kind: 'ip' as const, value })),
      ...san.email.map((value) => ({ kind: 'email' as const, value })),
      ...(dn.length > 0 ? [{ kind: 'dn' as const, value: c.subject }] : []),
    ];
    for (const name of checks) {
      const inTree = (base: (typeof permitted)[number]['base']): boolean | undefined => {
        if (name.kind === 'dns' && base.dNSName !== undefined) return dnsInSubtree(name.value, base.dNSName);
        if (name.kind === 'email' && base.rfc822Name !== undefined)
          return emailInSubtree(name.value, base.rfc822Name);
        if (name.kind === 'ip' && base.iPAddress !== undefined) {
          const ip = ipToBytes(name.value, false);
          const sub = ipToBytes(base.iPAddress, true);
          return ip !== undefined && sub !== undefined && ipInSubtree(ip, sub);
        }
        if (name.kind === 'dn' && base.directoryName !== undefined) {
          return dnInSubtree(dn, new x509.Name(AsnConvert.serialize(base.directoryName)).toJSON());
        }
        return undefined;
      };
      for (const sub of excluded) {
        if (inTree(sub.base) === true) {
          return fail(
            'MSYS_ATTESTATION_CHAIN_NAME_CONSTRAINTS',
            `${label(c)}: ${name.kind} ${name.value} is excluded by ${label(ca)}`,
          );
        }
      }
      const relevant = permitted.map((s) => inTree(s.base)).filter((v) => v !== undefined);
      if (relevant.length > 0 && !relevant.includes(true)) {
        return fail(
          'MSYS_ATTESTATION_CHAIN_NAME_CONSTRAINTS',
          `${label(c)}: ${name.kind} ${name.value} is outside ${label(ca)}'s permitted subtrees`,
        );
      }
    }
  }
  return undefined;
}

async function crlFailure(
  path: readonly x509.X509Certificate[],
  crls: readonly x509.X509Crl[],
  time: Date,
): Promise<Failure | undefined> {
  if (crls.length === 0) return undefined;
  for (let i = 0; i < path.length - 1; i++) {
    const c = path[i] as x509.X509Certificate;
    const issuer = path[i + 1] as x509.X509Certificate;
    for (const crl of crls) {
      if (!nameEqual(crl.issuerName, issuer.subjectName)) continue;
      let sigOk = false;
      try {
        sigOk = await crl.verify({ publicKey: issuer.publicKey }, crypto);
      } catch {
        sigOk = false;
      }
      if (!sigOk)
        return fail('MSYS_ATTESTATION_CHAIN_CRL', `the CRL of ${label(issuer)} has a bad signature`);
      if (crl.thisUpdate > time)
        return fail('MSYS_ATTESTATION_CHAIN_CRL', `the CRL of ${label(issuer)} is not yet valid`);
      if (crl.nextUpdate !== undefined && crl.nextUpdate < time) {
        return fail('MSYS_ATTESTATION_CHAIN_CRL', `the CRL of ${label(issuer)} has expired`);
      }
      if (crl.findRevoked(c) !== null)
        return fail('MSYS_ATTESTATION_CHAIN_REVOKED', `${label(c)} is revoked by ${label(issuer)}`);
    }
  }
  return undefined;
}
