/**
 * Starts the driver of a process fault.
 *
 * @internal
 * @module
 */
import type { FaultDriver } from '../active-fault.js';
import type { ChaosClock } from '../clock.js';
import type { Fault } from '../faults.js';
import { startClockSkew } from './clock-skew.js';
import { startCpu } from './cpu.js';
import { startEventLoopBlock } from './event-loop.js';
import { startMemory } from './memory.js';

/** @internal */
export function startProcessFault(fault: Fault, clock: ChaosClock): FaultDriver {
  switch (fault.kind) {
    case 'cpu':
      return startCpu(fault);
    case 'memory':
      return startMemory(fault);
    case 'event-loop-block':
      return startEventLoopBlock(fault);
    case 'clock-skew':
      return startClockSkew(fault, clock);
    default:
      throw new TypeError(`not a process fault: ${fault.kind}`);
  }
}
