/**
 * Time as epoch nanoseconds (`bigint`): a clock that never goes backwards within a process, and
 * ISO-8601 text with nine fractional digits.
 *
 * @module
 */
import { defineErrors, invalidArgument } from '../errors/index.js';

const timeErrors = defineErrors({
  MSYS_TIME_INVALID_ISO: {
    category: 'validation',
    message: (d: { input: string; reason: string }) =>
      `expected an RFC 3339 timestamp such as 2026-11-25T12:00:00.123456789Z, received ${JSON.stringify(d.input)}: ${d.reason}`,
  },
  MSYS_TIME_OUT_OF_RANGE: {
    category: 'validation',
    message: (d: { ns: string }) => `ns must be an instant in the years 0000-9999 UTC, received ${d.ns}`,
  },
});

const NS_PER_MS = 1_000_000n;
const NS_PER_S = 1_000_000_000n;
/** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z in epoch seconds: the span of four-digit years. */
const MIN_S = -62_167_219_200n;
const END_S = 253_402_300_800n;

let anchor: { readonly wallNs: bigint; readonly monoNs: bigint } | undefined;
let last = 0n;

/**
 * The current time as epoch nanoseconds. The wall clock is read once (on the first call) and the
 * process's monotonic clock (`process.hrtime.bigint()`) measures from there, so successive values
 * strictly increase even when the system clock is stepped back (NTP, daylight saving mistakes, VM
 * migration). The price: over a long-lived process the value drifts from wall time by whatever the
 * system clock was corrected by since the first call.
 *
 * @returns epoch nanoseconds, strictly greater than any value returned before in this process
 * @example
 * ```ts
 * const started = now();
 * await work();
 * const elapsedMs = Number(now() - started) / 1e6;
 * ```
 */
export function now(): bigint {
  const mono = process.hrtime.bigint();
  anchor ??= { wallNs: BigInt(Date.now()) * NS_PER_MS, monoNs: mono };
  let t = anchor.wallNs + (mono - anchor.monoNs);
  if (t <= last) t = last + 1n;
  last = t;
  return t;
}

/**
 * Formats epoch nanoseconds as an RFC 3339 / ISO-8601 UTC timestamp with exactly nine fractional digits.
 *
 * @param ns - epoch nanoseconds (negative values are before 1970)
 * @returns e.g. `2026-11-25T12:00:00.123456789Z`
 * @throws SystemError `MSYS_TIME_INVALID_ARGUMENT` when `ns` is not a bigint;
 *   `MSYS_TIME_OUT_OF_RANGE` outside the years 0000–9999
 * @example
 * ```ts
 * toIsoNs(1_795_608_000_123_456_789n); // '2026-11-25T12:00:00.123456789Z'
 * ```
 */
export function toIsoNs(ns: bigint): string {
  if (typeof ns !== 'bigint') throw invalidArgument('MSYS_TIME_INVALID_ARGUMENT', 'ns', 'a bigint', ns);
  // Floor division keeps the fraction in [0, 1e9) for instants before the epoch too.
  let seconds = ns / NS_PER_S;
  let fraction = ns % NS_PER_S;
  if (fraction < 0n) {
    fraction += NS_PER_S;
    seconds -= 1n;
  }
  if (seconds < MIN_S || seconds >= END_S) throw timeErrors.MSYS_TIME_OUT_OF_RANGE({ ns: ns.toString() });
  const whole = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return `${whole}.${fraction.toString().padStart(9, '0')}Z`;
}

/**
 * RFC 3339 §5.6 `date-time`: full-date "T" time with optional fraction and a `Z` or `±hh:mm` offset.
 * Letters `t`/`z` are accepted in lower case as §5.6 allows.
 */
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-Compatible Low-Level Date
 * Algorithms", days_from_civil). Written out because `Date.UTC` maps years 0–99 to 1900–1999.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/**
 * Parses an RFC 3339 timestamp (the ISO-8601 profile of the Internet) into epoch nanoseconds. Accepts
 * zero to nine fractional digits and any `Z`, `+hh:mm` or `-hh:mm` offset; the inverse of {@link toIsoNs}.
 *
 * @param text - e.g. `2026-11-25T12:00:00.123456789Z` or `2026-11-25T13:00:00.5+01:00`
 * @returns epoch nanoseconds
 * @throws SystemError `MSYS_TIME_INVALID_ISO` (validation) for anything else: other layouts, impossible
 *   dates (`02-30`), more than nine fractional digits (not representable), or a leap second (`:60`, which
 *   epoch time cannot represent)
 * @example
 * ```ts
 * parseIsoNs('1970-01-01T01:00:00.000000001+01:00'); // 1n
 * ```
 */
export function parseIsoNs(text: string): bigint {
  const fail = (reason: string) =>
    timeErrors.MSYS_TIME_INVALID_ISO({ input: typeof text === 'string' ? text : String(text), reason });
  if (typeof text !== 'string') throw fail('not a string');
  const m = RFC3339.exec(text);
  if (!m) throw fail('not of the form YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)');
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const fractionDigits = m[7] ?? '';
  if (month < 1 || month > 12) throw fail(`month ${month} is not in 01-12`);
  const monthDays = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 31);
  if (day < 1 || day > monthDays) throw fail(`day ${day} does not exist in ${m[1]}-${m[2]}`);
  if (hour > 23) throw fail(`hour ${hour} is not in 00-23`);
  if (minute > 59) throw fail(`minute ${minute} is not in 00-59`);
  if (second === 60) throw fail('leap seconds cannot be represented in epoch time');
  if (second > 59) throw fail(`second ${second} is not in 00-59`);
  if (fractionDigits.length > 9) throw fail('more than nine fractional digits');
  let offsetMinutes = 0;
  if (m[8] === undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) throw fail(`offset ${m[9]}${m[10]}:${m[11]} is out of range`);
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const days = daysFromCivil(year, month, day);
  const seconds = BigInt(days) * 86_400n + BigInt(hour * 3600 + minute * 60 + second - offsetMinutes * 60);
  const fraction = BigInt(fractionDigits.padEnd(9, '0') || '0');
  return seconds * NS_PER_S + fraction;
}
