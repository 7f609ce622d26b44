/**
 * TPM 2.0 constants used by this package (TCG TPM 2.0 Library, Part 2: Structures, §6).
 *
 * @module
 */

/** TPM_ALG_ID values (Part 2 §6.3) and the TCG Algorithm Registry. */
export const TpmAlg = {
  /** RSA. */
  RSA: 0x0001,
  /** SHA-1. */
  SHA1: 0x0004,
  /** HMAC. */
  HMAC: 0x0005,
  /** AES. */
  AES: 0x0006,
  /** Keyed hash object. */
  KEYEDHASH: 0x0008,
  /** XOR obfuscation. */
  XOR: 0x000a,
  /** SHA-256. */
  SHA256: 0x000b,
  /** SHA-384. */
  SHA384: 0x000c,
  /** SHA-512. */
  SHA512: 0x000d,
  /** The null algorithm. */
  NULL: 0x0010,
  /** SM3-256. */
  SM3_256: 0x0012,
  /** SM4. */
  SM4: 0x0013,
  /** RSASSA-PKCS1-v1_5. */
  RSASSA: 0x0014,
  /** RSAES-PKCS1-v1_5. */
  RSAES: 0x0015,
  /** RSASSA-PSS. */
  RSAPSS: 0x0016,
  /** RSAES-OAEP. */
  OAEP: 0x0017,
  /** ECDSA. */
  ECDSA: 0x0018,
  /** ECDH. */
  ECDH: 0x0019,
  /** ECDAA. */
  ECDAA: 0x001a,
  /** SM2. */
  SM2: 0x001b,
  /** EC-Schnorr. */
  ECSCHNORR: 0x001c,
  /** ECMQV. */
  ECMQV: 0x001d,
  /** KDF1 (SP 800-56A). */
  KDF1_SP800_56A: 0x0020,
  /** KDF2. */
  KDF2: 0x0021,
  /** KDF1 (SP 800-108). */
  KDF1_SP800_108: 0x0022,
  /** Elliptic curve key. */
  ECC: 0x0023,
  /** Symmetric cipher object. */
  SYMCIPHER: 0x0025,
  /** Camellia. */
  CAMELLIA: 0x0026,
  /** SHA3-256. */
  SHA3_256: 0x0027,
  /** SHA3-384. */
  SHA3_384: 0x0028,
  /** SHA3-512. */
  SHA3_512: 0x0029,
  /** Counter mode. */
  CTR: 0x0040,
  /** Output feedback mode. */
  OFB: 0x0041,
  /** Cipher block chaining mode. */
  CBC: 0x0042,
  /** Cipher feedback mode. */
  CFB: 0x0043,
  /** Electronic codebook mode. */
  ECB: 0x0044,
} as const;

/** TPM_ECC_CURVE values (Part 2 §6.4). */
export const TpmEccCurve = {
  /** NIST P-192. */
  NIST_P192: 0x0001,
  /** NIST P-224. */
  NIST_P224: 0x0002,
  /** NIST P-256. */
  NIST_P256: 0x0003,
  /** NIST P-384. */
  NIST_P384: 0x0004,
  /** NIST P-521. */
  NIST_P521: 0x0005,
} as const;

/** TPM_ST structure tags (Part 2 §6.9). */
export const TpmSt = {
  /** A command/response without sessions. */
  NO_SESSIONS: 0x8001,
  /** A command/response with an authorization area. */
  SESSIONS: 0x8002,
  /** TPMS_ATTEST of TPM2_NV_Certify. */
  ATTEST_NV: 0x8014,
  /** TPMS_ATTEST of a command audit. */
  ATTEST_COMMAND_AUDIT: 0x8015,
  /** TPMS_ATTEST of a session audit. */
  ATTEST_SESSION_AUDIT: 0x8016,
  /** TPMS_ATTEST of TPM2_Certify. */
  ATTEST_CERTIFY: 0x8017,
  /** TPMS_ATTEST of TPM2_Quote. */
  ATTEST_QUOTE: 0x8018,
  /** TPMS_ATTEST of TPM2_GetTime. */
  ATTEST_TIME: 0x8019,
  /** TPMS_ATTEST of TPM2_CertifyCreation. */
  ATTEST_CREATION: 0x801a,
  /** Creation ticket. */
  CREATION: 0x8021,
  /** Verified ticket. */
  VERIFIED: 0x8022,
  /** Auth-secret ticket. */
  AUTH_SECRET: 0x8023,
  /** Hash-check ticket. */
  HASHCHECK: 0x8024,
  /** Auth-signed ticket. */
  AUTH_SIGNED: 0x8025,
} as const;

/** TPM_GENERATED_VALUE: the magic that starts every TPMS_ATTEST the TPM signs (Part 2 §6.2). */
export const TPM_GENERATED_VALUE = 0xff544347;

/** TPMA_OBJECT bits (Part 2 §8.3). */
export const TpmaObject = {
  /** The object cannot be duplicated. */
  fixedTPM: 1 << 1,
  /** Kept with the state of the hierarchy at clear. */
  stClear: 1 << 2,
  /** The parent cannot change. */
  fixedParent: 1 << 4,
  /** The TPM generated the sensitive data. */
  sensitiveDataOrigin: 1 << 5,
  /** USER role authorization may use the authValue. */
  userWithAuth: 1 << 6,
  /** ADMIN role authorization must use a policy. */
  adminWithPolicy: 1 << 7,
  /** Dictionary-attack protections do not apply. */
  noDA: 1 << 10,
  /** Encrypted duplication only. */
  encryptedDuplication: 1 << 11,
  /** The key signs or decrypts only TPM-formatted data. */
  restricted: 1 << 16,
  /** A decryption key. */
  decrypt: 1 << 17,
  /** A signing key. */
  sign: 1 << 18,
} as const;

/** Permanent and reserved handles (Part 2 §7). */
export const TpmRh = {
  /** The owner (storage) hierarchy. */
  OWNER: 0x40000001,
  /** The null hierarchy. */
  NULL: 0x40000007,
  /** A password authorization session. */
  PW: 0x40000009,
  /** The lockout authority. */
  LOCKOUT: 0x4000000a,
  /** The endorsement hierarchy. */
  ENDORSEMENT: 0x4000000b,
  /** The platform hierarchy. */
  PLATFORM: 0x4000000c,
} as const;

/** Command codes used here (Part 2 §6.5). */
export const TpmCc = {
  /** TPM2_CreatePrimary. */
  CreatePrimary: 0x131,
  /** TPM2_Startup. */
  Startup: 0x144,
  /** TPM2_ActivateCredential. */
  ActivateCredential: 0x147,
  /** TPM2_Certify. */
  Certify: 0x148,
  /** TPM2_PolicySecret. */
  PolicySecret: 0x151,
  /** TPM2_Create. */
  Create: 0x153,
  /** TPM2_Load. */
  Load: 0x157,
  /** TPM2_Quote. */
  Quote: 0x158,
  /** TPM2_FlushContext. */
  FlushContext: 0x165,
  /** TPM2_ReadPublic. */
  ReadPublic: 0x173,
  /** TPM2_StartAuthSession. */
  StartAuthSession: 0x176,
  /** TPM2_GetRandom. */
  GetRandom: 0x17b,
  /** TPM2_PCR_Read. */
  PCR_Read: 0x17e,
  /** TPM2_PCR_Extend. */
  PCR_Extend: 0x182,
  /** TPM2_PolicyGetDigest. */
  PolicyGetDigest: 0x189,
} as const;

/** A hash bank name as used in PCR maps and event-log replays. */
export type HashAlgorithmName = 'sha1' | 'sha256' | 'sha384' | 'sha512' | 'sm3_256';

/** One optional value per hash bank, e.g. the digests of an event or reference PCR values. */
export type ByBank<T> = { readonly [K in HashAlgorithmName]?: T };

const HASHES: ReadonlyArray<readonly [number, HashAlgorithmName, number]> = [
  [TpmAlg.SHA1, 'sha1', 20],
  [TpmAlg.SHA256, 'sha256', 32],
  [TpmAlg.SHA384, 'sha384', 48],
  [TpmAlg.SHA512, 'sha512', 64],
  [TpmAlg.SM3_256, 'sm3_256', 32],
];

/** @internal */
export function hashInfo(
  alg: number,
): { readonly name: HashAlgorithmName; readonly size: number } | undefined {
  for (const [id, name, size] of HASHES) if (id === alg) return { name, size };
  return undefined;
}

/** @internal */
export function hashAlgId(name: HashAlgorithmName): number {
  for (const [id, n] of HASHES) if (n === name) return id;
  return TpmAlg.NULL;
}

/** A readable name for a TPM_ALG_ID, for error messages. @internal */
export function algName(alg: number): string {
  for (const [k, v] of Object.entries(TpmAlg)) if (v === alg) return `TPM_ALG_${k}`;
  return `TPM_ALG(0x${alg.toString(16).padStart(4, '0')})`;
}
