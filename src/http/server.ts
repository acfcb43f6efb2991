import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { AirlockConfig } from '../config/schema.js';
import type { TokenAuthenticator } from '../auth/authenticator.js';
import { registerPrincipalHook } from './principal-hook.js';
import { HttpMetrics } from './metrics.js';
import { handleError } from './errors.js';
import type { JobQueue } from '../store/ports.js';

/** A named readiness check; /readyz answers 503 naming the first one that fails. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
}

export interface HttpServerDeps {
  readonly config: Pick<AirlockConfig, 'server'>;
  readonly logger: FastifyBaseLogger;
  readonly authenticator: TokenAuthenticator;
  readonly readiness: readonly ReadinessCheck[];
  readonly jobs?: Pick<JobQueue, 'depth'>;
  /** Route groups (npm, api, ui…), each registered under its own prefix. */
  readonly routes: readonly { readonly prefix: string; readonly plugin: FastifyPluginAsync }[];
}

const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/** Builds the Fastify instance: limits, request ids, auth, health, metrics and the route groups. */
export async function createHttpServer(deps: HttpServerDeps): Promise<FastifyInstance> {
  const { server } = deps.config;
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: server.bodyLimitBytes,
    requestTimeout: server.requestTimeoutMs,
    connectionTimeout: server.requestTimeoutMs,
    keepAliveTimeout: 65_000,
    trustProxy: server.trustProxy,
    return503OnClosing: true,
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && requestIdPattern.test(incoming) ? incoming : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1024 },
  });
  // Slow clients may not hold a connection open by trickling headers.
  app.server.headersTimeout = server.headersTimeoutMs;

  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    void reply
      .status(404)
      .send({ error: `no route for ${request.method} ${request.url.split('?')[0]}`, code: 'NOT_FOUND' });
  });

  registerPrincipalHook(app, deps.authenticator);
  const metrics = new HttpMetrics(deps.jobs);
  metrics.register(app);

  app.get('/healthz', { logLevel: 'warn' }, (_request, reply) => reply.send({ status: 'ok' }));
  app.get('/readyz', { logLevel: 'warn' }, async (_request, reply) => {
    const results: Record<string, string> = {};
    let ready = true;
    for (const check of deps.readiness) {
      try {
        await check.check();
        results[check.name] = 'ok';
      } catch (error) {
        ready = false;
        results[check.name] = error instanceof Error ? error.message : String(error);
      }
    }
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks: results });
  });
  app.get('/metrics', { logLevel: 'warn' }, async (_request, reply) => {
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });

  for (const group of deps.routes) await app.register(group.plugin, { prefix: group.prefix });
  return app;
}
