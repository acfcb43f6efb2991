import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import type { Principal } from '../../auth/principal.js';
import { createHttpServer, type HttpServerDeps } from '../server.js';

/** Tokens the route tests send, one per role. */
export const testPrincipals: Readonly<Record<string, Principal>> = {
  'reader-token': { name: 'rita', role: 'reader' },
  'reviewer-token': { name: 'rev', role: 'reviewer' },
  'admin-token': { name: 'root', role: 'admin' },
};

/** `Authorization` header for a test token (none for anonymous). */
export const as = (token: string | undefined): Record<string, string> =>
  token ? { authorization: `Bearer ${token}` } : {};

/** The real HTTP server (auth hook, error mapping, headers) with only the given route groups. */
export function testHttpServer(routes: HttpServerDeps['routes']): Promise<FastifyInstance> {
  return createHttpServer({
    config: {
      server: {
        host: '127.0.0.1',
        port: 0,
        bodyLimitBytes: 1 << 20,
        requestTimeoutMs: 10_000,
        headersTimeoutMs: 10_000,
        shutdownTimeoutMs: 1000,
        trustProxy: false,
      },
    },
    logger: pino({ level: 'silent' }),
    authenticator: { authenticate: async (token) => testPrincipals[token] },
    readiness: [],
    routes,
  });
}
