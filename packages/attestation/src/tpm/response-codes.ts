/**
 * TPM_RC decoding (TPM 2.0 Part 2 §6.6). Format-one codes (bit 7 set) carry the number of the handle,
 * session or parameter at fault; format-zero codes are plain errors (VER1, 0x100) or warnings (0x900).
 *
 * @module
 */

const FMT0: Record<number, string> = {
  0: 'TPM_RC_SUCCESS',
  30: 'TPM_RC_BAD_TAG',
  256: 'TPM_RC_INITIALIZE',
  257: 'TPM_RC_FAILURE',
  259: 'TPM_RC_SEQUENCE',
  267: 'TPM_RC_PRIVATE',
  281: 'TPM_RC_HMAC',
  288: 'TPM_RC_DISABLED',
  289: 'TPM_RC_EXCLUSIVE',
  292: 'TPM_RC_AUTH_TYPE',
  293: 'TPM_RC_AUTH_MISSING',
  294: 'TPM_RC_POLICY',
  295: 'TPM_RC_PCR',
  296: 'TPM_RC_PCR_CHANGED',
  301: 'TPM_RC_UPGRADE',
  302: 'TPM_RC_TOO_MANY_CONTEXTS',
  303: 'TPM_RC_AUTH_UNAVAILABLE',
  304: 'TPM_RC_REBOOT',
  305: 'TPM_RC_UNBALANCED',
  322: 'TPM_RC_COMMAND_SIZE',
  323: 'TPM_RC_COMMAND_CODE',
  324: 'TPM_RC_AUTHSIZE',
  325: 'TPM_RC_AUTH_CONTEXT',
  326: 'TPM_RC_NV_RANGE',
  327: 'TPM_RC_NV_SIZE',
  328: 'TPM_RC_NV_LOCKED',
  329: 'TPM_RC_NV_AUTHORIZATION',
  330: 'TPM_RC_NV_UNINITIALIZED',
  331: 'TPM_RC_NV_SPACE',
  332: 'TPM_RC_NV_DEFINED',
  336: 'TPM_RC_BAD_CONTEXT',
  337: 'TPM_RC_CPHASH',
  338: 'TPM_RC_PARENT',
  339: 'TPM_RC_NEEDS_TEST',
  340: 'TPM_RC_NO_RESULT',
  341: 'TPM_RC_SENSITIVE',
  2305: 'TPM_RC_CONTEXT_GAP',
  2306: 'TPM_RC_OBJECT_MEMORY',
  2307: 'TPM_RC_SESSION_MEMORY',
  2308: 'TPM_RC_MEMORY',
  2309: 'TPM_RC_SESSION_HANDLES',
  2310: 'TPM_RC_OBJECT_HANDLES',
  2311: 'TPM_RC_LOCALITY',
  2312: 'TPM_RC_YIELDED',
  2313: 'TPM_RC_CANCELED',
  2314: 'TPM_RC_TESTING',
  2337: 'TPM_RC_LOCKOUT',
  2338: 'TPM_RC_RETRY',
  2339: 'TPM_RC_NV_UNAVAILABLE',
};

const FMT1: Record<number, string> = {
  1: 'TPM_RC_ASYMMETRIC',
  2: 'TPM_RC_ATTRIBUTES',
  3: 'TPM_RC_HASH',
  4: 'TPM_RC_VALUE',
  5: 'TPM_RC_HIERARCHY',
  7: 'TPM_RC_KEY_SIZE',
  8: 'TPM_RC_MGF',
  9: 'TPM_RC_MODE',
  10: 'TPM_RC_TYPE',
  11: 'TPM_RC_HANDLE',
  12: 'TPM_RC_KDF',
  13: 'TPM_RC_RANGE',
  14: 'TPM_RC_AUTH_FAIL',
  15: 'TPM_RC_NONCE',
  16: 'TPM_RC_PP',
  18: 'TPM_RC_SCHEME',
  21: 'TPM_RC_SIZE',
  22: 'TPM_RC_SYMMETRIC',
  23: 'TPM_RC_TAG',
  24: 'TPM_RC_SELECTOR',
  26: 'TPM_RC_INSUFFICIENT',
  27: 'TPM_RC_SIGNATURE',
  28: 'TPM_RC_KEY',
  29: 'TPM_RC_POLICY_FAIL',
  31: 'TPM_RC_INTEGRITY',
  32: 'TPM_RC_TICKET',
  33: 'TPM_RC_RESERVED_BITS',
  34: 'TPM_RC_BAD_AUTH',
  35: 'TPM_RC_EXPIRED',
  36: 'TPM_RC_POLICY_CC',
  37: 'TPM_RC_BINDING',
  38: 'TPM_RC_CURVE',
  39: 'TPM_RC_ECC_POINT',
};

/** A decoded TPM response code. */
export interface TpmResponseCode {
  /** The raw TPM_RC. */
  readonly rc: number;
  /** The symbolic name, e.g. `TPM_RC_POLICY_FAIL`. */
  readonly name: string;
  /** Where the error applies, e.g. `parameter 2`, `session 1`, `handle 1`, or `` for none. */
  readonly location: string;
}

/**
 * Decodes a TPM_RC into its name and the position it refers to.
 *
 * @param rc - the response code from a TPM response header
 * @returns the name and location
 */
export function decodeResponseCode(rc: number): TpmResponseCode {
  if (rc & 0x80) {
    const name = FMT1[rc & 0x3f] ?? `TPM_RC(0x${(rc & 0xbf).toString(16)})`;
    const n = (rc >> 8) & 0xf;
    let location = '';
    if (rc & 0x40) location = `parameter ${n}`;
    else if (n & 0x8) location = `session ${n & 0x7}`;
    else if (n !== 0) location = `handle ${n}`;
    return { rc, name, location };
  }
  return { rc, name: FMT0[rc & 0xfff] ?? `TPM_RC(0x${rc.toString(16)})`, location: '' };
}
