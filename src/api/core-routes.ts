import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AirlockConfig } from '../config/schema.js';
import { AirlockError } from '../errors.js';
import { requireRole } from '../auth/require-role.js';
import { roles, type Role } from '../auth/principal.js';
import type { AuditLog } from '../store/ports.js';
import type { TokenRecord } from '../auth/tokens.js';

/** What the core routes need of the token store (admin token management). */
export interface TokenAdmin {
  create(input: {
    name: string;
    role: Role;
    createdBy: string;
  }): Promise<{ token: string; record: TokenRecord }>;
  list(): Promise<TokenRecord[]>;
  revoke(idOrName: string | number, revokedBy?: string): Promise<TokenRecord>;
}

export interface CoreRoutesDeps {
  readonly config: Pick<AirlockConfig, 'auth'>;
  readonly tokens: TokenAdmin;
  readonly audit: AuditLog;
}

const createTokenBody = z.strictObject({
  name: z.string().min(1).max(100),
  role: z.enum(roles),
});

const auditQuery = z.strictObject({
  actor: z.string().max(200).optional(),
  action: z.string().max(200).optional(),
  subject: z.string().max(500).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Parses a request part with zod; a failure is a 400 naming the field. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.join('.') ?? '';
  throw new AirlockError(
    'BAD_REQUEST',
    `invalid ${what}${path ? ` field ${path}` : ''}: ${issue?.message ?? 'invalid'}`,
  );
}

/** `/api/v1`: who am I, tokens (admin) and the audit log (reader). */
export function coreApiRoutes(deps: CoreRoutesDeps): FastifyPluginAsync {
  const readGuard = (request: FastifyRequest) => {
    if (!deps.config.auth.anonymousApiRead) requireRole(request.principal, 'reader', 'read the API');
  };

  return async (app) => {
    app.get('/whoami', (request, reply) =>
      reply.send({ name: request.principal.name, role: request.principal.role }),
    );

    app.get('/tokens', async (request) => {
      requireRole(request.principal, 'admin', 'list tokens');
      return { tokens: await deps.tokens.list() };
    });
    app.post('/tokens', async (request, reply) => {
      requireRole(request.principal, 'admin', 'create tokens');
      const body = parseInput(createTokenBody, request.body, 'token request');
      const created = await deps.tokens.create({ ...body, createdBy: request.principal.name });
      return reply.status(201).send({ token: created.token, ...created.record });
    });
    app.delete<{ Params: { id: string } }>('/tokens/:id', async (request) => {
      requireRole(request.principal, 'admin', 'revoke tokens');
      const id = /^\d+$/.test(request.params.id) ? Number(request.params.id) : request.params.id;
      return deps.tokens.revoke(id, request.principal.name);
    });

    app.get('/audit', async (request) => {
      readGuard(request);
      const query = parseInput(auditQuery, request.query, 'audit query');
      const events = await deps.audit.list({
        ...(query.actor ? { actor: query.actor } : {}),
        ...(query.action ? { action: query.action } : {}),
        ...(query.subject ? { subjectPrefix: query.subject } : {}),
        ...(query.before ? { beforeId: query.before } : {}),
        limit: query.limit,
      });
      return { events };
    });
    app.get('/audit/verify', async (request) => {
      readGuard(request);
      return deps.audit.verify();
    });
  };
}
