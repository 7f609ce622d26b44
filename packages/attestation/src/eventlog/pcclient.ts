import { errors } from '../errors.js';
import { algName, type ByBank, type HashAlgorithmName, hashInfo } from '../tpm/constants.js';
import { TpmReader } from '../tpm/marshal.js';
import { eventTypeName, TcgEventType } from './event-types.js';

/** One digest size entry of the Spec ID event. */
export interface SpecIdAlgorithm {
  /** TPM_ALG_ID. */
  readonly algorithmId: number;
  /** Digest size in bytes. */
  readonly digestSize: number;
}

/** TCG_EfiSpecIDEvent: the first event of a crypto-agile log (PFP spec §10.4.5.1). */
export interface SpecIdEvent {
  /** "Spec ID Event03" for TPM 2.0 crypto-agile logs. */
  readonly signature: string;
  /** Platform class (0 client, 1 server). */
  readonly platformClass: number;
  /** Spec version, minor. */
  readonly specVersionMinor: number;
  /** Spec version, major. */
  readonly specVersionMajor: number;
  /** Spec errata. */
  readonly specErrata: number;
  /** UINTN size in 4-byte units (1 = 32-bit, 2 = 64-bit firmware). */
  readonly uintnSize: number;
  /** The banks the log records and their digest sizes. */
  readonly algorithms: readonly SpecIdAlgorithm[];
  /** Vendor-specific bytes. */
  readonly vendorInfo: Uint8Array;
}

/** One event of the log. */
export interface TcgEvent {
  /** Position in the log, from 0 (the header event included). */
  readonly index: number;
  /** Byte offset of the event in the log. */
  readonly offset: number;
  /** The PCR the event was extended into. */
  readonly pcrIndex: number;
  /** The event type value. */
  readonly eventType: number;
  /** Its name, e.g. `EV_SEPARATOR`. */
  readonly eventTypeName: string;
  /** The digests, by bank. */
  readonly digests: ByBank<Uint8Array>;
  /** The event data. */
  readonly data: Uint8Array;
}

/** A tolerated irregularity found while parsing. */
export interface EventLogWarning {
  /** Stable kind. */
  readonly kind: 'trailing-bytes' | 'digest-count' | 'unknown-bank' | 'spec-id-size' | 'startup-locality';
  /** The event concerned, when there is one. */
  readonly event?: number;
  /** Explanation. */
  readonly message: string;
}

/** A parsed TCG PC Client event log. */
export interface EventLog {
  /** `sha1` for a legacy TCG_PCClientPCREvent-only log, `crypto-agile` for TCG_PCR_EVENT2 after a Spec ID. */
  readonly format: 'sha1' | 'crypto-agile';
  /** The Spec ID event of a crypto-agile log. */
  readonly specId?: SpecIdEvent;
  /** Every event, the header included. */
  readonly events: readonly TcgEvent[];
  /** The locality the TPM was started from, when the log records a StartupLocality event (PCR 0's initial value). */
  readonly startupLocality?: number;
  /** Bytes after the last well-formed event (firmware often pads the log area with 0x00 or 0xff). */
  readonly trailing?: { readonly offset: number; readonly length: number };
  /** Irregularities tolerated. */
  readonly warnings: readonly EventLogWarning[];
}

/** An event larger than this is not a real measurement: firmware logs are a few hundred KiB at most. */
const MAX_EVENT_SIZE = 16 * 1024 * 1024;
const SPEC_ID_03 = 'Spec ID Event03';
const STARTUP_LOCALITY = 'StartupLocality\0';

function ascii(bytes: Uint8Array, n: number): string {
  return Buffer.from(bytes.subarray(0, n)).toString('latin1');
}

/** Parses the Spec ID from `data` (the event data and whatever follows it); returns its true length too. */
function parseSpecId(data: Uint8Array): { specId: SpecIdEvent; length: number } | undefined {
  if (data.length < 16 || ascii(data, 15) !== SPEC_ID_03) return undefined;
  const r = new TpmReader(data, 'TCG_EfiSpecIDEvent', 16);
  const platformClass = r.u32(true);
  const specVersionMinor = r.u8();
  const specVersionMajor = r.u8();
  const specErrata = r.u8();
  const uintnSize = r.u8();
  const count = r.u32(true);
  if (count > 16) throw r.malformed(`numberOfAlgorithms ${count} exceeds 16`);
  const algorithms: SpecIdAlgorithm[] = [];
  for (let i = 0; i < count; i++) algorithms.push({ algorithmId: r.u16(true), digestSize: r.u16(true) });
  const vendorInfo = r.take(r.u8());
  return {
    specId: {
      signature: SPEC_ID_03,
      platformClass,
      specVersionMinor,
      specVersionMajor,
      specErrata,
      uintnSize,
      algorithms,
      vendorInfo,
    },
    length: r.offset,
  };
}

function isPadding(bytes: Uint8Array, from: number): boolean {
  const first = bytes[from];
  if (first !== 0 && first !== 0xff) return false;
  for (let i = from; i < bytes.length; i++) if (bytes[i] !== first) return false;
  return true;
}

/**
 * Parses a TCG PC Client event log (the UEFI `/sys/kernel/security/tpm0/binary_bios_measurements`): a legacy
 * SHA-1 log, or a crypto-agile log whose first event is the SHA-1-format Spec ID event followed by
 * TCG_PCR_EVENT2 records with one digest per bank (PFP spec §10.2). Firmware quirks are tolerated and reported
 * in `warnings`: padding or garbage after the last event (the log area is fixed-size), a digest count that
 * differs from the Spec ID's bank count, StartupLocality events.
 *
 * @param bytes - the binary log
 * @returns the parsed log
 * @throws SystemError `MSYS_ATTESTATION_TRUNCATED` / `MSYS_ATTESTATION_MALFORMED` when even the header is unusable
 * @example
 * ```ts
 * const log = parseEventLog(readFileSync('/sys/kernel/security/tpm0/binary_bios_measurements'));
 * const pcrs = replayEventLog(log); // { sha1: {...}, sha256: {...} }
 * ```
 */
export function parseEventLog(bytes: Uint8Array): EventLog {
  if (!(bytes instanceof Uint8Array)) {
    throw errors.MSYS_ATTESTATION_INVALID_ARGUMENT({
      path: 'bytes',
      expected: 'a Uint8Array',
      received: typeof bytes,
    });
  }
  const r = new TpmReader(bytes, 'TCG event log');
  const events: TcgEvent[] = [];
  const warnings: EventLogWarning[] = [];
  // The first event is always in the SHA-1 TCG_PCClientPCREvent format (PFP spec §10.2.1).
  const first = readLegacyEvent(r, 0);
  events.push(first);
  let specId: SpecIdEvent | undefined;
  if (first.eventType === TcgEventType.EV_NO_ACTION) {
    const dataStart = first.offset + 32;
    const parsed = parseSpecId(bytes.subarray(dataStart));
    specId = parsed?.specId;
    // Quirk: some firmware counts the Spec ID's size without its vendorInfo, which then follows the event.
    if (parsed !== undefined && parsed.length > first.data.length) {
      warnings.push({
        kind: 'spec-id-size',
        event: 0,
        message: `the Spec ID event declares ${first.data.length} byte(s) but its vendorInfo ends at ${parsed.length}`,
      });
      r.offset = dataStart + parsed.length;
    }
  }
  let startupLocality: number | undefined;
  let trailing: EventLog['trailing'];
  const sizes = new Map<number, number>();
  for (const a of specId?.algorithms ?? []) sizes.set(a.algorithmId, a.digestSize);
  while (r.remaining > 0) {
    const start = r.offset;
    if (isPadding(bytes, start)) {
      trailing = { offset: start, length: r.remaining };
      warnings.push({
        kind: 'trailing-bytes',
        message: `${r.remaining} padding byte(s) after the last event`,
      });
      break;
    }
    let ev: TcgEvent;
    try {
      ev =
        specId === undefined
          ? readLegacyEvent(r, events.length)
          : readEvent2(r, events.length, sizes, warnings);
    } catch (e) {
      r.offset = start;
      trailing = { offset: start, length: bytes.length - start };
      warnings.push({
        kind: 'trailing-bytes',
        event: events.length,
        message: `${bytes.length - start} unparseable byte(s) at offset ${start}: ${e instanceof Error ? e.message : String(e)}`,
      });
      break;
    }
    if (
      ev.eventType === TcgEventType.EV_NO_ACTION &&
      ev.data.length >= 17 &&
      ascii(ev.data, 16) === STARTUP_LOCALITY
    ) {
      startupLocality = ev.data[16];
      warnings.push({
        kind: 'startup-locality',
        event: ev.index,
        message: `TPM2_Startup from locality ${startupLocality}: PCR 0 starts at ${startupLocality}`,
      });
    }
    events.push(ev);
  }
  return {
    format: specId === undefined ? 'sha1' : 'crypto-agile',
    ...(specId === undefined ? {} : { specId }),
    events,
    ...(startupLocality === undefined ? {} : { startupLocality }),
    ...(trailing === undefined ? {} : { trailing }),
    warnings,
  };
}

function readLegacyEvent(r: TpmReader, index: number): TcgEvent {
  const offset = r.offset;
  const pcrIndex = r.u32(true);
  const eventType = r.u32(true);
  const sha1 = r.take(20);
  const size = r.u32(true);
  if (size > MAX_EVENT_SIZE) throw r.malformed(`event size ${size} exceeds ${MAX_EVENT_SIZE}`);
  const data = r.take(size);
  return {
    index,
    offset,
    pcrIndex,
    eventType,
    eventTypeName: eventTypeName(eventType),
    digests: { sha1 },
    data,
  };
}

function readEvent2(
  r: TpmReader,
  index: number,
  sizes: Map<number, number>,
  warnings: EventLogWarning[],
): TcgEvent {
  const offset = r.offset;
  const pcrIndex = r.u32(true);
  const eventType = r.u32(true);
  // A PCR index past the PC Client's 24 PCRs (or the 0xffffffff terminator some firmware writes) is not an event.
  if (pcrIndex > 31) throw r.malformed(`PCR index ${pcrIndex} is out of range`);
  const count = r.u32(true);
  if (count > 16) throw r.malformed(`digest count ${count} exceeds 16`);
  if (count !== sizes.size) {
    warnings.push({
      kind: 'digest-count',
      event: index,
      message: `event ${index} carries ${count} digest(s), the Spec ID declares ${sizes.size}`,
    });
  }
  const digests: { [K in HashAlgorithmName]?: Uint8Array } = {};
  for (let i = 0; i < count; i++) {
    const alg = r.u16(true);
    const size = sizes.get(alg) ?? hashInfo(alg)?.size;
    if (size === undefined) throw r.malformed(`digest of unknown bank ${algName(alg)}`);
    const d = r.take(size);
    const name = hashInfo(alg)?.name;
    if (name === undefined) {
      warnings.push({
        kind: 'unknown-bank',
        event: index,
        message: `event ${index}: skipped ${algName(alg)} digest`,
      });
    } else digests[name] = d;
  }
  const size = r.u32(true);
  if (size > MAX_EVENT_SIZE) throw r.malformed(`event size ${size} exceeds ${MAX_EVENT_SIZE}`);
  const data = r.take(size);
  return { index, offset, pcrIndex, eventType, eventTypeName: eventTypeName(eventType), digests, data };
}
