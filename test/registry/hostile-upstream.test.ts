import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Analyzer } from '../../src/core/analyzer.js';
import { startAirlock, type RunningAirlock } from '../support/airlock-server.js';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js';
import { makeTarball } from '../support/tarball.js';
import { fixturePackages } from './fixtures.js';

const tarball = makeTarball({ 'package.json': '{"name":"x","version":"1.0.0"}' });
const integrity = `sha512-${createHash('sha512').update(tarball).digest('base64')}`;
const old = new Date(Date.now() - 30 * 86_400_000).toISOString();
const doc = (name: string, tarballUrl: string) =>
  JSON.stringify({
    name,
    'dist-tags': { latest: '1.0.0' },
    versions: { '1.0.0': { name, version: '1.0.0', dist: { integrity, tarball: tarballUrl } } },
    time: { '1.0.0': old },
  });

let hostile: Server;
let hostileUrl: string;
let airlock: RunningAirlock;

beforeAll(async () => {
  hostile = createServer((req, res) => {
    const base = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
    switch (req.url) {
      case '/redirected':
        return void res.writeHead(302, { location: 'http://evil.example/redirected' }).end();
      case '/huge':
        return void res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(`{"name":"huge","x":"${'a'.repeat(300_000)}"}`);
      case '/malformed':
        return void res
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"name": "malformed", "versions": {');
      case '/wrong-name':
        return void res.writeHead(200).end(doc('lodash', `${base}/x.tgz`));
      case '/elsewhere':
        return void res.writeHead(200).end(doc('elsewhere', 'http://evil.example/elsewhere-1.0.0.tgz'));
      default:
        return void res.writeHead(404).end('{}');
    }
  });
  await new Promise<void>((r) => hostile.listen(0, '127.0.0.1', r));
  hostileUrl = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}/`;
  airlock = await startAirlock(hostileUrl, { 'registry.maxPackumentBytes': 100_000 });
});
afterAll(async () => {
  await airlock.close();
  await new Promise((r) => hostile.close(r));
});

async function get(path: string) {
  const response = await request(`${airlock.url}/npm/${path}`);
  const text = await response.body.text();
  // The error message as the client reads it (JSON-decoded).
  return {
    status: response.statusCode,
    text: text.startsWith('{') ? ((JSON.parse(text) as { error?: string }).error ?? text) : text,
  };
}

describe('hostile upstream answers', () => {
  it.each([
    ['redirected', 502, /redirects are not followed/],
    ['huge', 502, /larger than the limit of 100000 bytes/],
    ['malformed', 502, /not valid JSON/],
    ['wrong-name', 502, /names "lodash"; refusing a document for another package/],
  ])('%s → %i with a clear error', async (name, status, message) => {
    const answer = await get(name);
    expect(answer.text).toMatch(message);
    expect(answer.status).toBe(status);
  });

  it('rejects a version whose tarball URL points away from the upstream, without fetching it', async () => {
    const answer = await get('elsewhere/-/elsewhere-1.0.0.tgz');
    expect(answer.status).toBe(403);
    expect(answer.text).toMatch(/points away from the upstream/);
  });

  it('stores nothing for documents it refused', async () => {
    expect(await airlock.app.gate.store.package('npm', 'malformed')).toBeUndefined();
    expect(await airlock.app.gate.store.package('npm', 'huge')).toBeUndefined();
  });
});

describe('upstream outage and slow scans', () => {
  let upstream: FakeUpstream;
  let proxy: RunningAirlock;
  const slow: Analyzer = {
    name: 'slow',
    analyze: async (input) => {
      if (input.ref.name === 'airlock-scripted') await sleep(2_000);
      // Stands in for the real analyzers: the policy holds versions whose scan facts are missing.
      return {
        findings: [],
        facts: { scanVerdict: 'clean', scanScore: 0, scanIncomplete: false, hasInstallScripts: false },
      };
    },
  };
  beforeAll(async () => {
    upstream = await startFakeUpstream(fixturePackages);
    proxy = await startAirlock(
      upstream.url,
      { 'registry.packumentTtlMs': 0, 'gate.waitForDecisionMs': 300 },
      {
        analyzers: [slow],
      },
    );
  });
  afterAll(async () => {
    await proxy.close();
    await upstream.close();
  });

  it('answers 503 with Retry-After while a version is still being scanned', async () => {
    const response = await request(`${proxy.url}/npm/airlock-scripted/-/airlock-scripted-1.0.0.tgz`);
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('10');
    expect(((await response.body.json()) as { error: string }).error).toBe(
      'airlock-scripted@1.0.0 is still being scanned by Airlock; retry in a few seconds',
    );
  });

  it('keeps serving approved versions from its own store when the upstream is down, and lets nothing new in', async () => {
    const tgz = `${proxy.url}/npm/airlock-ok/-/airlock-ok-1.1.0.tgz`;
    for (let i = 0; i < 300; i++) {
      const r = await request(tgz);
      await r.body.dump();
      if (r.statusCode === 200) break;
      await sleep(100);
    }
    // An approved, stored tarball is served without asking upstream, even with the packument TTL at 0.
    const asked = upstream.requests.length;
    const again = await request(tgz);
    expect(again.statusCode).toBe(200);
    await again.body.dump();
    expect(upstream.requests.length).toBe(asked);

    upstream.down = true;
    const packument = await request(`${proxy.url}/npm/airlock-ok`);
    expect(packument.statusCode).toBe(200);
    expect(Object.keys(((await packument.body.json()) as { versions: object }).versions)).toEqual([
      '1.0.0',
      '1.1.0',
    ]);
    const served = await request(tgz);
    expect(served.statusCode).toBe(200);
    expect(Buffer.from(await served.body.arrayBuffer()).length).toBeGreaterThan(0);
    const unseen = await request(`${proxy.url}/npm/@fixture%2fscoped`);
    expect(unseen.statusCode).toBe(502);
    await unseen.body.dump();
    upstream.down = false;
  });
});
