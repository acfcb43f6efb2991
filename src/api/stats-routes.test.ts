import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { statsApiRoutes, type StatsRoutesDeps } from './stats-routes.js';
import { apiServer, as } from './test-support/api-server.js';

describe('GET /api/v1/stats', () => {
  let app: FastifyInstance;
  const clock = new ManualClock('2026-05-10T12:30:00.000Z');
  const deps = (): StatsRoutesDeps => ({
    stats: {
      findingsBySeverity: vi.fn(async (_now: Date, days: number) =>
        Array.from({ length: days }, (_, i) => ({
          day: `2026-05-${String(10 - days + 1 + i).padStart(2, '0')}`,
          info: 0,
          low: 0,
          moderate: 0,
          high: i,
          critical: 0,
        })),
      ),
      versionsByState: async () => ({ pending: 1, scanning: 0, approved: 5, review: 2, rejected: 1 }),
    },
    jobs: {
      depth: async () => ({ 'gate.scan': { queued: 3, running: 1, dead: 2 } }),
      finishedPerHour: async (_queue: string, since: Date) =>
        since.toISOString() < '2026-05-10T00:00:00.000Z'
          ? [
              { hour: '2026-05-09T13', count: 4 },
              { hour: '2026-05-10T12', count: 7 },
            ]
          : [{ hour: '2026-05-10T12', count: 7 }],
    },
    upstreamHealth: () => ({
      status: 'ok',
      lastSuccessAt: '2026-05-10T12:29:00.000Z',
      lastFailureAt: undefined,
      lastError: undefined,
      attempts: 10,
      errorRate: 0,
      latencyMs: { p50: 40, p95: 90 },
    }),
    clock,
    anonymousApiRead: false,
    cacheMs: 0,
  });
  let d: StatsRoutesDeps;
  beforeEach(async () => {
    d = deps();
    app = await apiServer(statsApiRoutes(d));
  });
  afterEach(() => app.close());

  it('answers findings per day, throughput per hour, queue depth and upstream health', async () => {
    const response = await app.inject({ url: '/api/v1/stats?days=3', headers: as('reader-token') });
    expect(response.statusCode).toBe(200);
    const body = response.json<{
      scans: { lastHour: number; perHour: { hour: string; count: number }[] };
      [key: string]: unknown;
    }>();
    expect(body).toMatchObject({
      generatedAt: '2026-05-10T12:30:00.000Z',
      days: 3,
      findingsBySeverity: [{ day: '2026-05-08' }, { day: '2026-05-09' }, { day: '2026-05-10', high: 2 }],
      queue: { queued: 3, running: 1, dead: 2 },
      versions: { review: 2 },
      upstream: { status: 'ok', latencyMs: { p50: 40, p95: 90 } },
    });
    expect(body.scans.lastHour).toBe(7);
    expect(body.scans.perHour).toHaveLength(24);
    expect(body.scans.perHour[0]).toEqual({ hour: '2026-05-09T13', count: 4 });
    expect(body.scans.perHour.at(-1)).toEqual({ hour: '2026-05-10T12', count: 7 });
    expect(body.scans.perHour.reduce((n, h) => n + h.count, 0)).toBe(11);
  });

  it('defaults to 14 days, bounds days, and is for readers', async () => {
    await app.inject({ url: '/api/v1/stats', headers: as('reader-token') });
    expect(d.stats.findingsBySeverity).toHaveBeenCalledWith(expect.any(Date), 14);
    for (const bad of ['days=0', 'days=91', 'days=x', 'days=1&more=2']) {
      expect(
        (await app.inject({ url: `/api/v1/stats?${bad}`, headers: as('reader-token') })).statusCode,
      ).toBe(400);
    }
    expect((await app.inject({ url: '/api/v1/stats' })).statusCode).toBe(401);
  });

  it('reuses an answer for a few seconds', async () => {
    const cached = await apiServer(statsApiRoutes({ ...deps(), cacheMs: 60_000 }));
    const first = await cached.inject({ url: '/api/v1/stats', headers: as('reader-token') });
    clock.advance(1000);
    const second = await cached.inject({ url: '/api/v1/stats', headers: as('reader-token') });
    expect(second.json()).toEqual(first.json());
    await cached.close();
  });
});
