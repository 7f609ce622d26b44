/**
 * Cooperative CPU capping: code calls a checkpoint now and then; the checkpoint compares the CPU time used
 * over a sliding window with the wall time of that window and sleeps until the ratio is back at the cap.
 *
 * @module
 */

/** How the throttle reads time; a seam for unit tests, the real readers otherwise. */
export interface CpuThrottleIo {
  /** CPU time consumed so far, in milliseconds. */
  readonly readCpuMs: () => number;
  /** A monotonic wall clock, in milliseconds. */
  readonly readWallMs: () => number;
  /** Waits the given number of wall milliseconds. */
  readonly sleep: (ms: number) => Promise<void>;
}

/** What the throttle reports after each pause. */
export interface ThrottleReport {
  /** Wall milliseconds actually slept. */
  readonly sleptMs: number;
  /** The duty cycle measured over the window before the pause, in percent of one core. */
  readonly cpuPercent: number;
}

type ThreadCpuUsage = () => { user: number; system: number };

/**
 * Reads the CPU time of the calling thread when the runtime can (`process.threadCpuUsage`, Node ≥ 23.9),
 * otherwise of the whole process (`process.cpuUsage`; Node 20 has no per-thread reading). On Node 20 the
 * reading therefore includes the garbage collector's helper threads and any worker threads.
 *
 * @internal
 */
export const readCpuMs: () => number = (() => {
  const thread = (process as unknown as { threadCpuUsage?: ThreadCpuUsage }).threadCpuUsage;
  const read: ThreadCpuUsage = typeof thread === 'function' ? thread.bind(process) : () => process.cpuUsage();
  return () => {
    const u = read();
    return (u.user + u.system) / 1000;
  };
})();

/** The real readers: thread/process CPU time, `performance.now()`, and a `setTimeout` sleep. */
export const realCpuThrottleIo: CpuThrottleIo = {
  readCpuMs,
  readWallMs: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

// Reading CPU time is a system call (getrusage); within 1 ms nothing useful can change, because the
// smallest pause a timer can produce is about 1 ms.
const MIN_READ_INTERVAL_MS = 1;
const MIN_SLEEP_MS = 1;
// The window is split into this many samples: finer costs memory and time per checkpoint, coarser makes
// the window edge jumpy.
const SAMPLES_PER_WINDOW = 16;

interface Sample {
  wallMs: number;
  cpuMs: number;
}

/**
 * Holds the duty cycle (CPU time ÷ wall time over the last `windowMs`) at or below `capPercent` of one
 * core. Sleeping happens only inside {@link CpuThrottle.checkpoint}, so a loop that never checkpoints is
 * never slowed: the cap is cooperative. Oversleeping (timer lateness) is paid back automatically, since
 * the next checkpoint sees a lower ratio and lets the loop run longer.
 *
 * @internal
 */
export class CpuThrottle {
  readonly #cap: number;
  readonly #windowMs: number;
  readonly #spacingMs: number;
  readonly #io: CpuThrottleIo;
  readonly #onThrottle: (report: ThrottleReport) => void;
  readonly #samples: Sample[] = [];
  #lastReadMs = Number.NEGATIVE_INFINITY;
  #pause: Promise<void> | undefined;
  /** Total wall milliseconds slept so far. */
  throttledMs = 0;

  constructor(
    capPercent: number,
    windowMs: number,
    onThrottle: (report: ThrottleReport) => void,
    io: CpuThrottleIo = realCpuThrottleIo,
  ) {
    this.#cap = capPercent / 100;
    this.#windowMs = windowMs;
    this.#spacingMs = windowMs / SAMPLES_PER_WINDOW;
    this.#onThrottle = onThrottle;
    this.#io = io;
  }

  /**
   * Measures and, when the window is over budget, returns the pause to await; `undefined` means "go on".
   * Concurrent callers during a pause all get the same pause.
   */
  checkpoint(): Promise<void> | undefined {
    if (this.#pause !== undefined) return this.#pause;
    const wallMs = this.#io.readWallMs();
    if (wallMs - this.#lastReadMs < MIN_READ_INTERVAL_MS) return undefined;
    this.#lastReadMs = wallMs;
    const cpuMs = this.#io.readCpuMs();
    const samples = this.#samples;
    const last = samples[samples.length - 1];
    if (last === undefined) {
      samples.push({ wallMs, cpuMs });
      return undefined;
    }
    const windowStart = wallMs - this.#windowMs;
    while (samples.length > 1 && (samples[1] as Sample).wallMs <= windowStart) samples.shift();
    const base = samples[0] as Sample;
    let baseWall = base.wallMs;
    let baseCpu = base.cpuMs;
    if (baseWall < windowStart) {
      // The oldest sample lies before the window: interpolate the CPU reading at the window's edge so
      // that an idle stretch does not become unlimited credit.
      const next = samples[1] ?? { wallMs, cpuMs };
      const f = (windowStart - baseWall) / (next.wallMs - baseWall);
      baseCpu += f * (next.cpuMs - baseCpu);
      baseWall = windowStart;
    }
    if (wallMs - last.wallMs >= this.#spacingMs) samples.push({ wallMs, cpuMs });
    const usedMs = cpuMs - baseCpu;
    const elapsedMs = wallMs - baseWall;
    const deficitMs = usedMs / this.#cap - elapsedMs;
    if (deficitMs < MIN_SLEEP_MS) return undefined;
    const cpuPercent = elapsedMs > 0 ? (100 * usedMs) / elapsedMs : 100;
    const pause = this.#io.sleep(deficitMs).then(() => {
      const sleptMs = this.#io.readWallMs() - wallMs;
      this.throttledMs += sleptMs;
      this.#pause = undefined;
      this.#onThrottle({ sleptMs, cpuPercent });
    });
    this.#pause = pause;
    return pause;
  }
}
