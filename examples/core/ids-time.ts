/**
 * Time-ordered ids, a nanosecond clock and SemVer checks from @msys/core.
 * Run: pnpm exec tsx --conditions=@msys/source examples/core/ids-time.ts
 */
import { idTimestamp, isUuid, newId, uuidv4 } from '@msys/core/ids';
import { now, parseIsoNs, toIsoNs } from '@msys/core/time';
import { compareVersions, parseVersion, satisfies } from '@msys/core/versions';

// UUID v7: ids sort in creation order, even within one millisecond.
const ids = Array.from({ length: 5 }, () => newId());
console.log('five UUID v7 ids, in creation order:');
for (const id of ids) console.log(`  ${id}  created ${new Date(idTimestamp(id)).toISOString()}`);
console.log(`sorted order equals creation order: ${[...ids].sort().join() === ids.join()}`);
const random = uuidv4();
console.log(
  `a UUID v4 (no timestamp): ${random}, isUuid: ${isUuid(random)}, isUuid('nope'): ${isUuid('nope')}`,
);

// Epoch nanoseconds that never go backwards, and ISO-8601 with nine fractional digits.
const t0 = now();
let spins = 0;
while (now() - t0 < 1_000_000n) spins++;
const t1 = now();
console.log(`now() = ${t0} = ${toIsoNs(t0)}`);
console.log(`after ${spins} calls in a 1 ms spin: ${toIsoNs(t1)} (elapsed ${t1 - t0} ns)`);
const parsed = parseIsoNs('2026-11-25T13:00:00.123456789+01:00');
console.log(`parseIsoNs('2026-11-25T13:00:00.123456789+01:00') = ${parsed} → ${toIsoNs(parsed)}`);
try {
  parseIsoNs('2026-02-30T00:00:00Z');
} catch (e) {
  console.log(`parseIsoNs('2026-02-30T00:00:00Z') → ${(e as { code: string }).code}`);
}

// SemVer 2.0: strict parsing, precedence (§11) and npm ranges.
console.log(`parseVersion('2.1.0-rc.1+build.7') = ${JSON.stringify(parseVersion('2.1.0-rc.1+build.7'))}`);
const releases = ['1.0.0', '1.0.0-rc.1', '1.0.0-beta.11', '1.0.0-beta.2', '1.0.0-alpha'];
console.log(`sorted by precedence: ${releases.sort(compareVersions).join(' < ')}`);
for (const [v, range] of [
  ['1.4.2', '^1.2.0'],
  ['2.0.0', '^1.2.0'],
  ['1.3.0-rc.1', '^1.2.0'],
] as const) {
  console.log(`satisfies('${v}', '${range}') = ${satisfies(v, range)}`);
}
