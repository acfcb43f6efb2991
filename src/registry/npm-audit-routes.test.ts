import { gzipSync } from 'node:zlib';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../config/load.js';
import { createHttpServer } from '../http/server.js';
import { npmAuditRoutes } from './npm-audit-routes.js';

describe('npm audit routes', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await createHttpServer({
      config: loadConfig({ env: {} }),
      logger: pino({ level: 'silent' }),
      authenticator: {
        authenticate: async (token) => (token === 'good' ? { name: 'ci', role: 'reader' } : undefined),
      },
      readiness: [],
      routes: [
        {
          prefix: '/npm',
          plugin: npmAuditRoutes({
            advisories: { matchAdvisories: async () => [] },
            anonymousRead: false,
            maxBodyBytes: 1024,
          }),
        },
      ],
    });
  });
  afterAll(async () => app.close());

  const post = (headers: Record<string, string>, payload: string | Buffer) =>
    app.inject({
      method: 'POST',
      url: '/npm/-/npm/v1/security/advisories/bulk',
      headers: { 'content-type': 'application/json', ...headers },
      payload,
    });

  it('needs a reader token when anonymous reads are off', async () => {
    expect((await post({}, '{}')).statusCode).toBe(401);
    const ok = await post({ authorization: 'Bearer good' }, JSON.stringify({ lodash: ['1.0.0'] }));
    expect([ok.statusCode, ok.json()]).toEqual([200, {}]);
  });

  it('limits the inflated body size and refuses unknown encodings', async () => {
    const bomb = gzipSync(Buffer.from(JSON.stringify({ a: ['1'.repeat(4096)] })));
    expect(bomb.length).toBeLessThan(1024);
    expect((await post({ authorization: 'Bearer good', 'content-encoding': 'gzip' }, bomb)).statusCode).toBe(
      413,
    );
    const br = await post({ authorization: 'Bearer good', 'content-encoding': 'br' }, '{}');
    expect([br.statusCode, br.json<{ code: string }>().code]).toEqual([400, 'BAD_REQUEST']);
  });
});
