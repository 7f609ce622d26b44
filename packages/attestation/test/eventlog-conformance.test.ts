import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEventLog, replayEventLog } from '../src/index.js';
import { vectorsAvailable, vectorsDir } from './support/vectors.js';

const SUB = 'tpm2-tools-eventlogs';
const available = vectorsAvailable(SUB);
const fixtures = path.join(vectorsDir, SUB, 'test/integration/fixtures');

/** Reads only the `pcrs:` block of a tpm2_eventlog YAML: `  <bank>:` then `    <index> : 0x<hex>` lines. */
function expectedPcrs(yaml: string): Record<string, Record<number, string>> | undefined {
  const lines = yaml.split('\n');
  const start = lines.indexOf('pcrs:');
  if (start < 0) return undefined;
  const out: Record<string, Record<number, string>> = {};
  let bank: Record<number, string> | undefined;
  for (const line of lines.slice(start + 1)) {
    const b = /^ {2}(\w+):\s*$/.exec(line);
    const v = /^ {4}(\d+)\s*:\s*0x([0-9a-fA-F]+)\s*$/.exec(line);
    if (b?.[1] !== undefined) out[b[1]] = bank = {};
    else if (v?.[1] !== undefined && v[2] !== undefined && bank !== undefined)
      bank[Number(v[1])] = v[2].toLowerCase();
    else if (line.trim() !== '' && !line.startsWith(' ')) break;
  }
  return out;
}

function cases(): Array<{ name: string; bin: string; yaml: string }> {
  if (!available) return [];
  const out: Array<{ name: string; bin: string; yaml: string }> = [];
  for (const f of readdirSync(fixtures)) {
    if (!f.endsWith('.bin') || !f.startsWith('event')) continue;
    const candidates = [path.join(fixtures, 'event-raw', `${f}.yaml`), path.join(fixtures, `${f}.yaml`)];
    for (const y of candidates) {
      try {
        out.push({ name: f, bin: path.join(fixtures, f), yaml: readFileSync(y, 'utf8') });
        break;
      } catch {
        /* try the next location */
      }
    }
  }
  return out;
}

const hex = (b: Uint8Array | undefined): string | undefined =>
  b === undefined ? undefined : Buffer.from(b).toString('hex');

describe.skipIf(!available)('tpm2-tools event log conformance', () => {
  const all = cases();

  it('finds every event log fixture with a YAML', () => {
    expect(all.length).toBeGreaterThanOrEqual(10);
  });

  for (const c of all) {
    it(`${c.name} parses and replays to the PCRs its YAML expects`, () => {
      const log = parseEventLog(readFileSync(c.bin));
      const want = expectedPcrs(c.yaml);
      expect(want).toBeDefined();
      const got = replayEventLog(log);
      let compared = 0;
      for (const [bank, values] of Object.entries(want ?? {})) {
        for (const [index, value] of Object.entries(values)) {
          expect(
            hex((got as Record<string, Record<number, Uint8Array>>)[bank]?.[Number(index)]),
            `${bank}[${index}]`,
          ).toBe(value);
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(0);
    });
  }

  it('parses the Spec ID vendor data fixture', () => {
    const log = parseEventLog(readFileSync(path.join(fixtures, 'specid-vendordata.bin')));
    expect(log.format).toBe('crypto-agile');
    expect(hex(log.specId?.vendorInfo)).toBe('deadbeef');
    expect(log.specId?.algorithms.map((a) => a.algorithmId)).toEqual([4, 11]);
  });
});
