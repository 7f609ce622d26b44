import { type KeyObject, randomBytes, type webcrypto } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  Name as AsnName,
  GeneralName,
  GeneralSubtree,
  GeneralSubtrees,
  id_ce_nameConstraints,
  NameConstraints,
} from '@peculiar/asn1-x509';
import { errors } from '../errors.js';
import {
  type CertificateInput,
  crypto,
  ekuOid,
  loadCertificate,
  type SigningKeyInput,
  spkiOf,
  toSigningKey,
  x509,
} from './certificate.js';
import { ipToBytes } from './names.js';

/** Key usage names (RFC 5280 §4.2.1.3). */
export type KeyUsageName =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';

/** Names for a subject alternative name or a name-constraints subtree. */
export interface GeneralNamesSpec {
  /** DNS names (constraints: a domain, matching it and its subdomains). */
  readonly dns?: readonly string[];
  /** IP addresses (constraints: CIDR, e.g. `10.0.0.0/8`). */
  readonly ip?: readonly string[];
  /** Email addresses (constraints: a mailbox, a host, or `.domain`). */
  readonly email?: readonly string[];
  /** Distinguished names, e.g. `O=Example, C=DE` (constraints only). */
  readonly directoryName?: readonly string[];
}

/** Options of {@link issueCertificate}. */
export interface IssueCertificateOptions {
  /** Subject distinguished name, e.g. `CN=ak.example, O=Example`. */
  readonly subject: string;
  /** The subject's public key (node KeyObject or WebCrypto key). */
  readonly publicKey: KeyObject | webcrypto.CryptoKey;
  /** The issuing CA; absent for a self-signed certificate (then `signingKey` is the subject's private key). */
  readonly issuer?: { readonly certificate: CertificateInput; readonly privateKey: SigningKeyInput };
  /** The private key of a self-signed certificate. */
  readonly signingKey?: SigningKeyInput;
  /** Hex serial number; default 16 random bytes. */
  readonly serialNumber?: string;
  /** Default: now. */
  readonly notBefore?: Date;
  /** Default: one year after notBefore. */
  readonly notAfter?: Date;
  /** A CA certificate (basicConstraints cA, critical). */
  readonly ca?: boolean;
  /** basicConstraints pathLenConstraint (CA only). */
  readonly pathLength?: number;
  /** Key usages; default keyCertSign+cRLSign for a CA, digitalSignature otherwise. */
  readonly keyUsage?: readonly KeyUsageName[];
  /** Extended key usages, names (`serverAuth`, `tcgAikCertificate`…) or OIDs. */
  readonly extendedKeyUsage?: readonly string[];
  /** Subject alternative names. */
  readonly subjectAltNames?: GeneralNamesSpec;
  /** Name constraints (critical), CA only. */
  readonly nameConstraints?: { readonly permitted?: GeneralNamesSpec; readonly excluded?: GeneralNamesSpec };
  /** Extra raw extensions (e.g. an unknown critical one, for tests). */
  readonly extensions?: ReadonlyArray<{
    readonly oid: string;
    readonly critical: boolean;
    readonly value: Uint8Array;
  }>;
}

/** An issued certificate in the forms callers need. */
export interface IssuedCertificate {
  /** The parsed certificate. */
  readonly certificate: x509.X509Certificate;
  /** PEM text. */
  readonly pem: string;
  /** DER bytes. */
  readonly der: Uint8Array;
}

function toGeneralNames(spec: GeneralNamesSpec, forConstraints: boolean): GeneralName[] {
  const out: GeneralName[] = [];
  for (const d of spec.dns ?? []) out.push(new GeneralName({ dNSName: d }));
  for (const e of spec.email ?? []) out.push(new GeneralName({ rfc822Name: e }));
  for (const ip of spec.ip ?? []) {
    const bytes = ipToBytes(ip, forConstraints);
    if (bytes === undefined) throw errors.MSYS_ATTESTATION_CERTIFICATE({ reason: `bad IP ${ip}` });
    // The converter turns `addr/prefix` into address ‖ mask octets (RFC 5280 §4.2.1.10).
    out.push(new GeneralName({ iPAddress: bytesToIpText(bytes) }));
  }
  for (const dn of spec.directoryName ?? []) {
    out.push(
      new GeneralName({ directoryName: AsnConvert.parse(new x509.Name(dn).toArrayBuffer(), AsnName) }),
    );
  }
  return out;
}

/** The text form @peculiar/asn1-x509's IP converter turns back into the same octets. */
function bytesToIpText(b: Uint8Array): string {
  if (b.length === 4) return [...b].join('.');
  if (b.length === 8) {
    let prefix = 0;
    for (const x of b.subarray(4)) prefix += x.toString(2).replace(/0/g, '').length;
    return `${[...b.subarray(0, 4)].join('.')}/${prefix}`;
  }
  const hex = (s: Uint8Array): string => {
    const parts: string[] = [];
    for (let i = 0; i < 16; i += 2) parts.push((((s[i] ?? 0) << 8) | (s[i + 1] ?? 0)).toString(16));
    return parts.join(':');
  };
  if (b.length === 16) return hex(b);
  let prefix = 0;
  for (const x of b.subarray(16)) prefix += x.toString(2).replace(/0/g, '').length;
  return `${hex(b.subarray(0, 16))}/${prefix}`;
}

const KU: Record<KeyUsageName, number> = {
  digitalSignature: x509.KeyUsageFlags.digitalSignature,
  nonRepudiation: x509.KeyUsageFlags.nonRepudiation,
  keyEncipherment: x509.KeyUsageFlags.keyEncipherment,
  dataEncipherment: x509.KeyUsageFlags.dataEncipherment,
  keyAgreement: x509.KeyUsageFlags.keyAgreement,
  keyCertSign: x509.KeyUsageFlags.keyCertSign,
  cRLSign: x509.KeyUsageFlags.cRLSign,
  encipherOnly: x509.KeyUsageFlags.encipherOnly,
  decipherOnly: x509.KeyUsageFlags.decipherOnly,
};

/**
 * Issues an X.509 v3 certificate: a self-signed root, an intermediate CA, a leaf, or an AK certificate
 * (subject key = the TPM AK, EKU `tcgAikCertificate`). Subject and authority key identifiers are always set.
 *
 * @param options - subject, keys, validity and extensions
 * @returns the certificate as object, PEM and DER
 * @throws SystemError `MSYS_ATTESTATION_CERTIFICATE` for unusable keys or names
 * @example
 * ```ts
 * const root = await issueCertificate({ subject: 'CN=Root', publicKey: rootPub, signingKey: rootPriv, ca: true });
 * const akCert = await issueCertificate({
 *   subject: 'CN=host-17 AK', publicKey: tpmPublicToKeyObject(ak.public),
 *   issuer: { certificate: root.pem, privateKey: rootPriv }, extendedKeyUsage: ['tcgAikCertificate'],
 * });
 * ```
 */
export async function issueCertificate(options: IssueCertificateOptions): Promise<IssuedCertificate> {
  const issuerCert = options.issuer === undefined ? undefined : loadCertificate(options.issuer.certificate);
  const signer = options.issuer?.privateKey ?? options.signingKey;
  if (signer === undefined) {
    throw errors.MSYS_ATTESTATION_INVALID_ARGUMENT({
      path: 'options.signingKey',
      expected: 'a private key when options.issuer is absent',
      received: 'undefined',
    });
  }
  const { key, algorithm } = await toSigningKey(signer);
  const spki = await spkiOf(options.publicKey);
  const notBefore = options.notBefore ?? new Date();
  const notAfter = options.notAfter ?? new Date(notBefore.getTime() + 365 * 86400_000);
  const ca = options.ca === true;
  const extensions: x509.Extension[] = [];
  if (ca) extensions.push(new x509.BasicConstraintsExtension(true, options.pathLength, true));
  const usages = options.keyUsage ?? (ca ? ['keyCertSign', 'cRLSign'] : ['digitalSignature']);
  extensions.push(
    new x509.KeyUsagesExtension(
      usages.reduce((f, u) => f | KU[u], 0),
      true,
    ),
  );
  if (options.extendedKeyUsage !== undefined) {
    extensions.push(new x509.ExtendedKeyUsageExtension(options.extendedKeyUsage.map(ekuOid), false));
  }
  const san = options.subjectAltNames;
  if (san !== undefined) {
    const names: x509.JsonGeneralName[] = [
      ...(san.dns ?? []).map((value) => ({ type: 'dns' as const, value })),
      ...(san.ip ?? []).map((value) => ({ type: 'ip' as const, value })),
      ...(san.email ?? []).map((value) => ({ type: 'email' as const, value })),
    ];
    extensions.push(new x509.SubjectAlternativeNameExtension(names, false));
  }
  if (options.nameConstraints !== undefined) {
    const nc = new NameConstraints();
    const p = options.nameConstraints.permitted;
    const x = options.nameConstraints.excluded;
    if (p !== undefined)
      nc.permittedSubtrees = new GeneralSubtrees(
        toGeneralNames(p, true).map((base) => new GeneralSubtree({ base })),
      );
    if (x !== undefined)
      nc.excludedSubtrees = new GeneralSubtrees(
        toGeneralNames(x, true).map((base) => new GeneralSubtree({ base })),
      );
    extensions.push(new x509.Extension(id_ce_nameConstraints, true, AsnConvert.serialize(nc)));
  }
  extensions.push(await x509.SubjectKeyIdentifierExtension.create(new x509.PublicKey(spki), false, crypto));
  if (issuerCert !== undefined) {
    extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuerCert.publicKey, false, crypto));
  } else {
    extensions.push(
      await x509.AuthorityKeyIdentifierExtension.create(new x509.PublicKey(spki), false, crypto),
    );
  }
  for (const e of options.extensions ?? []) extensions.push(new x509.Extension(e.oid, e.critical, e.value));
  let certificate: x509.X509Certificate;
  try {
    certificate = await x509.X509CertificateGenerator.create(
      {
        serialNumber: options.serialNumber ?? `01${Buffer.from(randomBytes(15)).toString('hex')}`,
        subject: options.subject,
        issuer: issuerCert?.subjectName ?? options.subject,
        notBefore,
        notAfter,
        publicKey: spki,
        signingKey: key,
        signingAlgorithm: algorithm,
        extensions,
      },
      crypto,
    );
  } catch (e) {
    throw errors.MSYS_ATTESTATION_CERTIFICATE(
      { reason: `cannot issue: ${(e as Error).message}` },
      { cause: e },
    );
  }
  return { certificate, pem: certificate.toString('pem'), der: new Uint8Array(certificate.rawData) };
}
