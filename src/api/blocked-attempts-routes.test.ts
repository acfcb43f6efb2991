import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlockedAttemptStore } from '../gate/blocked-attempts.js';
import { createTestDatabase, type TestDatabase } from '../store/test-support/databases.js';
import { blockedAttemptsApiRoutes } from './blocked-attempts-routes.js';
import { apiServer, as } from './test-support/api-server.js';

describe('GET /api/v1/blocked-attempts', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let store: BlockedAttemptStore;
  beforeEach(async () => {
    t = await createTestDatabase('sqlite');
    store = new BlockedAttemptStore(t.database);
    await store.add(
      ['2026-01-01T00:00:00.000Z', '2026-01-03T00:00:00.000Z'].map((at, i) => ({
        ref: { ecosystem: 'npm' as const, name: i === 0 ? 'old-pkg' : '@acme/new', version: '1.0.0' },
        principal: 'ci',
        clientIp: '127.0.0.1',
        userAgent: 'npm/10',
        reason: 'held for review',
        attempts: 2,
        firstAt: at,
        lastAt: at,
      })),
    );
    app = await apiServer(blockedAttemptsApiRoutes({ attempts: store, anonymousApiRead: false }));
  });
  afterEach(async () => {
    await app.close();
    await t.dispose();
  });

  it('lists attempts newest first to readers, with who, what, when and why', async () => {
    const response = await app.inject({ url: '/api/v1/blocked-attempts', headers: as('reader-token') });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      attempts: [
        {
          ecosystem: 'npm',
          name: '@acme/new',
          version: '1.0.0',
          principal: 'ci',
          clientIp: '127.0.0.1',
          userAgent: 'npm/10',
          reason: 'held for review',
          attempts: 2,
          firstAt: '2026-01-03T00:00:00.000Z',
          lastAt: '2026-01-03T00:00:00.000Z',
        },
        expect.objectContaining({ name: 'old-pkg' }),
      ],
    });
  });

  it('filters by since (any offset) and name, and bounds limit', async () => {
    const get = (query: string) =>
      app.inject({ url: `/api/v1/blocked-attempts?${query}`, headers: as('reader-token') });
    const since = await get('since=2026-01-02T01:00:00%2B01:00');
    expect(since.json<{ attempts: { name: string }[] }>().attempts.map((a) => a.name)).toEqual(['@acme/new']);
    expect((await get('name=old-pkg&limit=1')).json<{ attempts: unknown[] }>().attempts).toHaveLength(1);
    for (const bad of ['limit=0', 'limit=501', 'since=yesterday', `name=${'a'.repeat(215)}`, 'other=1']) {
      const response = await get(bad);
      expect(response.statusCode, bad).toBe(400);
      expect(response.json(), bad).toMatchObject({ code: 'BAD_REQUEST' });
    }
  });

  it('refuses anonymous callers unless anonymous API reads are on', async () => {
    expect((await app.inject({ url: '/api/v1/blocked-attempts' })).statusCode).toBe(401);
    const open = await apiServer(blockedAttemptsApiRoutes({ attempts: store, anonymousApiRead: true }));
    expect((await open.inject({ url: '/api/v1/blocked-attempts' })).statusCode).toBe(200);
    await open.close();
  });
});
