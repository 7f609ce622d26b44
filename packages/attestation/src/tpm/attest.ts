import { errors } from '../errors.js';
import { TpmSt } from './constants.js';
import { TpmReader, TpmWriter } from './marshal.js';
import { type PcrSelection, readPcrSelection, writePcrSelection } from './pcr-selection.js';

/** TPMS_CLOCK_INFO (Part 2 §10.11.1). */
export interface TpmsClockInfo {
  /** Milliseconds the TPM has been powered since its last clear. */
  readonly clock: bigint;
  /** TPM resets since the last clear. */
  readonly resetCount: number;
  /** TPM restarts (hibernate/resume) since the last reset. */
  readonly restartCount: number;
  /** Whether the clock cannot have been rolled back. */
  readonly safe: boolean;
}

/** The type-specific body of a TPMS_ATTEST (TPMU_ATTEST, Part 2 §10.12.11). */
export type TpmuAttest =
  | {
      /** TPMS_QUOTE_INFO. */
      readonly kind: 'quote';
      /** The PCRs the quote covers. */
      readonly pcrSelect: readonly PcrSelection[];
      /** Hash of the concatenated selected PCR values. */
      readonly pcrDigest: Uint8Array;
    }
  | {
      /** TPMS_CERTIFY_INFO. */
      readonly kind: 'certify';
      /** Name of the certified object. */
      readonly name: Uint8Array;
      /** Qualified name of the certified object. */
      readonly qualifiedName: Uint8Array;
    }
  | {
      /** TPMS_CREATION_INFO. */
      readonly kind: 'creation';
      /** Name of the object. */
      readonly objectName: Uint8Array;
      /** Hash of its creation data. */
      readonly creationHash: Uint8Array;
    }
  | {
      /** Any other attestation kind, kept as raw bytes. */
      readonly kind: 'other';
      /** The undecoded TPMU_ATTEST bytes. */
      readonly raw: Uint8Array;
    };

/** A parsed TPMS_ATTEST (Part 2 §10.12.12). */
export interface TpmsAttest {
  /** Must equal TPM_GENERATED_VALUE (0xff544347). */
  readonly magic: number;
  /** TPMI_ST_ATTEST: which command produced it. */
  readonly type: number;
  /** Qualified name of the signing key. */
  readonly qualifiedSigner: Uint8Array;
  /** The caller's qualifying data (the verifier's nonce). */
  readonly extraData: Uint8Array;
  /** The TPM clock when signed. */
  readonly clockInfo: TpmsClockInfo;
  /** Vendor-specific firmware version. */
  readonly firmwareVersion: bigint;
  /** The type-specific body. */
  readonly attested: TpmuAttest;
}

/** @internal */
export function readTpmsAttest(r: TpmReader): TpmsAttest {
  const magic = r.u32();
  const type = r.u16();
  const qualifiedSigner = r.tpm2b(2 + 64);
  const extraData = r.tpm2b(64);
  const clockInfo: TpmsClockInfo = {
    clock: r.u64(),
    resetCount: r.u32(),
    restartCount: r.u32(),
    safe: r.u8() !== 0,
  };
  const firmwareVersion = r.u64();
  let attested: TpmuAttest;
  if (type === TpmSt.ATTEST_QUOTE) {
    attested = { kind: 'quote', pcrSelect: readPcrSelection(r), pcrDigest: r.tpm2b(64) };
  } else if (type === TpmSt.ATTEST_CERTIFY) {
    attested = { kind: 'certify', name: r.tpm2b(2 + 64), qualifiedName: r.tpm2b(2 + 64) };
  } else if (type === TpmSt.ATTEST_CREATION) {
    attested = { kind: 'creation', objectName: r.tpm2b(2 + 64), creationHash: r.tpm2b(64) };
  } else {
    attested = { kind: 'other', raw: r.take(r.remaining) };
  }
  return { magic, type, qualifiedSigner, extraData, clockInfo, firmwareVersion, attested };
}

/**
 * Parses a TPMS_ATTEST (the signed body of a quote or certification), or a TPM2B_ATTEST.
 * It does not check the magic or the type: {@link verifyQuote} does, and reports them as failures.
 *
 * @param bytes - TPMS_ATTEST bytes (or TPM2B_ATTEST: a UINT16 size equal to the remaining length)
 * @returns the parsed structure
 * @throws SystemError `MSYS_ATTESTATION_TRUNCATED` or `MSYS_ATTESTATION_MALFORMED` for bad input
 */
export function parseTpmsAttest(bytes: Uint8Array): TpmsAttest {
  if (!(bytes instanceof Uint8Array)) {
    throw errors.MSYS_ATTESTATION_INVALID_ARGUMENT({
      path: 'bytes',
      expected: 'a Uint8Array',
      received: typeof bytes,
    });
  }
  const r = new TpmReader(attestBody(bytes), 'TPMS_ATTEST');
  const attest = readTpmsAttest(r);
  r.end();
  return attest;
}

/**
 * The TPMS_ATTEST inside `bytes`: TPMS_ATTEST starts with the 0xff54 magic, so a leading UINT16 equal to the
 * remaining length (and not 0xff..) marks a TPM2B_ATTEST wrapper.
 *
 * @internal
 */
export function attestBody(bytes: Uint8Array): Uint8Array {
  if (
    bytes.length >= 2 &&
    bytes[0] !== 0xff &&
    ((bytes[0] ?? 0) << 8) + (bytes[1] ?? 0) === bytes.length - 2
  ) {
    return bytes.subarray(2);
  }
  return bytes;
}

/**
 * Serializes a TPMS_ATTEST (the inverse of {@link parseTpmsAttest}); used by simulators, tests and
 * software attesters that speak the TPM's formats.
 *
 * @param a - the structure; `attested.kind: 'other'` writes its raw bytes
 * @returns TPMS_ATTEST bytes
 */
export function encodeTpmsAttest(a: TpmsAttest): Uint8Array {
  const w = new TpmWriter();
  w.u32(a.magic).u16(a.type).tpm2b(a.qualifiedSigner).tpm2b(a.extraData);
  w.u64(a.clockInfo.clock)
    .u32(a.clockInfo.resetCount)
    .u32(a.clockInfo.restartCount)
    .u8(a.clockInfo.safe ? 1 : 0);
  w.u64(a.firmwareVersion);
  const b = a.attested;
  if (b.kind === 'quote') {
    writePcrSelection(
      w,
      b.pcrSelect.map((s) => ({ hashAlg: s.hashAlg, pcrs: s.pcrs, sizeofSelect: s.sizeofSelect })),
    );
    w.tpm2b(b.pcrDigest);
  } else if (b.kind === 'certify') w.tpm2b(b.name).tpm2b(b.qualifiedName);
  else if (b.kind === 'creation') w.tpm2b(b.objectName).tpm2b(b.creationHash);
  else w.bytes(b.raw);
  return w.finish();
}
