import { type HashAlgorithmName, hashAlgId, hashInfo } from './constants.js';
import type { TpmReader, TpmWriter } from './marshal.js';

/** One bank of a TPML_PCR_SELECTION (TPMS_PCR_SELECTION, Part 2 §10.6.2). */
export interface PcrSelection {
  /** The bank's TPM_ALG_ID. */
  readonly hashAlg: number;
  /** The bank's name, when the hash is known. */
  readonly hash: HashAlgorithmName | undefined;
  /** The selected PCR indices in ascending order. */
  readonly pcrs: readonly number[];
  /** The size of the bitmap on the wire (3 for 24 PCRs). */
  readonly sizeofSelect: number;
}

/** The TPM's HASH_COUNT bound keeps a hostile count from driving a long loop (Part 2 §10.9.7). */
const MAX_BANKS = 16;

/** @internal */
export function readPcrSelection(r: TpmReader): PcrSelection[] {
  const count = r.u32();
  if (count > MAX_BANKS) throw r.malformed(`TPML_PCR_SELECTION count ${count} exceeds ${MAX_BANKS}`);
  const out: PcrSelection[] = [];
  for (let i = 0; i < count; i++) {
    const hashAlg = r.u16();
    const sizeofSelect = r.u8();
    const bitmap = r.take(sizeofSelect);
    const pcrs: number[] = [];
    for (let byte = 0; byte < bitmap.length; byte++) {
      const b = bitmap[byte] ?? 0;
      for (let bit = 0; bit < 8; bit++) if (b & (1 << bit)) pcrs.push(byte * 8 + bit);
    }
    out.push({ hashAlg, hash: hashInfo(hashAlg)?.name, pcrs, sizeofSelect });
  }
  return out;
}

/** One bank to select when writing a TPML_PCR_SELECTION. */
export interface PcrBankSelection {
  /** The bank, by name or TPM_ALG_ID. */
  readonly hash?: HashAlgorithmName;
  /** The bank's TPM_ALG_ID (wins over `hash`). */
  readonly hashAlg?: number;
  /** The PCR indices to select. */
  readonly pcrs: readonly number[];
  /** Bitmap size on the wire; default max(3, enough for the highest index). */
  readonly sizeofSelect?: number;
}

/** @internal */
export function writePcrSelection(w: TpmWriter, banks: readonly PcrBankSelection[]): void {
  w.u32(banks.length);
  for (const bank of banks) {
    const size = bank.sizeofSelect ?? Math.max(3, Math.ceil((Math.max(-1, ...bank.pcrs) + 1) / 8));
    const bitmap = new Uint8Array(size);
    for (const p of bank.pcrs) bitmap[p >> 3] = (bitmap[p >> 3] ?? 0) | (1 << (p & 7));
    w.u16(bank.hashAlg ?? (bank.hash === undefined ? 0 : hashAlgId(bank.hash)))
      .u8(size)
      .bytes(bitmap);
  }
}
