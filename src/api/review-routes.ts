import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requireRole } from '../auth/require-role.js';
import { packageNameFromPath } from '../registry/package-name.js';
import type { ReviewViews } from '../review/index.js';
import { parseInput } from './core-routes.js';

export interface ReviewRoutesDeps {
  readonly views: Pick<ReviewViews, 'diff' | 'excerpt'>;
  readonly anonymousApiRead: boolean;
}

const excerptQuery = z.strictObject({
  file: z.string().min(1).max(1024),
  line: z.coerce.number().int().min(1).max(10_000_000),
  context: z.coerce.number().int().min(0).max(20).default(4),
});

type VersionParams = { Params: { name: string; version: string } };

/** `/api/v1/packages/:name/versions/:version/{diff,excerpt}`: the review queue's detail views. */
export function reviewApiRoutes(deps: ReviewRoutesDeps): FastifyPluginAsync {
  const readGuard = (request: FastifyRequest) => {
    if (!deps.anonymousApiRead) requireRole(request.principal, 'reader', 'read the API');
  };
  const refOf = (params: VersionParams['Params']) => ({
    ecosystem: 'npm' as const,
    name: packageNameFromPath(params.name).name,
    version: params.version.slice(0, 256),
  });
  return async (app) => {
    app.get<VersionParams>('/packages/:name/versions/:version/diff', async (request) => {
      readGuard(request);
      return deps.views.diff(refOf(request.params));
    });
    app.get<VersionParams>('/packages/:name/versions/:version/excerpt', async (request) => {
      readGuard(request);
      const q = parseInput(excerptQuery, request.query, 'excerpt query');
      return deps.views.excerpt(refOf(request.params), q.file, q.line, q.context);
    });
  };
}
