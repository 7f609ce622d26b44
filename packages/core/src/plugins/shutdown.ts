/**
 * Registry shutdown: every plugin stopped and unloaded in reverse dependency order, each within a
 * time budget, with a report of the ones that overran or failed.
 *
 * @module
 */
import type { SystemError } from '../errors/index.js';
import { pluginErrors } from './errors.js';
import type { PluginState } from './lifecycle.js';
import type { PluginRecord } from './record.js';
import type { RegistryClock } from './types.js';

/** Options of `PluginRegistry.shutdown`. */
export interface ShutdownOptions {
  /** How long each plugin may take to stop, from its turn, in milliseconds (default 10 000). */
  readonly timeoutMs?: number;
}

/** What `PluginRegistry.shutdown` reports; every plugin not already unloaded is in exactly one list. */
export interface ShutdownReport {
  /** Unloaded cleanly (a running plugin's stop hook returned in time), in the order they went. */
  readonly stopped: readonly string[];
  /** Overran `timeoutMs`: abandoned (signal aborted) and marked `failed → unloaded`. */
  readonly timedOut: readonly string[];
  /** Their stop hook threw: `failed → unloaded` (the error is on the `failed` state event). */
  readonly failed: readonly string[];
}

/** What runShutdown needs from the registry. @internal */
export interface ShutdownSteps {
  /** Per-plugin budget. */
  readonly timeoutMs: number;
  /** Timers. */
  readonly clock: RegistryClock;
  /** Applies the `unload` transition (running its stop hook). */
  readonly unload: (record: PluginRecord) => Promise<void>;
  /** Moves a plugin to a state and emits the event. */
  readonly commit: (record: PluginRecord, to: PluginState, error?: SystemError) => void;
}

/** Reads the state afresh: it may have changed while this function awaited. */
const stateOf = (record: PluginRecord): PluginState => record.state;

type Outcome = 'stopped' | 'timedOut' | 'failed' | 'skipped';

/**
 * Shuts down `records`: running ones by descending activation (reverse start order, which is a reverse
 * topological order), then the others by descending registration; one at a time, so a requirement
 * never stops while a dependent's stop hook may still use it — unless that dependent overran.
 *
 * @param records - every registered plugin
 * @param steps - the registry's timers and transitions
 * @returns the report
 * @internal
 */
export async function runShutdown(
  records: readonly PluginRecord[],
  steps: ShutdownSteps,
): Promise<ShutdownReport> {
  const running = records.filter((r) => r.activation > 0).sort((a, b) => b.activation - a.activation);
  const rest = records.filter((r) => r.activation === 0).sort((a, b) => b.seq - a.seq);
  const report = { stopped: [] as string[], timedOut: [] as string[], failed: [] as string[] };
  for (const record of [...running, ...rest]) {
    const outcome = await shutdownOne(record, steps);
    if (outcome !== 'skipped') report[outcome].push(record.definition.id);
  }
  return report;
}

async function shutdownOne(record: PluginRecord, steps: ShutdownSteps): Promise<Outcome> {
  const work = record.queue.run(async (): Promise<Outcome> => {
    if (record.state === 'unloaded') return 'skipped';
    try {
      await steps.unload(record);
      return 'stopped';
    } catch (error) {
      // Unload is accepted from every state but `unloaded`, so only the stop hook fails here: the plugin
      // is now `failed` (the event carries the error), and shutdown finishes the job.
      if (stateOf(record) === 'failed') steps.commit(record, 'unloaded');
      if (pluginErrors.MSYS_PLUGIN_HOOK_FAILED.is(error)) return 'failed';
      throw error;
    }
  });
  let timer: unknown;
  const overran = new Promise<'timedOut'>((resolve) => {
    timer = steps.clock.setTimeout(() => resolve('timedOut'), steps.timeoutMs);
  });
  try {
    const outcome = await Promise.race([work, overran]);
    if (outcome !== 'timedOut') return outcome;
    // The plugin keeps its queue busy past the budget: abandon it. A hook that finishes later finds the
    // state changed and its result is discarded (see the registry's apply); its rejection is observed here.
    work.catch(() => undefined);
    record.abort.abort(
      pluginErrors.MSYS_PLUGIN_STOP_TIMEOUT({ id: record.definition.id, timeoutMs: steps.timeoutMs }),
    );
    if (stateOf(record) === 'unloaded') return 'stopped';
    steps.commit(
      record,
      'failed',
      pluginErrors.MSYS_PLUGIN_STOP_TIMEOUT({ id: record.definition.id, timeoutMs: steps.timeoutMs }),
    );
    steps.commit(record, 'unloaded');
    return 'timedOut';
  } finally {
    steps.clock.clearTimeout(timer);
  }
}
