/**
 * The shape of a benchmark suite. Each `benchmarks/<pkg>/*.bench.ts` default-exports a {@link SuiteFactory};
 * `run.ts` measures every scenario with tinybench and compares it with the package's target row
 * (targets.ts) and with the peer measured in the same run.
 */

/** What a suite factory receives. */
export interface BenchContext {
  /** True under `pnpm bench:smoke`: run a few iterations only, to prove the suite works. */
  readonly smoke: boolean;
}

/** A function measured by the harness; one call is one iteration. */
export type BenchFn = () => unknown | Promise<unknown>;

/** One measured scenario. */
export interface Scenario {
  /** Short name, e.g. `dot f32 n=1024`. */
  readonly name: string;
  /** The work of one iteration. */
  readonly fn: BenchFn;
  /** How many product operations one iteration performs (a batch of 1000 writes is 1000); default 1. */
  readonly opsPerIteration?: number;
  /** The same work done by the best peer (another library, or a physical ceiling), measured beside it. */
  readonly peer?: { readonly name: string; readonly fn: BenchFn; readonly opsPerIteration?: number };
  /** Whether this row is judged against the package's throughput/latency target (default true). */
  readonly judged?: boolean;
  /** Extra iteration count or time for slow scenarios (defaults: 1 s, at least 10 iterations). */
  readonly timeMs?: number;
}

/** A package's suite. */
export interface Suite {
  /** The package key as in targets.ts, e.g. `native`, `core`, `ledger`. */
  readonly package: string;
  /** The scenarios, measured in order. */
  readonly scenarios: readonly Scenario[];
  /** Called once after the scenarios (stop servers, close databases). */
  readonly dispose?: () => unknown | Promise<unknown>;
}

/** The default export of a `*.bench.ts` file. */
export type SuiteFactory = (ctx: BenchContext) => Suite | Promise<Suite>;
