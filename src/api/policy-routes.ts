import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AirlockConfig } from '../config/schema.js';
import { AirlockError } from '../errors.js';
import { requireRole } from '../auth/require-role.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { PackageVersionRef } from '../core/package-ref.js';
import {
  evaluate,
  factsSchema,
  findingsSchema,
  type CompiledPolicy,
  type StoredVersionSource,
  type WaiverStore,
} from '../policy/index.js';
import { parseInput } from './core-routes.js';

export interface PolicyRoutesDeps {
  readonly config: Pick<AirlockConfig, 'auth'>;
  /** The running policy (a PolicySource): its last reload error is shown in the policy view. */
  readonly policy: { current(): CompiledPolicy; lastError?(): Error | undefined };
  readonly waivers: WaiverStore;
  /** What the gate stored, so `policy/test` can decide on stored facts and findings. */
  readonly storedVersions?: Pick<StoredVersionSource, 'get'>;
  readonly clock?: Clock;
}

const testBody = z.strictObject({
  ecosystem: z.enum(['npm', 'pypi']).default('npm'),
  name: z.string().min(1).max(214),
  version: z.string().min(1).max(256),
  facts: factsSchema.optional(),
  findings: findingsSchema.optional(),
  origin: z.enum(['upstream', 'private']).optional(),
});

const waiverBody = z.strictObject({
  ecosystem: z.enum(['npm', 'pypi']).default('npm'),
  name: z.string().min(1).max(214),
  range: z.string().min(1).max(256).default('*'),
  rule: z.string().min(1).max(64),
  until: z.string().min(1).max(64),
  reason: z.string().min(1).max(1000),
});

const waiverQuery = z.strictObject({
  name: z.string().min(1).max(214).optional(),
  ecosystem: z.enum(['npm', 'pypi']).optional(),
  all: z.enum(['true', 'false']).optional(),
});

const removeQuery = z.strictObject({ reason: z.string().max(1000).optional() });

/** `/api/v1`: the policy view, a dry-run decision, and waivers (reviewers write them). */
export function policyApiRoutes(deps: PolicyRoutesDeps): FastifyPluginAsync {
  const clock = deps.clock ?? systemClock;
  const readGuard = (request: FastifyRequest) => {
    if (!deps.config.auth.anonymousApiRead) requireRole(request.principal, 'reader', 'read the API');
  };

  return async (app) => {
    app.get('/policy', async (request) => {
      readGuard(request);
      const policy = deps.policy.current();
      const lastError = deps.policy.lastError?.();
      return {
        source: policy.source,
        digest: policy.digest,
        mode: policy.rules.mode,
        rules: policy.rules,
        ...(lastError ? { lastError: lastError.message } : {}),
      };
    });

    app.post('/policy/test', async (request) => {
      readGuard(request);
      const body = parseInput(testBody, request.body, 'policy test');
      const ref: PackageVersionRef = { ecosystem: body.ecosystem, name: body.name, version: body.version };
      const stored = await deps.storedVersions?.get(ref);
      if (!stored && body.facts === undefined && body.findings === undefined) {
        throw new AirlockError(
          'NOT_FOUND',
          `${body.name}@${body.version} is not stored; send facts and findings to try it`,
        );
      }
      const origin = body.origin ?? stored?.origin;
      return evaluate({
        ref,
        facts: body.facts ?? stored?.facts ?? {},
        findings: body.findings ?? stored?.findings ?? [],
        policy: deps.policy.current(),
        waivers: await deps.waivers.activeFor(ref),
        now: clock.now(),
        ...(origin ? { origin } : {}),
      });
    });

    app.get('/waivers', async (request) => {
      readGuard(request);
      const query = parseInput(waiverQuery, request.query, 'waiver query');
      return {
        waivers: await deps.waivers.list({
          ...(query.name ? { name: query.name } : {}),
          ...(query.ecosystem ? { ecosystem: query.ecosystem } : {}),
          includeExpired: query.all === 'true',
        }),
      };
    });

    app.post('/waivers', async (request, reply) => {
      requireRole(request.principal, 'reviewer', 'waive policy rules');
      const body = parseInput(waiverBody, request.body, 'waiver');
      const waiver = await deps.waivers.add(body, request.principal.name);
      return reply.status(201).send(waiver);
    });

    app.delete<{ Params: { id: string } }>('/waivers/:id', async (request) => {
      requireRole(request.principal, 'reviewer', 'remove waivers');
      if (!/^\d{1,15}$/.test(request.params.id)) {
        throw new AirlockError(
          'BAD_REQUEST',
          `waiver id must be a number, not "${request.params.id.slice(0, 40)}"`,
        );
      }
      const query = parseInput(removeQuery, request.query, 'waiver removal');
      return deps.waivers.remove(Number(request.params.id), request.principal.name, query.reason);
    });
  };
}
