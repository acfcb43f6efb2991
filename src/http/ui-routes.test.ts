import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { testHttpServer } from './test-support/test-server.js';
import { uiRoutes } from './ui-routes.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function serve(dir: string): Promise<FastifyInstance> {
  app = await testHttpServer([{ prefix: '', plugin: uiRoutes({ dir }) }]);
  return app;
}

function builtUi(): string {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-ui-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Airlock</title>');
  writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log(1);');
  writeFileSync(join(dir, 'secret.txt'), 'not an asset');
  return dir;
}

describe('dashboard static routes', () => {
  it('serves index.html at / with the CSP, nosniff and no caching', async () => {
    const server = await serve(builtUi());
    const response = await server.inject({ url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('<!doctype html><title>Airlock</title>');
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['cache-control']).toBe('no-cache');
  });

  it('serves hashed assets with their type and refuses anything outside assets/', async () => {
    const server = await serve(builtUi());
    const js = await server.inject({ url: '/assets/index-abc.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toBe('console.log(1);');
    for (const url of ['/assets/..%2Fsecret.txt', '/assets/%2E%2E%2Findex.html', '/assets/.hidden.js']) {
      const response = await server.inject({ url });
      expect(response.statusCode, url).toBe(404);
      expect(response.body).not.toContain('not an asset');
    }
    expect((await server.inject({ url: '/secret.txt' })).statusCode).toBe(404);
    expect((await server.inject({ url: '/assets/missing.js' })).statusCode).toBe(404);
  });

  it('says clearly that the UI is not built when ui/dist is missing', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'airlock-ui-')), 'dist');
    const server = await serve(dir);
    const response = await server.inject({ url: '/' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      error: `the dashboard is not built (${join(dir, 'index.html')} is missing); run \`npm run build\``,
      code: 'UI_NOT_BUILT',
    });
  });
});
