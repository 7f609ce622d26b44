import { TpmRh } from './constants.js';
import type { TpmtPublic } from './public.js';

/** One entry of a command's authorization area (TPMS_AUTH_COMMAND, Part 2 §10.13.2). */
export interface TpmAuthSession {
  /** The session handle: `TpmRh.PW` for a password, or a policy/HMAC session handle. */
  readonly handle: number;
  /** nonceCaller (empty for password sessions). */
  readonly nonce?: Uint8Array;
  /** TPMA_SESSION bits; default continueSession for sessions, 0 for passwords. */
  readonly attributes?: number;
  /** The password (password session) or HMAC (empty for an unbound, unsalted policy session without authValue). */
  readonly hmac?: Uint8Array;
}

/** A password session with the given password (empty by default): Part 1 §19.8.4. */
export function passwordSession(password: Uint8Array = new Uint8Array()): TpmAuthSession {
  return { handle: TpmRh.PW, hmac: password };
}

/** Result of creating or loading a key. */
export interface TpmKey {
  /** The transient handle. */
  readonly handle: number;
  /** Its public area. */
  readonly public: TpmtPublic;
  /** Its Name (nameAlg ‖ digest of the public area). */
  readonly name: Uint8Array;
}

/** Result of TPM2_Create: a key blob to load under the same parent. */
export interface TpmCreated {
  /** TPM2B_PRIVATE contents (encrypted under the parent). */
  readonly private: Uint8Array;
  /** TPM2B_PUBLIC contents (TPMT_PUBLIC bytes). */
  readonly public: Uint8Array;
}

/** A signed attestation (TPM2_Quote or TPM2_Certify). */
export interface TpmSignedAttestation {
  /** TPMS_ATTEST bytes, exactly as signed. */
  readonly attest: Uint8Array;
  /** TPMT_SIGNATURE bytes. */
  readonly signature: Uint8Array;
}
