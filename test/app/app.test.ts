import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { request } from 'undici';
import { createApp, type AirlockApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/load.js';
import { isAirlockError } from '../../src/errors.js';
import { dropSchema, testPostgresUrl } from '../../src/store/test-support/databases.js';

const silent = pino({ level: 'silent' });
const opened: AirlockApp[] = [];

async function start(env: Record<string, string> = {}): Promise<{ app: AirlockApp; url: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'airlock-app-'));
  const config = loadConfig({
    env: { AIRLOCK_DATA_DIR: dataDir, AIRLOCK_SERVER_PORT: '0', AIRLOCK_SERVER_HOST: '127.0.0.1', ...env },
  });
  const app = await createApp(config, { logger: silent });
  opened.push(app);
  const url = await app.listen();
  return { app, url: url.replace('localhost', '127.0.0.1') };
}

async function get(url: string, token?: string) {
  const response = await request(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    text,
    json: () => JSON.parse(text) as unknown,
  };
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((app) => app.close()));
});

describe('airlock serve on the embedded defaults', () => {
  it('answers health, readiness and Prometheus metrics', async () => {
    const { url } = await start();
    expect((await get(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await get(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', blobs: 'ok', policy: 'ok' } });
    const metrics = await get(`${url}/metrics`);
    expect(metrics.text).toMatch(
      /airlock_http_requests_total\{method="GET",route="\/readyz",status="200"\} 1/,
    );
    expect(metrics.text).toContain('airlock_http_request_duration_seconds_bucket');
    expect(metrics.text).toContain('# TYPE airlock_job_queue_depth gauge');
  });

  it('reports not ready, naming the check, when the database is gone', async () => {
    const { app, url } = await start();
    await app.database.close();
    const ready = await get(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect((ready.json() as { checks: Record<string, string> }).checks.database).not.toBe('ok');
  });

  it('echoes a sane request id and replaces a hostile one', async () => {
    const { url } = await start();
    const echoed = await request(`${url}/healthz`, { headers: { 'x-request-id': 'build-42' } });
    await echoed.body.dump();
    expect(echoed.headers['x-request-id']).toBe('build-42');
    const replaced = await request(`${url}/healthz`, { headers: { 'x-request-id': 'a b <script>' } });
    await replaced.body.dump();
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps the API closed to anonymous callers and enforces roles', async () => {
    const { app, url } = await start();
    expect((await get(`${url}/api/v1/audit`)).status).toBe(401);
    expect((await get(`${url}/api/v1/whoami`)).json()).toEqual({ name: 'anonymous', role: 'anonymous' });
    expect((await get(`${url}/api/v1/audit`, 'airlock_not-a-real-token')).status).toBe(401);

    const admin = await app.tokens.create({ name: 'root', role: 'admin', createdBy: 'test' });
    const reader = await app.tokens.create({ name: 'ci', role: 'reader', createdBy: 'test' });
    expect((await get(`${url}/api/v1/whoami`, admin.token)).json()).toEqual({ name: 'root', role: 'admin' });
    expect((await get(`${url}/api/v1/audit`, reader.token)).status).toBe(200);
    const forbidden = await get(`${url}/api/v1/tokens`, reader.token);
    expect(forbidden.status).toBe(403);
    expect(forbidden.json()).toMatchObject({ code: 'FORBIDDEN' });

    const created = await request(`${url}/api/v1/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'deploy', role: 'publisher' }),
    });
    expect(created.statusCode).toBe(201);
    const body = (await created.body.json()) as { token: string; role: string };
    expect(body.role).toBe('publisher');
    expect((await get(`${url}/api/v1/whoami`, body.token)).json()).toEqual({
      name: 'deploy',
      role: 'publisher',
    });

    const events = (await get(`${url}/api/v1/audit`, admin.token)).json() as { events: { action: string }[] };
    expect(events.events.map((e) => e.action)).toContain('token.create');
    expect((await get(`${url}/api/v1/audit/verify`, admin.token)).json()).toMatchObject({ intact: true });
  });

  it('opens the API to anonymous reads when configured', async () => {
    const { url } = await start({ AIRLOCK_AUTH_ANONYMOUS_API_READ: 'true' });
    expect((await get(`${url}/api/v1/audit`)).status).toBe(200);
    expect((await get(`${url}/api/v1/tokens`)).status).toBe(401);
  });

  it('bounds request bodies', async () => {
    const { app, url } = await start({ AIRLOCK_SERVER_BODY_LIMIT_BYTES: '1024' });
    const admin = await app.tokens.create({ name: 'root', role: 'admin', createdBy: 'test' });
    const response = await request(`${url}/api/v1/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(5000), role: 'reader' }),
    });
    expect(response.statusCode).toBe(413);
    expect(await response.body.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('rejects malformed API input with the field named', async () => {
    const { app, url } = await start();
    const admin = await app.tokens.create({ name: 'root', role: 'admin', createdBy: 'test' });
    const response = await request(`${url}/api/v1/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', role: 'emperor' }),
    });
    expect(response.statusCode).toBe(400);
    expect(await response.body.json()).toMatchObject({
      code: 'BAD_REQUEST',
      error: expect.stringMatching(/role/) as string,
    });
  });
});

describe('start-up failures leave nothing half-initialised', () => {
  it('names the port that is in use', async () => {
    const first = await start();
    const port = new URL(first.url).port;
    const dataDir = mkdtempSync(join(tmpdir(), 'airlock-app-'));
    const second = await createApp(
      loadConfig({
        env: { AIRLOCK_DATA_DIR: dataDir, AIRLOCK_SERVER_PORT: port, AIRLOCK_SERVER_HOST: '127.0.0.1' },
      }),
      { logger: silent },
    );
    const error = await second.listen().catch((e: unknown) => e);
    await second.close();
    expect(isAirlockError(error, 'PORT_IN_USE')).toBe(true);
    expect((error as Error).message).toContain(`port ${port} is in use`);
  });

  it('names a data directory that cannot be written', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'airlock-app-')), 'not-a-dir');
    writeFileSync(file, '');
    const error = await createApp(loadConfig({ env: { AIRLOCK_DATA_DIR: join(file, 'data') } }), {
      logger: silent,
    }).catch((e: unknown) => e);
    expect(isAirlockError(error, 'DATA_DIR_UNWRITABLE')).toBe(true);
    expect((error as Error).message).toMatch(/not-a-dir\/data is not writable/);
  });

  it('names a database that does not answer', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'airlock-app-'));
    const error = await createApp(
      loadConfig({
        env: { AIRLOCK_DATA_DIR: dataDir, AIRLOCK_DATABASE_URL: 'postgres://airlock@127.0.0.1:1/airlock' },
      }),
      { logger: silent },
    ).catch((e: unknown) => e);
    expect(isAirlockError(error, 'DATABASE_UNREACHABLE')).toBe(true);
  });
});

describe('two servers on one PostgreSQL database', () => {
  it('share state: a token made through one authenticates on the other', async () => {
    const schema = `t_app_${Date.now().toString(36)}`;
    const env = { AIRLOCK_DATABASE_URL: testPostgresUrl, AIRLOCK_DATABASE_SCHEMA: schema };
    try {
      const [one, two] = await Promise.all([start(env), start(env)]);
      const admin = await one.app.tokens.create({ name: 'root', role: 'admin', createdBy: 'test' });
      expect((await get(`${two.url}/api/v1/whoami`, admin.token)).json()).toEqual({
        name: 'root',
        role: 'admin',
      });
      expect((await get(`${two.url}/readyz`)).status).toBe(200);
      const events = (await get(`${two.url}/api/v1/audit`, admin.token)).json() as { events: unknown[] };
      expect(events.events).toHaveLength(1);
    } finally {
      await Promise.all(opened.splice(0).map((app) => app.close()));
      await dropSchema(schema);
    }
  });
});
