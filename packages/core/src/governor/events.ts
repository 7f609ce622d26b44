/**
 * The governor's events, and the emitter that tells its owner when listeners come and go (the RSS sampler
 * runs only while someone listens for `pressure`).
 *
 * @module
 */
import { EventEmitter } from 'eventemitter3';
import type { PressureEvent } from './memory.js';

/** A CPU pause taken by the governor. */
export interface ThrottleEvent {
  /** Wall milliseconds slept. */
  readonly sleptMs: number;
  /** The duty cycle measured before the pause, in percent of one core. */
  readonly cpuPercent: number;
  /** The configured cap, in percent. */
  readonly capPercent: number;
}

/** A request refused by, or made to wait on, a hard limit. */
export interface LimitEvent {
  /** Which budget: RAM reservations or I/O tokens. */
  readonly resource: 'ram' | 'io';
  /** Bytes (ram) or tokens (io) asked for. */
  readonly requested: number;
  /** Bytes (ram) or whole tokens (io) still available. */
  readonly available: number;
  /** The budget: `ramLimitBytes`, or the I/O burst. */
  readonly limit: number;
}

/** The governor's events and their payloads. */
export interface GovernorEvents {
  /** The CPU cap made a checkpoint sleep. */
  throttle: (event: ThrottleEvent) => void;
  /** A RAM reservation was refused, or an I/O request had to wait or was refused. */
  limit: (event: LimitEvent) => void;
  /** Sampled RSS crossed `pressureRssBytes` (upwards; once per crossing). */
  pressure: (event: PressureEvent) => void;
}

/** The name of one of the governor's events. */
export type GovernorEventName = EventEmitter.EventNames<GovernorEvents>;
/** The listener type of the governor's event `E`. */
export type GovernorListener<E extends GovernorEventName> = EventEmitter.EventListener<GovernorEvents, E>;

/**
 * A typed eventemitter3 emitter for {@link GovernorEvents} whose subclass hears about every listener change.
 */
export class GovernorEmitter extends EventEmitter<GovernorEvents> {
  /**
   * Adds a listener. Adding the first `pressure` listener starts the RSS sampler.
   *
   * @param event - `throttle`, `limit` or `pressure`
   * @param fn - the listener
   * @param context - `this` for the listener
   * @returns the governor
   */
  override on<E extends GovernorEventName>(event: E, fn: GovernorListener<E>, context?: unknown): this {
    super.on(event, fn, context);
    this.listenersChanged();
    return this;
  }

  /**
   * Same as {@link ResourceGovernor.on}.
   *
   * @param event - `throttle`, `limit` or `pressure`
   * @param fn - the listener
   * @param context - `this` for the listener
   * @returns the governor
   */
  override addListener<E extends GovernorEventName>(
    event: E,
    fn: GovernorListener<E>,
    context?: unknown,
  ): this {
    return this.on(event, fn, context);
  }

  /**
   * Adds a listener that is removed after its first call.
   *
   * @param event - `throttle`, `limit` or `pressure`
   * @param fn - the listener
   * @param context - `this` for the listener
   * @returns the governor
   */
  override once<E extends GovernorEventName>(event: E, fn: GovernorListener<E>, context?: unknown): this {
    super.once(event, fn, context);
    this.listenersChanged();
    return this;
  }

  /**
   * Removes listeners. Removing the last `pressure` listener stops the RSS sampler (unless started explicitly).
   *
   * @param event - `throttle`, `limit` or `pressure`
   * @param fn - only this listener (default: all of the event)
   * @param context - only listeners with this context
   * @param once - only one-time listeners
   * @returns the governor
   */
  override removeListener<E extends GovernorEventName>(
    event: E,
    fn?: GovernorListener<E>,
    context?: unknown,
    once?: boolean,
  ): this {
    super.removeListener(event, fn, context, once);
    this.listenersChanged();
    return this;
  }

  /**
   * Same as {@link ResourceGovernor.removeListener}.
   *
   * @param event - `throttle`, `limit` or `pressure`
   * @param fn - only this listener (default: all of the event)
   * @param context - only listeners with this context
   * @param once - only one-time listeners
   * @returns the governor
   */
  override off<E extends GovernorEventName>(
    event: E,
    fn?: GovernorListener<E>,
    context?: unknown,
    once?: boolean,
  ): this {
    return this.removeListener(event, fn, context, once);
  }

  /**
   * Removes all listeners, or those of one event.
   *
   * @param event - the event (default: every event)
   * @returns the governor
   */
  override removeAllListeners(event?: GovernorEventName): this {
    super.removeAllListeners(event);
    this.listenersChanged();
    return this;
  }

  /**
   * Called after every listener change; subclasses start or stop work that only listeners need.
   *
   * @internal
   */
  protected listenersChanged(): void {}
}
