import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ManualClock } from '../core/clock.js';
import { SqlAuditLog } from '../audit/audit-log-sql.js';
import { createTestDatabase, type TestDatabase } from '../store/test-support/databases.js';
import { compilePolicy, inMemoryVersionSource, PolicySource, SqlWaiverStore } from '../policy/index.js';
import { policyApiRoutes } from './policy-routes.js';
import { apiServer, as } from './test-support/api-server.js';

describe('policy API routes', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  const clock = new ManualClock('2027-01-01T00:00:00.000Z');
  beforeEach(async () => {
    t = await createTestDatabase('sqlite');
    const audit = new SqlAuditLog(t.database, clock);
    const stored = inMemoryVersionSource([
      {
        ref: { ecosystem: 'npm', name: 'demo', version: '1.0.0' },
        state: 'review',
        facts: { publishedAt: '2026-01-01T00:00:00.000Z', hasInstallScripts: true },
        findings: [],
      },
    ]);
    app = await apiServer(
      policyApiRoutes({
        config: { auth: { anonymousApiRead: false } },
        policy: new PolicySource(() => compilePolicy()),
        waivers: new SqlWaiverStore(t.database, audit, clock),
        storedVersions: stored,
        clock,
      }),
    );
  });
  afterEach(async () => {
    await app.close();
    await t.dispose();
  });

  it('shows the running policy to readers only', async () => {
    expect((await app.inject({ url: '/api/v1/policy' })).statusCode).toBe(401);
    const view = await app.inject({ url: '/api/v1/policy', headers: as('reader-token') });
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({
      source: '(default)',
      digest: compilePolicy().digest,
      mode: 'enforce',
    });
  });

  it('dry-runs a stored version, then lets a reviewer waive the rule that held it', async () => {
    const test = () =>
      app.inject({
        method: 'POST',
        url: '/api/v1/policy/test',
        headers: as('reader-token'),
        payload: { name: 'demo', version: '1.0.0' },
      });
    expect((await test()).json()).toMatchObject({ action: 'review', reasons: [{ rule: 'install-scripts' }] });
    const denied = await app.inject({
      method: 'POST',
      url: '/api/v1/waivers',
      headers: as('reader-token'),
      payload: { name: 'demo', rule: 'install-scripts', until: '2027-02-01', reason: 'native' },
    });
    expect(denied.statusCode).toBe(403);
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/waivers',
      headers: as('reviewer-token'),
      payload: { name: 'demo', rule: 'install-scripts', until: '2027-02-01', reason: 'native' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      name: 'demo',
      range: '*',
      createdBy: 'rev',
      until: '2027-02-02T00:00:00.000Z',
    });
    expect((await test()).json()).toMatchObject({
      action: 'approve',
      reevaluateAt: '2027-02-02T00:00:00.000Z',
    });
    const listed = await app.inject({ url: '/api/v1/waivers?name=demo', headers: as('reader-token') });
    expect(listed.json<{ waivers: unknown[] }>().waivers).toHaveLength(1);
    const id = created.json<{ id: number }>().id;
    const removed = await app.inject({
      method: 'DELETE',
      url: `/api/v1/waivers/${id}?reason=done`,
      headers: as('reviewer-token'),
    });
    expect(removed.statusCode).toBe(200);
    expect((await test()).json()).toMatchObject({ action: 'review' });
  });

  it('answers 400 for a bad waiver and 404 for an unknown version', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/waivers',
      headers: as('reviewer-token'),
      payload: { name: 'demo', rule: 'nope', until: '2027-02-01', reason: 'x' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      code: 'BAD_REQUEST',
      error: expect.stringMatching(/^unknown rule "nope"/) as unknown,
    });
    const missing = await app.inject({
      method: 'POST',
      url: '/api/v1/policy/test',
      headers: as('reader-token'),
      payload: { name: 'ghost', version: '1.0.0' },
    });
    expect(missing.statusCode).toBe(404);
  });
});
