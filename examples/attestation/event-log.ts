/**
 * Parses and replays a TCG PC Client crypto-agile event log (here assembled in memory: a Spec ID event and two
 * measurements), and an IMA ima-ng measurement list, into the PCR values a quote would show.
 *
 * Run: pnpm exec tsx --conditions=@msys/source examples/attestation/event-log.ts
 */
import { createHash } from 'node:crypto';
import {
  createImaEntry,
  parseEventLog,
  parseImaLog,
  replayEventLog,
  replayImaLog,
  TcgEventType,
} from '@msys/attestation';

const le32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const le16 = (n: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
};

// Spec ID Event03 declaring one bank (SHA-256), in the legacy SHA-1 event format (PFP spec §10.4.5.1).
const specId = Buffer.concat([
  Buffer.from('Spec ID Event03\0'),
  le32(0),
  Buffer.from([0, 2, 0, 2]),
  le32(1),
  le16(0x000b),
  le16(32),
  Buffer.from([0]),
]);
const header = Buffer.concat([
  le32(0),
  le32(TcgEventType.EV_NO_ACTION),
  Buffer.alloc(20),
  le32(specId.length),
  specId,
]);
const event2 = (pcr: number, type: number, data: Buffer): Buffer =>
  Buffer.concat([
    le32(pcr),
    le32(type),
    le32(1),
    le16(0x000b),
    createHash('sha256').update(data).digest(),
    le32(data.length),
    data,
  ]);
const log = Buffer.concat([
  header,
  event2(4, TcgEventType.EV_EFI_BOOT_SERVICES_APPLICATION, Buffer.from('shimx64.efi')),
  event2(4, TcgEventType.EV_SEPARATOR, Buffer.alloc(4)),
  Buffer.alloc(64, 0xff), // the unused tail of the firmware's log area
]);

const parsed = parseEventLog(log);
console.log(
  `${parsed.format} log, ${parsed.events.length} events, warnings:`,
  parsed.warnings.map((w) => w.kind),
);
const pcrs = replayEventLog(parsed);
console.log('PCR 4 (sha256):', Buffer.from(pcrs.sha256?.[4] ?? []).toString('hex'));

const entries = ['/usr/lib/systemd/systemd', '/usr/bin/bash'].map((p) =>
  createImaEntry(p, new Uint8Array(createHash('sha256').update(p).digest())),
);
const ascii = entries
  .map(
    (e) =>
      `10 ${Buffer.from(e.templateHash).toString('hex')} ima-ng sha256:${Buffer.from(e.fileDigest).toString('hex')} ${e.path}`,
  )
  .join('\n');
const ima = replayImaLog(parseImaLog(ascii));
console.log('IMA PCR 10 (sha1):', Buffer.from(ima.sha1?.[10] ?? []).toString('hex'));
console.log('IMA PCR 10 (sha256):', Buffer.from(ima.sha256?.[10] ?? []).toString('hex'));
