import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { type Logger, type LogMethod, silentLogger } from '../src/logging/index.js';

/** A destination that keeps every line pino writes, parsed. */
function capture(): { stream: Writable; records: Record<string, unknown>[] } {
  const records: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.length > 0) records.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { stream, records };
}

/** Code written against the Logger type only, as every @msys class is. */
function component(logger: Logger): void {
  const child = logger.child({ component: 'ledger', peer: 'p1' });
  child.info('started');
  child.debug({ height: 12 }, 'block %s committed', 'b12');
  child.warn({ err: new Error('slow peer') }, 'retrying');
  child.child({ round: 3 }).error('round failed');
  child.trace('not written at debug level');
}

describe('Logger', () => {
  it('is satisfied by a real pino instance (type level)', () => {
    expectTypeOf(pino()).toExtend<Logger>();
    expectTypeOf(pino().child({ a: 1 })).toExtend<Logger>();
    expectTypeOf<Logger['info']>().toEqualTypeOf<LogMethod>();
    expectTypeOf<Logger['child']>().parameters.toEqualTypeOf<[Record<string, unknown>]>();
  });

  it('drives pino through the Logger type, with bindings, merged objects and interpolation', () => {
    const { stream, records } = capture();
    const logger: Logger = pino({ level: 'debug', base: { service: 'demo' } }, stream);
    expect(logger.level).toBe('debug');
    component(logger);

    expect(records.map((r) => [r.level, r.msg])).toEqual([
      [30, 'started'],
      [20, 'block b12 committed'],
      [40, 'retrying'],
      [50, 'round failed'],
    ]);
    expect(records[0]).toMatchObject({ service: 'demo', component: 'ledger', peer: 'p1' });
    expect(records[1]).toMatchObject({ height: 12 });
    expect(records[2]).toMatchObject({ err: { type: 'Error', message: 'slow peer' } });
    expect(records[3]).toMatchObject({ component: 'ledger', peer: 'p1', round: 3 });
  });

  it('follows level changes made through the Logger type', () => {
    const { stream, records } = capture();
    const logger: Logger = pino({ level: 'info' }, stream);
    logger.debug('dropped');
    logger.level = 'debug';
    logger.debug('kept');
    logger.fatal({ code: 'MSYS_X_Y' }, 'fatal');
    expect(records.map((r) => r.msg)).toEqual(['kept', 'fatal']);
    expect(records[1]).toMatchObject({ level: 60, code: 'MSYS_X_Y' });
  });
});

describe('silentLogger', () => {
  it('accepts every call shape, writes nothing and returns itself as child', () => {
    expect(silentLogger.level).toBe('silent');
    for (const method of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const) {
      expect(silentLogger[method]('message')).toBeUndefined();
      expect(silentLogger[method]({ a: 1 }, 'message %s', 'arg')).toBeUndefined();
    }
    expect(silentLogger.child({ component: 'x' })).toBe(silentLogger);
    expect(silentLogger.child({}).child({})).toBe(silentLogger);
  });

  it('cannot be reconfigured or modified by one user for all others', () => {
    silentLogger.level = 'trace';
    expect(silentLogger.level).toBe('silent');
    expect(Object.isFrozen(silentLogger)).toBe(true);
    expect(() => {
      (silentLogger as { info: unknown }).info = () => {};
    }).toThrow(TypeError);
  });
});
