import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, runClient } from '../support/clients.js';
import { startAirlock, type RunningAirlock } from '../support/airlock-server.js';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js';
import { fixturePackages } from './fixtures.js';

let upstream: FakeUpstream;
let airlock: RunningAirlock;
let registry: string;

beforeAll(async () => {
  upstream = await startFakeUpstream(fixturePackages);
  airlock = await startAirlock(upstream.url, { 'registry.privateScopes': ['@acme'] });
  registry = `${airlock.url}/npm/`;
});
afterAll(async () => {
  await airlock.close();
  await upstream.close();
});

const installedVersion = (dir: string, name: string) =>
  (JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string })
    .version;

describe('real clients through Airlock', () => {
  it('npm installs approved versions, falling back from a too-young latest, scoped packages included', async () => {
    const dir = makeProject(registry, { 'airlock-ok': '^1.0.0', '@fixture/scoped': '^2.0.0' });
    const result = await runClient('npm', ['install'], dir);
    expect(result.stderr).not.toMatch(/ERR!/);
    expect(result.code).toBe(0);
    expect(installedVersion(dir, 'airlock-ok')).toBe('1.1.0');
    expect(installedVersion(dir, '@fixture/scoped')).toBe('2.0.0');
    const lock = readFileSync(join(dir, 'package-lock.json'), 'utf8');
    expect(lock).not.toContain(upstream.url);

    // npm ci from the lockfile works the same way.
    const ci = await runClient('npm', ['ci'], dir);
    expect(ci.code).toBe(0);
  });

  it('npm prints Airlock’s reason when a version is held for review', async () => {
    const dir = makeProject(registry, { 'airlock-scripted': '1.0.0' });
    const result = await runClient('npm', ['install'], dir);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('airlock-scripted@1.0.0 is blocked by Airlock: runs install scripts');
  });

  it('rejects a tarball whose bytes do not match the packument, and never serves it', async () => {
    const dir = makeProject(registry, { 'airlock-corrupt': '1.0.0' });
    const result = await runClient('npm', ['install'], dir);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('airlock-corrupt@1.0.0 is blocked by Airlock');
    const status = await request(`${airlock.url}/npm/airlock-corrupt/-/airlock-corrupt-1.0.0.tgz`);
    expect(status.statusCode).toBe(403);
    expect(((await status.body.json()) as { error: string }).error).toMatch(/does not match the packument/);
  });

  it('pnpm installs approved versions', async () => {
    const dir = makeProject(registry, { 'airlock-ok': '^1.0.0', '@fixture/scoped': '2.0.0' });
    const result = await runClient('pnpm', ['install', '--config.node-linker=hoisted'], dir);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(installedVersion(dir, 'airlock-ok')).toBe('1.1.0');
  });

  it('pnpm shows Airlock’s reason for a blocked version', async () => {
    const dir = makeProject(registry, { 'airlock-scripted-too': '1.0.0' });
    const result = await runClient('pnpm', ['install'], dir);
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain('airlock-scripted-too@1.0.0 is blocked by Airlock');
  });

  it('yarn berry installs approved versions', async () => {
    const dir = makeProject(registry, { 'airlock-ok': '^1.0.0', '@fixture/scoped': '2.0.0' });
    writeFileSync(join(dir, 'yarn.lock'), '');
    const result = await runClient('yarn', ['install'], dir);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(installedVersion(dir, 'airlock-ok')).toBe('1.1.0');
  });

  it('bun installs approved versions', async () => {
    const dir = makeProject(registry, { 'airlock-ok': '^1.0.0', '@fixture/scoped': '2.0.0' });
    const result = await runClient('bun', ['install', '--no-save', '--ignore-scripts'], dir);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(installedVersion(dir, 'airlock-ok')).toBe('1.1.0');
    expect(installedVersion(dir, '@fixture/scoped')).toBe('2.0.0');
  });

  it('answers 304 to a matching If-None-Match, and the ETag moves when a reviewer approves', async () => {
    const url = `${airlock.url}/npm/airlock-scripted`;
    const first = await request(url, { headers: { accept: 'application/vnd.npm.install-v1+json' } });
    const etag = first.headers.etag as string;
    const abbreviated = (await first.body.json()) as { versions: Record<string, unknown> };
    expect(Object.keys(abbreviated.versions)).toEqual([]);
    const full = await request(url);
    expect(full.headers.etag).not.toBe(etag);
    await full.body.dump();
    const again = await request(url, {
      headers: { accept: 'application/vnd.npm.install-v1+json', 'if-none-match': etag },
    });
    expect(again.statusCode).toBe(304);
    await again.body.dump();

    const reviewer = await airlock.token('reviewer');
    const approve = await request(`${airlock.url}/api/v1/packages/airlock-scripted/versions/1.0.0/approve`, {
      method: 'POST',
      headers: { authorization: `Bearer ${reviewer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'postinstall only prints' }),
    });
    expect(approve.statusCode).toBe(200);
    await approve.body.dump();
    const after = await request(url, {
      headers: { accept: 'application/vnd.npm.install-v1+json', 'if-none-match': etag },
    });
    expect(after.statusCode).toBe(200);
    expect(Object.keys(((await after.body.json()) as { versions: object }).versions)).toEqual(['1.0.0']);

    const dir = makeProject(registry, { 'airlock-scripted': '1.0.0' });
    const result = await runClient('npm', ['install', '--ignore-scripts'], dir);
    expect(result.code, result.stderr).toBe(0);
  });

  it('publishes private packages, installs them, and refuses dependency confusion', async () => {
    const publisher = await airlock.token('publisher');
    const src = makeProject(registry, {}, { token: publisher, name: '@acme/private-lib' });
    writeFileSync(
      join(src, 'package.json'),
      JSON.stringify({
        name: '@acme/private-lib',
        version: '0.1.0',
        main: 'index.js',
        publishConfig: { registry },
      }),
    );
    writeFileSync(join(src, 'index.js'), 'module.exports = 42;\n');
    const published = await runClient('npm', ['publish'], src);
    expect(published.code, published.stderr).toBe(0);

    const dir = makeProject(registry, { '@acme/private-lib': '^0.1.0' });
    const installed = await runClient('npm', ['install'], dir);
    expect(installed.code, installed.stderr).toBe(0);
    expect(installedVersion(dir, '@acme/private-lib')).toBe('0.1.0');
    expect(upstream.requests.some((r) => r.includes('@acme'))).toBe(false);

    // A public name cannot be published (it would shadow the public package).
    const shadow = mkdtempSync(join(tmpdir(), 'airlock-shadow-'));
    writeFileSync(join(shadow, 'package.json'), JSON.stringify({ name: 'airlock-ok', version: '9.9.9' }));
    writeFileSync(join(shadow, '.npmrc'), readFileSync(join(src, '.npmrc')));
    const refused = await runClient('npm', ['publish', '--userconfig', join(shadow, '.npmrc')], shadow);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/exists on the public registry/);

    // A private-scope name nobody published is never looked up upstream.
    const ghost = await request(`${airlock.url}/npm/@acme%2fghost`);
    expect(ghost.statusCode).toBe(404);
    await ghost.body.dump();
    expect(upstream.requests.some((r) => r.includes('ghost'))).toBe(false);
  });
});
