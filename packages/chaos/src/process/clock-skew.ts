/**
 * Clock skew: shifts `now()` and `nowNs()` of a clock object — the governor's clock, so every component
 * that takes its time from the governor sees the shift, as a host whose NTP stepped would.
 *
 * @module
 */
import type { FaultDriver } from '../active-fault.js';
import type { ChaosClock } from '../clock.js';
import type { ClockSkewFault } from '../faults.js';

type Mutable = { -readonly [K in keyof ChaosClock]: ChaosClock[K] };

/** @internal */
export function startClockSkew(fault: ClockSkewFault, clock: ChaosClock): FaultDriver {
  const target = clock as Mutable;
  const hadNow = Object.hasOwn(target, 'now');
  const hadNowNs = Object.hasOwn(target, 'nowNs');
  const now = target.now;
  const nowNs = target.nowNs;
  const offsetNs = BigInt(Math.round(fault.offsetMs * 1e6));
  target.now = function skewedNow(this: ChaosClock) {
    return now.call(this) + fault.offsetMs;
  };
  target.nowNs = function skewedNowNs(this: ChaosClock) {
    return nowNs.call(this) + offsetNs;
  };
  return {
    stop() {
      if (hadNow) target.now = now;
      else delete (target as Partial<Mutable>).now;
      if (hadNowNs) target.nowNs = nowNs;
      else delete (target as Partial<Mutable>).nowNs;
    },
  };
}
