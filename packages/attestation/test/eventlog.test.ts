import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isSystemError } from '@msys/core/errors';
import { describe, expect, it } from 'vitest';
import {
  createImaEntry,
  encodeImaBinaryLog,
  parseEventLog,
  parseImaLog,
  replayEventLog,
  replayImaLog,
  TcgEventType,
  verifyEventDigests,
} from '../src/index.js';
import { vectorsAvailable, vectorsDir } from './support/vectors.js';

const available = vectorsAvailable('tpm2-tools-eventlogs');
const fixture = (f: string): Buffer =>
  readFileSync(path.join(vectorsDir, 'tpm2-tools-eventlogs/test/integration/fixtures', f));
const hex = (b: Uint8Array | undefined): string => Buffer.from(b ?? []).toString('hex');

describe.skipIf(!available)('PC Client event log quirks', () => {
  it('reports zero/0xff padding after the last event and still replays the same PCRs', () => {
    const bin = fixture('event-sd-boot-fedora37.bin');
    const clean = parseEventLog(bin);
    for (const fill of [0x00, 0xff]) {
      const padded = parseEventLog(Buffer.concat([bin, Buffer.alloc(4096, fill)]));
      expect(padded.trailing).toEqual({ offset: bin.length, length: 4096 });
      expect(padded.warnings.some((w) => w.kind === 'trailing-bytes')).toBe(true);
      expect(padded.events.length).toBe(clean.events.length);
      expect(hex(replayEventLog(padded).sha256?.[4])).toBe(hex(replayEventLog(clean).sha256?.[4]));
    }
  });

  it('reports garbage and a cut-off last event as trailing bytes', () => {
    const bin = fixture('event-bootorder.bin');
    const clean = parseEventLog(bin);
    const garbage = parseEventLog(Buffer.concat([bin, Buffer.from('not an event, just noise')]));
    expect(garbage.trailing?.offset).toBe(bin.length);
    const lastOffset = clean.events.at(-1)?.offset ?? 0;
    const cut = parseEventLog(bin.subarray(0, lastOffset + 10));
    expect(cut.events.length).toBe(clean.events.length - 1);
    expect(cut.trailing).toEqual({ offset: lastOffset, length: 10 });
  });

  it('changes the replay when one digest is tampered with', () => {
    const bin = Buffer.from(fixture('event-uefivar.bin'));
    const before = replayEventLog(parseEventLog(bin));
    const log = parseEventLog(bin);
    const ev = log.events.find((e) => e.eventType !== TcgEventType.EV_NO_ACTION);
    expect(ev).toBeDefined();
    bin.writeUInt8((bin[(ev?.offset ?? 0) + 14] ?? 0) ^ 1, (ev?.offset ?? 0) + 14); // inside the first digest of TCG_PCR_EVENT2 (after pcr, type, count, alg)
    const after = replayEventLog(parseEventLog(bin));
    expect(hex(after.sha1?.[ev?.pcrIndex ?? 0])).not.toBe(hex(before.sha1?.[ev?.pcrIndex ?? 0]));
  });

  it('finds event data that does not hash to its recorded digest', () => {
    for (const f of [
      'event-arch-linux.bin',
      'event-bootorder.bin',
      'event-gce-ubuntu-2104-log.bin',
      'event-postcode.bin',
    ]) {
      expect(verifyEventDigests(parseEventLog(fixture(f)))).toEqual([]);
    }
    const bin = Buffer.from(fixture('event-uefiaction.bin'));
    const last = parseEventLog(bin).events.at(-1);
    expect(last?.eventType).toBe(TcgEventType.EV_EFI_ACTION);
    bin.writeUInt8((bin[bin.length - 1] ?? 0) ^ 0x20, bin.length - 1); // the last byte of its data
    const mismatches = verifyEventDigests(parseEventLog(bin));
    expect(mismatches.map((m) => m.event)).toContain(last?.index);
    expect(mismatches[0]?.eventType).toBe('EV_EFI_ACTION');
  });

  it('recognises the legacy SHA-1 format and the StartupLocality event', () => {
    expect(parseEventLog(fixture('event-uefi-sha1-log.bin')).format).toBe('sha1');
    const log = parseEventLog(fixture('event-gce-ubuntu-2104-log.bin'));
    expect(log.format).toBe('crypto-agile');
    expect(log.specId?.algorithms.length).toBe(3);
  });

  it('rejects a log whose header is truncated with a typed error', () => {
    const bin = fixture('event.bin');
    for (const n of [0, 1, 10, 31]) {
      try {
        parseEventLog(bin.subarray(0, n));
        expect.unreachable();
      } catch (e) {
        expect(isSystemError(e) && e.code).toBe('MSYS_ATTESTATION_TRUNCATED');
      }
    }
  });
});

describe('IMA measurement lists', () => {
  const files = [
    ['/usr/bin/bash', createHash('sha256').update('bash').digest()],
    ['/usr/lib/libc.so.6', createHash('sha256').update('libc').digest()],
    ['/etc/with space.conf', createHash('sha256').update('conf').digest()],
  ] as const;
  const entries = files.map(([p, d]) => createImaEntry(p, new Uint8Array(d)));
  const ascii = entries
    .map((e) => `10 ${hex(e.templateHash)} ima-ng sha256:${hex(e.fileDigest)} ${e.path}`)
    .join('\n');

  /** An independent model of Linux's ima-ng template hash and PCR 10 extension. */
  function expectedPcr10(bank: 'sha1' | 'sha256'): string {
    let pcr = Buffer.alloc(bank === 'sha1' ? 20 : 32);
    for (const [p, d] of files) {
      const dng = Buffer.concat([Buffer.from('sha256:\0'), d]);
      const ng = Buffer.from(`${p}\0`);
      const len = (b: Buffer): Buffer => {
        const l = Buffer.alloc(4);
        l.writeUInt32LE(b.length);
        return l;
      };
      const data = Buffer.concat([len(dng), dng, len(ng), ng]);
      pcr = createHash(bank).update(pcr).update(createHash(bank).update(data).digest()).digest();
    }
    return pcr.toString('hex');
  }

  it('replays ASCII and binary ima-ng lists into PCR 10 for SHA-1 and SHA-256', () => {
    const a = parseImaLog(ascii);
    const b = parseImaLog(encodeImaBinaryLog(entries));
    expect(a.entries.map((e) => e.path)).toEqual(files.map(([p]) => p));
    expect(b.entries.map((e) => e.path)).toEqual(files.map(([p]) => p));
    expect(a.warnings).toEqual([]);
    for (const log of [a, b]) {
      const pcrs = replayImaLog(log);
      expect(hex(pcrs.sha1?.[10])).toBe(expectedPcr10('sha1'));
      expect(hex(pcrs.sha256?.[10])).toBe(expectedPcr10('sha256'));
    }
  });

  it('flags an entry whose path was edited and no longer replays to the same PCR', () => {
    const tampered = ascii.replace('/usr/bin/bash', '/usr/bin/evil');
    const log = parseImaLog(tampered);
    expect(log.warnings.map((w) => w.entry)).toEqual([0]);
    expect(hex(replayImaLog(log).sha1?.[10])).not.toBe(expectedPcr10('sha1'));
  });

  it('parses ima-sig entries with and without a signature, ASCII and binary alike', () => {
    const sig = new Uint8Array([0x03, 0x02, 0x04, 0xaa, 0xbb]);
    const es = [
      createImaEntry('/usr/bin/signed', new Uint8Array(32).fill(1), { template: 'ima-sig', signature: sig }),
      createImaEntry('/usr/bin/unsigned', new Uint8Array(32).fill(2), { template: 'ima-sig' }),
    ];
    const text = es
      .map(
        (e) =>
          `10 ${hex(e.templateHash)} ima-sig sha256:${hex(e.fileDigest)} ${e.path}${e.signature ? ` ${hex(e.signature)}` : ''}`,
      )
      .join('\n');
    const a = parseImaLog(text);
    const b = parseImaLog(encodeImaBinaryLog(es));
    expect(a.warnings).toEqual([]);
    expect(hex(a.entries[0]?.signature)).toBe(hex(sig));
    expect(b.entries[1]?.signature).toBeUndefined();
    expect(hex(replayImaLog(a).sha256?.[10])).toBe(hex(replayImaLog(b).sha256?.[10]));
  });

  it('extends all-ones for a violation entry', () => {
    const line = `10 ${'0'.repeat(40)} ima-ng sha256:${'00'.repeat(32)} /tmp/x`;
    const log = parseImaLog(line);
    expect(log.entries[0]?.violation).toBe(true);
    const want = createHash('sha1').update(Buffer.alloc(20)).update(Buffer.alloc(20, 0xff)).digest('hex');
    expect(hex(replayImaLog(log, ['sha1']).sha1?.[10])).toBe(want);
  });

  it('rejects malformed lines and truncated binary lists with typed errors', () => {
    const codes: string[] = [];
    for (const bad of ['10 zz ima-ng sha256:00 /x', '10', 'x y z w v']) {
      try {
        parseImaLog(bad);
      } catch (e) {
        if (isSystemError(e)) codes.push(e.code);
      }
    }
    expect(codes).toEqual([
      'MSYS_ATTESTATION_MALFORMED',
      'MSYS_ATTESTATION_MALFORMED',
      'MSYS_ATTESTATION_MALFORMED',
    ]);
    const bin = encodeImaBinaryLog(entries);
    try {
      parseImaLog(bin.subarray(0, bin.length - 3));
      expect.unreachable();
    } catch (e) {
      expect(isSystemError(e) && e.code).toBe('MSYS_ATTESTATION_TRUNCATED');
    }
  });
});
