import { describe, expect, it } from 'vitest';
import { isSystemError } from '../src/errors/index.js';
import { type LimitEvent, type PressureEvent, ResourceGovernor } from '../src/governor/index.js';

describe('ResourceGovernor memory budget', () => {
  it('reserves and releases bytes; release is idempotent', () => {
    const g = new ResourceGovernor({ ramLimitBytes: 1000 });
    const a = g.reserve(600);
    expect(a.bytes).toBe(600);
    expect(a.released).toBe(false);
    expect(g.usage().reservedBytes).toBe(600);
    a.release();
    a.release();
    expect(a.released).toBe(true);
    expect(g.usage().reservedBytes).toBe(0);
    const b = g.reserve(1000);
    expect(g.usage().reservedBytes).toBe(1000);
    b[Symbol.dispose]();
    expect(g.usage().reservedBytes).toBe(0);
  });

  it('releases at the end of a using block', () => {
    const g = new ResourceGovernor({ ramLimitBytes: 100 });
    {
      using lease = g.reserve(100);
      expect(lease.bytes).toBe(100);
      expect(g.usage().reservedBytes).toBe(100);
    }
    expect(g.usage().reservedBytes).toBe(0);
  });

  it('refuses a reservation past the limit with MSYS_RESOURCE_RAM_LIMIT, reserving nothing, and emits limit', () => {
    const g = new ResourceGovernor({ ramLimitBytes: 1000 });
    const limits: LimitEvent[] = [];
    g.on('limit', (e) => limits.push(e));
    g.reserve(700);
    let error: unknown;
    try {
      g.reserve(301);
    } catch (e) {
      error = e;
    }
    expect(isSystemError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'MSYS_RESOURCE_RAM_LIMIT',
      category: 'resource',
      details: { requested: 301, reserved: 700, limit: 1000 },
    });
    expect(g.usage().reservedBytes).toBe(700);
    expect(limits).toEqual([{ resource: 'ram', requested: 301, available: 300, limit: 1000 }]);
    expect(g.reserve(300).bytes).toBe(300);
  });

  it('counts reservations without a limit, and validates sizes', () => {
    const g = new ResourceGovernor();
    g.reserve(2 ** 40);
    expect(g.usage().reservedBytes).toBe(2 ** 40);
    for (const bad of [-1, 1.5, Number.NaN, '10']) {
      expect(() => g.reserve(bad as number)).toThrow(
        expect.objectContaining({
          code: 'MSYS_GOVERNOR_INVALID_ARGUMENT',
          details: expect.objectContaining({ path: 'bytes' }),
        }),
      );
    }
  });

  it('reports process memory and the other counters in usage()', () => {
    const g = new ResourceGovernor();
    const u = g.usage();
    expect(Object.keys(u).sort()).toEqual(
      ['cpuMicros', 'external', 'heapUsed', 'ioOps', 'reservedBytes', 'rss', 'throttledMs'].sort(),
    );
    expect(u.rss).toBeGreaterThan(u.heapUsed);
    expect(u.heapUsed).toBeGreaterThan(0);
    expect(u.external).toBeGreaterThan(0);
    expect(u.ioOps).toBe(0);
  });
});

describe('ResourceGovernor pressure events', () => {
  it('samples only while a pressure listener exists, and emits once per crossing', async () => {
    const g = new ResourceGovernor({ pressureRssBytes: 1, pressureIntervalMs: 10 });
    expect(g.pressureMonitoring).toBe(false);
    const events: PressureEvent[] = [];
    const listener = (e: PressureEvent): void => {
      events.push(e);
    };
    g.on('pressure', listener);
    expect(g.pressureMonitoring).toBe(true);
    await new Promise((r) => setTimeout(r, 80));
    // RSS stays above 1 byte: one event for the one crossing, not one per sample.
    expect(events).toHaveLength(1);
    expect(events[0]?.thresholdBytes).toBe(1);
    expect(events[0]?.rss).toBeGreaterThan(1);
    expect(events[0]?.heapUsed).toBeGreaterThan(0);
    g.off('pressure', listener);
    expect(g.pressureMonitoring).toBe(false);
  });

  it('does not fire below the threshold', async () => {
    const g = new ResourceGovernor({ pressureRssBytes: Number.MAX_SAFE_INTEGER, pressureIntervalMs: 10 });
    let fired = 0;
    g.once('pressure', () => fired++);
    await new Promise((r) => setTimeout(r, 50));
    expect(fired).toBe(0);
    g.removeAllListeners();
    expect(g.pressureMonitoring).toBe(false);
  });

  it('can be started and stopped explicitly, and close() stops it', () => {
    const g = new ResourceGovernor({ pressureRssBytes: 1 << 30 });
    g.startPressureMonitor();
    expect(g.pressureMonitoring).toBe(true);
    g.stopPressureMonitor();
    expect(g.pressureMonitoring).toBe(false);
    g.startPressureMonitor();
    g.on('pressure', () => {});
    g.close();
    expect(g.pressureMonitoring).toBe(false);
  });

  it('starts nothing at construction, and refuses an explicit start without pressureRssBytes', () => {
    const g = new ResourceGovernor();
    g.on('pressure', () => {});
    expect(g.pressureMonitoring).toBe(false);
    expect(() => g.startPressureMonitor()).toThrow(
      expect.objectContaining({
        code: 'MSYS_GOVERNOR_INVALID_OPTION',
        details: expect.objectContaining({ path: 'options.pressureRssBytes' }),
      }),
    );
  });
});
