import { Agent, fetch, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startAirlock, type RunningAirlock } from '../support/airlock-server.js';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js';

let upstream: FakeUpstream;
let airlock: RunningAirlock;
let reader: string;
let reviewer: string;

beforeAll(async () => {
  upstream = await startFakeUpstream([
    {
      name: 'dash-scripted',
      versions: [
        // An install script from the start: a changed one is held for review, a first one rejected.
        { version: '1.0.0', ageDays: 20, scripts: { postinstall: 'node -v' } },
        {
          version: '1.1.0',
          ageDays: 10,
          scripts: { postinstall: 'node setup.js' },
          dependencies: { 'dash-new-dep': '^1.0.0' },
          files: { 'setup.js': "const os = require('os');\nconsole.log(os.hostname());\n" },
        },
      ],
    },
  ]);
  airlock = await startAirlock(upstream.url);
  reader = await airlock.token('reader', 'rita');
  reviewer = await airlock.token('reviewer', 'rev');
});
afterAll(async () => {
  await airlock?.close();
  await upstream?.close();
});

async function api<T>(path: string, token: string, body?: unknown): Promise<{ status: number; json: T }> {
  const response = await request(`${airlock.url}/api/v1${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.statusCode, json: (await response.body.json()) as T };
}

async function tarball(version: string, headers: Record<string, string> = {}) {
  const response = await request(`${airlock.url}/npm/dash-scripted/-/dash-scripted-${version}.tgz`, {
    headers,
  });
  await response.body.dump();
  return response.statusCode;
}

describe('the dashboard API on a running server', () => {
  it('records who was refused a tarball, and how often', async () => {
    expect(await tarball('1.0.0')).toBe(403);
    await api('/packages/dash-scripted/versions/1.0.0/approve', reviewer, {
      reason: 'prints the node version',
    });
    expect(await tarball('1.0.0')).toBe(200);
    expect(await tarball('1.1.0', { 'user-agent': 'npm/10.9.0 node/v20.19.0' })).toBe(403);
    expect(await tarball('1.1.0', { 'user-agent': 'npm/10.9.0 node/v20.19.0' })).toBe(403);
    expect(await tarball('1.1.0', { authorization: `Bearer ${reader}`, 'user-agent': 'pnpm/10' })).toBe(403);
    type Attempts = {
      attempts: { version: string; principal: string; attempts: number; userAgent: string; reason: string }[];
    };
    await vi.waitFor(
      async () => expect((await api<Attempts>('/blocked-attempts', reader)).json.attempts).toHaveLength(3),
      { timeout: 5000 },
    );
    const { json } = await api<Attempts>('/blocked-attempts?name=dash-scripted', reader);
    const byWho = Object.fromEntries(
      json.attempts.filter((a) => a.version === '1.1.0').map((a) => [a.principal, a]),
    );
    expect(byWho.anonymous).toMatchObject({ attempts: 2, userAgent: 'npm/10.9.0 node/v20.19.0' });
    expect(byWho.rita).toMatchObject({ attempts: 1, userAgent: 'pnpm/10' });
    expect(byWho.rita?.reason).toContain('install scripts');
  });

  it('answers the overview stats', async () => {
    const { status, json } = await api<{
      findingsBySeverity: { day: string; info: number; high: number }[];
      scans: { lastHour: number; perHour: unknown[] };
      queue: { queued: number; running: number; dead: number };
      versions: { review: number; approved: number };
      upstream: { status: string; lastSuccessAt: string };
    }>('/stats?days=7', reader);
    expect(status).toBe(200);
    expect(json.findingsBySeverity).toHaveLength(7);
    expect(json.scans.lastHour).toBeGreaterThanOrEqual(2);
    expect(json.scans.perHour).toHaveLength(24);
    expect(json.queue).toEqual({ queued: 0, running: 0, dead: 0 });
    expect(json.versions).toMatchObject({ review: 1, approved: 1 });
    expect(json.upstream.status).toBe('ok');
  });

  it('shows the diff to the previous approved version and an evidence excerpt', async () => {
    const diff = await api<{
      previous: string;
      files: { added: { path: string }[] };
      installScripts: { hook: string; after: string }[];
      dependencies: { name: string }[];
    }>('/packages/dash-scripted/versions/1.1.0/diff', reader);
    expect(diff.json).toMatchObject({
      previous: '1.0.0',
      files: { added: [{ path: 'setup.js' }] },
      installScripts: [{ hook: 'postinstall', before: 'node -v', after: 'node setup.js' }],
      dependencies: [{ name: 'dash-new-dep' }],
    });
    const excerpt = await api<{ lines: { text: string; match: boolean }[] }>(
      '/packages/dash-scripted/versions/1.1.0/excerpt?file=setup.js&line=2&context=1',
      reader,
    );
    expect(excerpt.json.lines.find((l) => l.match)?.text).toBe('console.log(os.hostname());');
  });

  it('streams the waiver-driven release live; a reader cannot waive', async () => {
    const agent = new Agent();
    const controller = new AbortController();
    const stream = await fetch(`${airlock.url}/api/v1/events`, {
      headers: { authorization: `Bearer ${reader}` },
      signal: controller.signal,
      dispatcher: agent,
    });
    expect(stream.status).toBe(200);
    let text = '';
    const reading = (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of stream.body as AsyncIterable<Uint8Array>) text += decoder.decode(chunk);
      } catch {
        // Aborted below.
      }
    })();
    await vi.waitFor(() => expect(text).toContain(': connected'));

    const waiver = { name: 'dash-scripted', range: '1.1.0', rule: 'install-scripts', until: '2099-01-01' };
    const denied = await api<{ code: string }>('/waivers', reader, { ...waiver, reason: 'reader tries' });
    expect(denied).toMatchObject({ status: 403, json: { code: 'FORBIDDEN' } });
    const created = await api('/waivers', reviewer, { ...waiver, reason: 'setup only prints the host' });
    expect(created.status).toBe(201);
    await vi.waitFor(
      async () =>
        expect(
          (await api<{ state: string }>('/packages/dash-scripted/versions/1.1.0', reader)).json.state,
        ).toBe('approved'),
      { timeout: 15_000 },
    );
    await vi.waitFor(() =>
      expect(text).toMatch(
        /event: queue-changed\ndata: {[^\n]*"name":"dash-scripted"[^\n]*"state":"approved"/,
      ),
    );
    expect(await tarball('1.1.0')).toBe(200);
    controller.abort();
    await reading;
    await agent.destroy();
  });

  it('closes promptly while an event stream is open', async () => {
    const controller = new AbortController();
    const agent = new Agent();
    const stream = await fetch(`${airlock.url}/api/v1/events`, {
      headers: { authorization: `Bearer ${reader}` },
      signal: controller.signal,
      dispatcher: agent,
    });
    const ended = (async () => {
      for await (const chunk of stream.body as AsyncIterable<Uint8Array>) void chunk;
    })();
    const started = Date.now();
    await airlock.close();
    await ended;
    expect(Date.now() - started).toBeLessThan(5000);
    await agent.destroy();
  });
});
