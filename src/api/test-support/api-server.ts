import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { testHttpServer } from '../../http/test-support/test-server.js';

export { as, testPrincipals } from '../../http/test-support/test-server.js';

/** The real HTTP server (auth hook, error mapping) with only the given route groups under /api/v1. */
export function apiServer(...plugins: FastifyPluginAsync[]): Promise<FastifyInstance> {
  return testHttpServer(plugins.map((plugin) => ({ prefix: '/api/v1', plugin })));
}
