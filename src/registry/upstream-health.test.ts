import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { UpstreamHealthTracker } from './upstream-health.js';

describe('UpstreamHealthTracker', () => {
  it('is unknown before any attempt, then reports latency, error rate and the last times', () => {
    const clock = new ManualClock('2026-01-01T00:00:00.000Z');
    const health = new UpstreamHealthTracker(clock, 10);
    expect(health.snapshot()).toMatchObject({ status: 'unknown', attempts: 0, errorRate: 0 });
    for (const ms of [10, 20, 30, 40]) health.success(ms);
    clock.advance(1000);
    health.failure(5000, 'connect ETIMEDOUT');
    expect(health.snapshot()).toEqual({
      status: 'degraded',
      lastSuccessAt: '2026-01-01T00:00:00.000Z',
      lastFailureAt: '2026-01-01T00:00:01.000Z',
      lastError: 'connect ETIMEDOUT',
      attempts: 5,
      errorRate: 0.2,
      latencyMs: { p50: 20, p95: 40 },
    });
    health.failure(1, 'x');
    health.failure(1, 'y');
    expect(health.snapshot().status).toBe('down');
    health.success(15);
    expect(health.snapshot().status).toBe('degraded');
  });

  it('keeps only a window of the latest attempts', () => {
    const health = new UpstreamHealthTracker(new ManualClock(), 4);
    for (let i = 0; i < 4; i++) health.failure(1, 'down');
    for (let i = 0; i < 4; i++) health.success(5);
    expect(health.snapshot()).toMatchObject({ status: 'ok', attempts: 4, errorRate: 0 });
  });
});
