/**
 * The time source of an engine: the governor's clock when one is given (virtual in deterministic mode),
 * Node's timers otherwise.
 *
 * @module
 */
import type { Clock, ResourceGovernor } from '@msys/core/governor';

/** The clock the engine uses (`@msys/core`'s `Clock`): the governor's, or a `RealClock` per engine. */
export type ChaosClock = Clock;

/** The parts of `@msys/core`'s `ResourceGovernor` the engine uses: determinism, randomness and the clock. */
export type ChaosGovernor = Pick<ResourceGovernor, 'deterministic' | 'random' | 'clock'>;
