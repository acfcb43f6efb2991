import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { requireRole } from '../auth/require-role.js';
import type { BlockedAttempt, BlockedAttemptStore } from '../gate/blocked-attempts.js';
import { parseInput } from './core-routes.js';

export interface BlockedAttemptsRoutesDeps {
  readonly attempts: Pick<BlockedAttemptStore, 'list'>;
  readonly anonymousApiRead: boolean;
}

const query = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  since: z.iso.datetime({ offset: true }).max(40).optional(),
  name: z.string().min(1).max(214).optional(),
});

/** The shape the dashboard gets for one aggregated attempt. */
function attemptView(a: BlockedAttempt) {
  return {
    ecosystem: a.ref.ecosystem,
    name: a.ref.name,
    version: a.ref.version,
    principal: a.principal,
    clientIp: a.clientIp,
    userAgent: a.userAgent,
    reason: a.reason,
    attempts: a.attempts,
    firstAt: a.firstAt,
    lastAt: a.lastAt,
  };
}

/** `GET /api/v1/blocked-attempts`: who tried to install what the gate refuses, newest first. */
export function blockedAttemptsApiRoutes(deps: BlockedAttemptsRoutesDeps): FastifyPluginAsync {
  return async (app) => {
    app.get('/blocked-attempts', async (request) => {
      if (!deps.anonymousApiRead) requireRole(request.principal, 'reader', 'read the API');
      const q = parseInput(query, request.query, 'blocked attempts query');
      // Stored times are UTC ISO text; compare like with like.
      const since = q.since ? new Date(q.since).toISOString() : undefined;
      const attempts = await deps.attempts.list({
        limit: q.limit,
        ...(since ? { since } : {}),
        ...(q.name ? { name: q.name } : {}),
      });
      return { attempts: attempts.map(attemptView) };
    });
  };
}
