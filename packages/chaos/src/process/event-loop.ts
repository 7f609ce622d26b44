/**
 * Event-loop blocking: a synchronous spin of `blockMs` on the main thread, once or every `everyMs`.
 * Timers, I/O callbacks and promise continuations all wait behind it — what a slow synchronous call
 * (a big JSON.parse, a sync crypto call) does to a service.
 *
 * @module
 */
import { performance } from 'node:perf_hooks';
import type { FaultDriver } from '../active-fault.js';
import type { EventLoopBlockFault } from '../faults.js';

function block(ms: number): void {
  const end = performance.now() + ms;
  let sink = 0;
  while (performance.now() < end) sink++;
  if (sink < 0) throw new RangeError('unreachable');
}

/** @internal */
export function startEventLoopBlock(fault: EventLoopBlockFault): FaultDriver {
  let interval: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    block(fault.blockMs);
    if (fault.everyMs) interval = setInterval(() => block(fault.blockMs), fault.everyMs);
  }, 0);
  return {
    stop() {
      clearTimeout(first);
      if (interval !== undefined) clearInterval(interval);
    },
  };
}
