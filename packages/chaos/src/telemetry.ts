/**
 * The engine's OpenTelemetry instruments (no-ops until the host installs a MeterProvider): counts of
 * injected, refused and reverted faults and of decisions that fired, by fault kind.
 *
 * @internal
 * @module
 */
import { counter, getMeter } from '@msys/core/telemetry';

/** @internal */
export function chaosMetrics() {
  // The metrics API hands out no proxy, so instruments are created per engine, not at module load.
  const meter = getMeter('chaos');
  return {
    injected: counter(meter, 'msys.chaos.faults.injected', {
      unit: '{fault}',
      description: 'faults injected',
    }),
    refused: counter(meter, 'msys.chaos.faults.refused', {
      unit: '{fault}',
      description: 'injections refused by the blast radius',
    }),
    reverted: counter(meter, 'msys.chaos.faults.reverted', {
      unit: '{fault}',
      description: 'faults reverted',
    }),
    fired: counter(meter, 'msys.chaos.decisions.fired', {
      unit: '{decision}',
      description: 'calls, connections, requests or fs operations a fault changed',
    }),
  };
}

/** @internal */
export type ChaosMetrics = ReturnType<typeof chaosMetrics>;
