import { createHash } from 'node:crypto';
import { errors } from '../errors.js';
import type { HashAlgorithmName } from '../tpm/constants.js';
import { TcgEventType } from './event-types.js';
import type { EventLog } from './pcclient.js';

/** Replayed PCR values by bank, e.g. `{ sha256: { 0: <32 bytes> } }`. */
export interface ReplayedPcrs {
  /** The SHA-1 bank. */
  sha1?: Record<number, Uint8Array>;
  /** The SHA-256 bank. */
  sha256?: Record<number, Uint8Array>;
  /** The SHA-384 bank. */
  sha384?: Record<number, Uint8Array>;
  /** The SHA-512 bank. */
  sha512?: Record<number, Uint8Array>;
}

type ReplayBank = 'sha1' | 'sha256' | 'sha384' | 'sha512';
const SIZES: Record<ReplayBank, number> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };

/** @internal */
export function extend(bank: ReplayBank, pcr: Uint8Array, digest: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(bank).update(pcr).update(digest).digest());
}

/**
 * Replays a parsed event log: every event except EV_NO_ACTION is extended into its PCR,
 * PCR_new = H(PCR_old ‖ digest), per bank, from all-zero PCRs — or, for PCR 0, from the StartupLocality value
 * (PFP spec §10.4.5.3: a TPM2_Startup from locality 3 or 4 leaves 3 or 4 in the last byte).
 *
 * @param log - the result of {@link parseEventLog}
 * @returns the final value of every PCR touched, per bank the log records
 * @throws SystemError `MSYS_ATTESTATION_INVALID_ARGUMENT` when `log` is not a parsed log
 */
export function replayEventLog(log: EventLog): ReplayedPcrs {
  if (log === null || typeof log !== 'object' || !Array.isArray(log.events)) {
    throw errors.MSYS_ATTESTATION_INVALID_ARGUMENT({
      path: 'log',
      expected: 'a parsed EventLog',
      received: typeof log,
    });
  }
  const out: ReplayedPcrs = {};
  const banks = new Set<ReplayBank>();
  if (log.format === 'sha1') banks.add('sha1');
  for (const a of log.specId?.algorithms ?? []) {
    const name = ({ 4: 'sha1', 11: 'sha256', 12: 'sha384', 13: 'sha512' } as Record<number, ReplayBank>)[
      a.algorithmId
    ];
    if (name !== undefined) banks.add(name);
  }
  for (const bank of banks) out[bank] = {};
  const initial = (bank: ReplayBank, pcr: number): Uint8Array => {
    const v = new Uint8Array(SIZES[bank]);
    if (pcr === 0 && log.startupLocality !== undefined) v[v.length - 1] = log.startupLocality;
    return v;
  };
  for (const ev of log.events) {
    if (ev.eventType === TcgEventType.EV_NO_ACTION) continue;
    for (const bank of banks) {
      const digest = ev.digests[bank as HashAlgorithmName];
      if (digest === undefined) continue;
      const values = out[bank] as Record<number, Uint8Array>;
      values[ev.pcrIndex] = extend(bank, values[ev.pcrIndex] ?? initial(bank, ev.pcrIndex), digest);
    }
  }
  return out;
}
