import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { requireRole } from '../auth/require-role.js';
import type { Clock } from '../core/clock.js';
import type { GateStats } from '../gate/gate-stats.js';
import { scanQueue } from '../gate/gate.js';
import type { UpstreamHealth } from '../registry/upstream-health.js';
import type { JobQueue } from '../store/ports.js';
import type { SqlJobQueue } from '../store/job-queue-sql.js';
import { parseInput } from './core-routes.js';

export interface StatsRoutesDeps {
  readonly stats: Pick<GateStats, 'findingsBySeverity' | 'versionsByState'>;
  readonly jobs: Pick<JobQueue, 'depth'> & Pick<SqlJobQueue, 'finishedPerHour'>;
  readonly upstreamHealth: () => UpstreamHealth;
  readonly clock: Clock;
  readonly anonymousApiRead: boolean;
  /** How long one answer is reused; the queries scan a window of versions. */
  readonly cacheMs?: number;
}

const query = z.strictObject({ days: z.coerce.number().int().min(1).max(90).default(14) });
const hourMs = 3_600_000;

/** `GET /api/v1/stats`: the overview — findings over time, scan throughput, queue depth, upstream health. */
export function statsApiRoutes(deps: StatsRoutesDeps): FastifyPluginAsync {
  const cache = new Map<number, { at: number; body: Promise<unknown> }>();
  const compute = async (days: number) => {
    const now = deps.clock.now();
    const dayHour = new Date(Math.floor(now.getTime() / hourMs) * hourMs - 23 * hourMs);
    const [findings, versions, depth, perHour, lastHour] = await Promise.all([
      deps.stats.findingsBySeverity(now, days),
      deps.stats.versionsByState(),
      deps.jobs.depth(),
      deps.jobs.finishedPerHour(scanQueue, dayHour),
      deps.jobs.finishedPerHour(scanQueue, new Date(now.getTime() - hourMs)),
    ]);
    const counted = new Map(perHour.map((h) => [h.hour, h.count]));
    const hours = Array.from({ length: 24 }, (_, i) => {
      const hour = new Date(dayHour.getTime() + i * hourMs).toISOString().slice(0, 13);
      return { hour, count: counted.get(hour) ?? 0 };
    });
    return {
      generatedAt: now.toISOString(),
      days,
      findingsBySeverity: findings,
      scans: { lastHour: lastHour.reduce((n, h) => n + h.count, 0), perHour: hours },
      queue: depth[scanQueue] ?? { queued: 0, running: 0, dead: 0 },
      versions,
      upstream: deps.upstreamHealth(),
    };
  };

  return async (app) => {
    app.get('/stats', async (request) => {
      if (!deps.anonymousApiRead) requireRole(request.principal, 'reader', 'read the API');
      const { days } = parseInput(query, request.query, 'stats query');
      const now = Date.now();
      const hit = cache.get(days);
      if (hit && now - hit.at < (deps.cacheMs ?? 5_000)) return hit.body;
      const body = compute(days);
      cache.set(days, { at: now, body });
      // A failed computation is not reused.
      body.catch(() => cache.delete(days));
      return body;
    });
  };
}
