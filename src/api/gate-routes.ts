import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requireRole } from '../auth/require-role.js';
import type { Gate } from '../gate/gate.js';
import type { GateVersion } from '../gate/gate-store.js';
import type { NpmRegistry } from '../registry/npm-registry.js';
import { packageNameFromPath } from '../registry/package-name.js';
import { AirlockError } from '../errors.js';
import { parseInput } from './core-routes.js';

export interface GateRoutesDeps {
  readonly gate: Gate;
  readonly registry: NpmRegistry;
  readonly anonymousApiRead: boolean;
}

const reasonBody = z.strictObject({ reason: z.string().min(1).max(2000) });
const component = z.strictObject({
  ecosystem: z.literal('npm'),
  name: z.string().min(1).max(214),
  version: z.string().min(1).max(256),
});
const componentsBody = z.strictObject({ components: z.array(component).max(20_000) });

/** The shape the CLI and dashboard get for one version. */
export function versionView(v: GateVersion) {
  return {
    ecosystem: v.ref.ecosystem,
    name: v.ref.name,
    version: v.ref.version,
    state: v.state,
    publishedAt: v.publishedAt,
    decision: v.decision,
    findings: v.findings,
    facts: v.facts,
    reevaluateAt: v.reevaluateAt,
    baseline: v.baseline,
    updatedAt: v.updatedAt,
  };
}

/** `/api/v1`: package and version status, manual decisions, the review queue, gate checks and imports. */
export function gateApiRoutes(deps: GateRoutesDeps): FastifyPluginAsync {
  const readGuard = (request: FastifyRequest) => {
    if (!deps.anonymousApiRead) requireRole(request.principal, 'reader', 'read the API');
  };
  return async (app) => {
    app.get<{ Params: { name: string } }>('/packages/:name', async (request) => {
      readGuard(request);
      const { name } = packageNameFromPath(request.params.name);
      const versions = await deps.gate.store.versions('npm', name);
      if (versions.length === 0)
        throw new AirlockError('NOT_FOUND', `Airlock has not evaluated any version of ${name}`);
      return { ecosystem: 'npm', name, versions: versions.map(versionView) };
    });

    app.get<{ Params: { name: string; version: string } }>(
      '/packages/:name/versions/:version',
      async (request) => {
        readGuard(request);
        const { name } = packageNameFromPath(request.params.name);
        const version = await deps.gate.store.version({
          ecosystem: 'npm',
          name,
          version: request.params.version,
        });
        if (!version)
          throw new AirlockError('NOT_FOUND', `${name}@${request.params.version} is not known to Airlock`);
        return versionView(version);
      },
    );

    for (const action of ['approve', 'reject'] as const) {
      app.post<{ Params: { name: string; version: string } }>(
        `/packages/:name/versions/:version/${action}`,
        async (request) => {
          requireRole(request.principal, 'reviewer', `${action} versions`);
          const { reason } = parseInput(reasonBody, request.body, `${action} request`);
          const { name } = packageNameFromPath(request.params.name);
          const ref = { ecosystem: 'npm' as const, name, version: request.params.version };
          if (!(await deps.gate.store.version(ref))) {
            // A reviewer may decide a version before anyone asked for it: put it in the gate first.
            await requestVersion(deps, name, ref.version);
          }
          return versionView(await deps.gate.decideByHand(ref, action, request.principal.name, reason));
        },
      );
    }

    app.get('/review-queue', async (request) => {
      readGuard(request);
      const held = await deps.gate.store.listByState('review');
      return { items: held.map(versionView) };
    });

    app.post('/gate/check', async (request) => {
      readGuard(request);
      const { components } = parseInput(componentsBody, request.body, 'gate check');
      const results = [];
      for (const c of components) {
        const v = await deps.gate.store.version(c);
        results.push({ ...c, state: v?.state ?? 'unknown', reasons: v?.decision?.reasons ?? [] });
      }
      return { results };
    });

    app.post('/gate/import', async (request) => {
      requireRole(request.principal, 'reviewer', 'import a lockfile baseline');
      const { components } = parseInput(componentsBody, request.body, 'import');
      const problems: { name: string; version: string; error: string }[] = [];
      // A few packuments at a time: a lockfile names hundreds of packages, the upstream is far away.
      let next = 0;
      const lane = async () => {
        for (let c = components[next++]; c; c = components[next++]) {
          try {
            await requestVersion(deps, c.name, c.version, true);
          } catch (error) {
            problems.push({
              name: c.name,
              version: c.version,
              error: error instanceof Error ? error.message : String(error),
            });
          }
        }
      };
      await Promise.all(Array.from({ length: 8 }, lane));
      return { queued: components.length - problems.length, problems };
    });
  };
}

async function requestVersion(
  deps: GateRoutesDeps,
  name: string,
  version: string,
  baseline = false,
): Promise<void> {
  const loaded = await deps.registry.loadOrNotFound(name, { prefetch: !baseline });
  const entry = loaded.packument.versions.get(version);
  if (!entry) throw new AirlockError('NOT_FOUND', `${name}@${version} does not exist upstream`);
  await deps.gate.request(
    { ecosystem: 'npm', name, version },
    { integrity: entry.integrity, publishedAt: entry.publishedAt, baseline },
  );
}
