import { createHash } from 'node:crypto';
import type { HashAlgorithmName } from '../tpm/constants.js';
import { TcgEventType } from './event-types.js';
import type { EventLog } from './pcclient.js';

/** An event whose recorded digest is not the hash of its data. */
export interface EventDigestMismatch {
  /** The event's index in the log. */
  readonly event: number;
  /** Its type name. */
  readonly eventType: string;
  /** The bank whose digest differs. */
  readonly bank: HashAlgorithmName;
}

/**
 * Event types whose digest the PC Client PFP spec (§10.4.1) defines as the hash of the event data itself, so a
 * verifier can check that the data it reads is what was measured. Other types (images, firmware blobs, most
 * EV_IPL uses) hash something the log does not contain.
 */
const DATA_DIGEST_TYPES: ReadonlySet<number> = new Set([
  TcgEventType.EV_SEPARATOR,
  TcgEventType.EV_ACTION,
  TcgEventType.EV_EFI_ACTION,
  TcgEventType.EV_S_CRTM_VERSION,
  TcgEventType.EV_EFI_VARIABLE_DRIVER_CONFIG,
  TcgEventType.EV_EFI_GPT_EVENT,
]);

const VARIABLE_BOOT: ReadonlySet<number> = new Set([
  TcgEventType.EV_EFI_VARIABLE_BOOT,
  TcgEventType.EV_EFI_VARIABLE_BOOT2,
]);

/** VariableData of a UEFI_VARIABLE_DATA: GUID(16) ‖ u64 name length ‖ u64 data length ‖ UTF-16 name ‖ data. */
function variableData(data: Uint8Array): Uint8Array | undefined {
  if (data.length < 32) return undefined;
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const nameLen = Number(v.getBigUint64(16, true));
  const dataLen = Number(v.getBigUint64(24, true));
  const start = 32 + nameLen * 2;
  if (!Number.isSafeInteger(start + dataLen) || start + dataLen > data.length) return undefined;
  return data.subarray(start, start + dataLen);
}

/**
 * Checks the events whose digest must be the hash of their data (separators, actions, S-CRTM version, Secure Boot
 * variables, the GPT, boot variables). EV_EFI_VARIABLE_BOOT accepts either the hash of the whole
 * UEFI_VARIABLE_DATA or of its VariableData alone: firmware is split on this (a known quirk). A mismatch means
 * the data shown is not what was measured.
 *
 * @param log - a parsed log
 * @returns the mismatching events and banks (empty when all agree)
 */
export function verifyEventDigests(log: EventLog): EventDigestMismatch[] {
  const out: EventDigestMismatch[] = [];
  for (const ev of log.events) {
    const boot = VARIABLE_BOOT.has(ev.eventType);
    if (!DATA_DIGEST_TYPES.has(ev.eventType) && !boot) continue;
    const inner = boot ? variableData(ev.data) : undefined;
    for (const [bank, digest] of Object.entries(ev.digests) as [HashAlgorithmName, Uint8Array][]) {
      if (bank === 'sm3_256') continue;
      const h = (b: Uint8Array): boolean => createHash(bank).update(b).digest().equals(digest);
      if (!h(ev.data) && !(inner !== undefined && h(inner)))
        out.push({ event: ev.index, eventType: ev.eventTypeName, bank });
    }
  }
  return out;
}
