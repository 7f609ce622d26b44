import type { ByBank } from '../tpm/constants.js';
import type { PcrBanks } from '../tpm/quote.js';

/** The EAR trust tiers (draft-ietf-rats-ear §3.2), worst last. */
export type TrustTier = 'none' | 'affirming' | 'warning' | 'contraindicated';

/** The claims the appraisal rates, after the AR4SI trustworthiness vector (draft-ietf-rats-ar4si §2.3). */
export type ClaimName =
  | 'evidence'
  | 'freshness'
  | 'instance-identity'
  | 'configuration'
  | 'executables'
  | 'hardware';

/** Every claim's rating. */
export type ClaimSet = { readonly [K in ClaimName]: ClaimAppraisal };

/** The rating of one claim. */
export interface ClaimAppraisal {
  /** Its tier. */
  readonly status: TrustTier;
  /** Why, one sentence per finding. */
  readonly reasons: readonly string[];
}

/** Evidence from a TPM: a quote over PCRs, optionally the logs that explain them and the AK's certificate. */
export interface TpmEvidence {
  /** Discriminant. */
  readonly kind: 'tpm';
  /** The nonce from {@link AttestationAuthority.challenge}; the quote's extraData must equal it. */
  readonly nonce: Uint8Array;
  /** The AK's TPMT_PUBLIC or TPM2B_PUBLIC bytes. */
  readonly akPublic: Uint8Array;
  /** TPMS_ATTEST bytes of the quote. */
  readonly quote: Uint8Array;
  /** TPMT_SIGNATURE bytes. */
  readonly signature: Uint8Array;
  /** The PCR values the quote covers. */
  readonly pcrs: PcrBanks;
  /** The TCG PC Client event log (binary). */
  readonly eventLog?: Uint8Array;
  /** The IMA measurement list (ASCII text or binary). */
  readonly imaLog?: string | Uint8Array;
  /** The AK's certificate (PEM or DER). */
  readonly akCertificate?: string | Uint8Array;
  /** Intermediate CA certificates for the AK certificate. */
  readonly akCertificateChain?: ReadonlyArray<string | Uint8Array>;
  /** The device's UEID (RFC 9711 §4.2.1), echoed into the result. */
  readonly ueid?: Uint8Array;
}

/** The claim set a host without a TPM signs (see {@link createSoftwareEvidence}). */
export interface SoftwareClaims {
  /** The challenge nonce, base64url. */
  readonly nonce: string;
  /** The device's UEID, base64url. */
  readonly ueid?: string;
  /** Firmware or platform version, as a decimal or 0x-hex integer string. */
  readonly firmwareVersion?: string;
  /** Measured values per bank and PCR index, hex. */
  readonly pcrs?: ByBank<Readonly<Record<string, string>>>;
  /** Digests of the measured components, hex. */
  readonly events?: readonly string[];
}

/** Evidence from a host without a TPM: an Ed25519-signed claim set. */
export interface SoftwareEvidence {
  /** Discriminant. */
  readonly kind: 'software';
  /** The UTF-8 JSON of a {@link SoftwareClaims}, exactly as signed. */
  readonly claims: Uint8Array;
  /** Ed25519 signature over `claims`. */
  readonly signature: Uint8Array;
  /** The signer's 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;
}

/** What {@link AttestationAuthority.appraise} accepts. */
export type Evidence = TpmEvidence | SoftwareEvidence;

/** Reference values and rules for one class of machines (the "appraisal policy for evidence", RFC 9334 §8.5). */
export interface AppraisalPolicy {
  /** Expected PCR values (bytes or hex) per bank and index; each must be covered by the quote and equal. */
  readonly referencePcrs?: ByBank<Readonly<Record<number, Uint8Array | string>>>;
  /** When set, every measured digest (event log, IMA file digests) must be listed here (hex). */
  readonly allowedEventDigests?: readonly string[];
  /** Digests that must not appear in any log (hex): known-bad bootloaders, revoked binaries. */
  readonly forbiddenEventDigests?: readonly string[];
  /** The lowest acceptable firmware version (TPMS_ATTEST.firmwareVersion, or the software claim). */
  readonly minFirmwareVersion?: bigint;
  /** Issuer distinguished names (RFC 4514 strings) accepted for the AK certificate. */
  readonly allowedAkIssuers?: readonly string[];
  /** Trust anchors (PEM/DER) the AK certificate must chain to. */
  readonly akTrustAnchors?: ReadonlyArray<string | Uint8Array>;
  /** Ed25519 public keys (hex) accepted for software evidence. */
  readonly allowedSoftwareKeys?: readonly string[];
  /** Evidence older than this many ms after its challenge was issued is stale; default: the challenge lifetime. */
  readonly maxAgeMs?: number;
  /** Whether a missing event log is contraindicated (default: the configuration claim is `none` without one). */
  readonly requireEventLog?: boolean;
}

/** An appraisal's outcome: an EAR-style attestation result and its signed token. */
export interface AppraisalResult {
  /** The overall tier: the worst of the claims. */
  readonly status: TrustTier;
  /** The policy applied. */
  readonly policy: string;
  /** Per-claim tiers and reasons. */
  readonly claims: ClaimSet;
  /** The nonce the evidence answered. */
  readonly nonce: Uint8Array;
  /** The device's UEID, when known. */
  readonly ueid?: Uint8Array;
  /** Issue time, seconds since the epoch. */
  readonly issuedAt: number;
  /** Expiry of the token, seconds since the epoch. */
  readonly expiresAt: number;
  /** The signed result (JWT, EdDSA) for relying parties. */
  readonly token: string;
}

/** A verifier's challenge. */
export interface Challenge {
  /** The single-use nonce to pass to TPM2_Quote as qualifying data. */
  readonly nonce: Uint8Array;
  /** When it stops being accepted, ms since the epoch. */
  readonly expiresAt: number;
}

export type { PcrBanks };
