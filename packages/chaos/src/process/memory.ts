/**
 * Memory pressure: holds `bytes` either off-heap (zero-filled Buffers, so the pages are really touched
 * and RSS rises) or on the V8 heap (arrays of doubles, 8 bytes per element). Revert drops the references
 * and, when the host exposes `gc`, collects at once; otherwise the next GC returns the memory.
 *
 * @module
 */
import type { FaultDriver } from '../active-fault.js';
import type { MemoryFault } from '../faults.js';

const CHUNK = 8 * 1024 * 1024;

/** @internal */
export function startMemory(fault: MemoryFault): FaultDriver {
  let held: unknown[] = [];
  let left = Math.floor(fault.bytes);
  while (left > 0) {
    const size = Math.min(CHUNK, left);
    if (fault.space === 'heap') held.push(new Array<number>(Math.max(1, Math.ceil(size / 8))).fill(1.5));
    else held.push(Buffer.alloc(size, 1));
    left -= size;
  }
  return {
    stop() {
      held.length = 0;
      held = [];
      const gc = (globalThis as { gc?: () => void }).gc;
      if (typeof gc === 'function') gc();
    },
  };
}
