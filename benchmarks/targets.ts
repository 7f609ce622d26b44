/**
 * The product's performance table (ARCHITECTURE.md, "Performance targets") as data. These are floors:
 * `pnpm bench` prints every measured row's ratio to them, and one row per system that is not built yet.
 */

/** One system's target row. */
export interface Target {
  /** Package key (folder name under packages/). */
  readonly package: string;
  /** The system's name in the product table. */
  readonly system: string;
  /** Throughput floor, operations per second. */
  readonly opsPerSec: number;
  /** What one operation is. */
  readonly unit: string;
  /** p95 latency ceiling in milliseconds. */
  readonly p95Ms: number;
  /** Peak memory ceiling in bytes. */
  readonly memoryBytes: number;
}

const MB = 1024 * 1024;
const GB = 1024 * MB;

/** The ten product targets, in the table's order. */
export const TARGETS: readonly Target[] = [
  {
    package: 'chaos',
    system: 'Chaos Engine',
    opsPerSec: 10_000,
    unit: 'faults',
    p95Ms: 10,
    memoryBytes: 500 * MB,
  },
  {
    package: 'compiler',
    system: 'Contract Compiler',
    opsPerSec: 1_000,
    unit: 'contracts',
    p95Ms: 100,
    memoryBytes: GB,
  },
  {
    package: 'learner',
    system: 'Auto Learner',
    opsPerSec: 100_000,
    unit: 'samples',
    p95Ms: 50,
    memoryBytes: 2 * GB,
  },
  {
    package: 'lattice',
    system: 'Semantic Lattice',
    opsPerSec: 50_000,
    unit: 'queries',
    p95Ms: 20,
    memoryBytes: GB,
  },
  {
    package: 'kernel',
    system: 'Cloud Kernel',
    opsPerSec: 1_000_000,
    unit: 'syscalls',
    p95Ms: 0.001,
    memoryBytes: 100 * MB,
  },
  {
    package: 'parallel',
    system: 'Parallel Framework',
    opsPerSec: 100_000,
    unit: 'tasks',
    p95Ms: 5,
    memoryBytes: 2 * GB,
  },
  {
    package: 'symbolic',
    system: 'Symbolic Modeler',
    opsPerSec: 10_000,
    unit: 'reductions',
    p95Ms: 50,
    memoryBytes: 500 * MB,
  },
  {
    package: 'pipeline',
    system: 'Pipeline Engine',
    opsPerSec: 1_000_000,
    unit: 'events',
    p95Ms: 10,
    memoryBytes: GB,
  },
  {
    package: 'attestation',
    system: 'Attestation Authority',
    opsPerSec: 10_000,
    unit: 'attestations',
    p95Ms: 100,
    memoryBytes: 500 * MB,
  },
  {
    package: 'ledger',
    system: 'Autoblocker Ledger',
    opsPerSec: 50_000,
    unit: 'writes',
    p95Ms: 20,
    memoryBytes: GB,
  },
];

/**
 * Looks up a package's target row.
 *
 * @param pkg - package key
 * @returns the row, or undefined for packages without a product target (core, native)
 */
export function targetFor(pkg: string): Target | undefined {
  return TARGETS.find((t) => t.package === pkg);
}
