import { isSystemError, type SystemError } from '@msys/core/errors';
import type { PluginRegistry, PluginStateChange } from '@msys/core/plugins';
import { expect } from 'vitest';

/** A promise with its resolve/reject exposed, to drive hooks step by step without timing. */
export interface Deferred<T = void> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every queued microtask and promise continuation run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise<void>((r) => setImmediate(r));
}

/** Records every state event as `id:from>to` (plus the error code for `failed`). */
export function recordEvents(registry: PluginRegistry): string[] {
  const log: string[] = [];
  registry.on('state', (c: PluginStateChange) => {
    log.push(`${c.id}:${c.from}>${c.to}${c.error === undefined ? '' : `!${c.error.code}`}`);
  });
  return log;
}

/** Runs `fn` and returns the SystemError it throws (sync or async), failing the test otherwise. */
export async function caught(fn: () => unknown): Promise<SystemError> {
  try {
    await fn();
  } catch (error) {
    expect(isSystemError(error), `expected a SystemError, got ${String(error)}`).toBe(true);
    return error as SystemError;
  }
  throw new Error('expected a SystemError, nothing was thrown');
}
