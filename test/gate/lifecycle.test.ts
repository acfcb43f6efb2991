import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureContext } from '../../src/cli/test-support/capture-context.js';
import { ManualClock } from '../../src/core/clock.js';
import { startAirlock, type RunningAirlock } from '../support/airlock-server.js';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js';
import { fixturePackages } from '../registry/fixtures.js';

const day = 86_400_000;
const clock = new ManualClock(new Date());
let upstream: FakeUpstream;
let airlock: RunningAirlock;
let reviewer: string;

beforeAll(async () => {
  upstream = await startFakeUpstream(fixturePackages);
  airlock = await startAirlock(upstream.url, {}, { clock });
  reviewer = await airlock.token('reviewer', 'rita');
});
afterAll(async () => {
  await airlock.close();
  await upstream.close();
});

const tarball = (name: string, version: string) =>
  request(`${airlock.url}/npm/${name}/-/${name}-${version}.tgz`).then(async (r) => {
    const body = await r.body.text();
    return { status: r.statusCode, body };
  });

async function stateOf(name: string, version: string, wanted: string): Promise<string | undefined> {
  const ref = { ecosystem: 'npm' as const, name, version };
  for (let i = 0; i < 200; i++) {
    const state = (await airlock.app.gate.store.version(ref))?.state;
    if (state === wanted) return state;
    await sleep(25);
  }
  return (await airlock.app.gate.store.version(ref))?.state;
}

const api = (method: 'POST' | 'GET', path: string, body?: unknown) =>
  request(`${airlock.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${reviewer}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  }).then(async (r) => ({ status: r.statusCode, json: (await r.body.json()) as Record<string, unknown> }));

describe('the gate over time, with the real policy engine', () => {
  it('holds a young version, and the scheduler releases it when it comes of age', async () => {
    const held = await tarball('airlock-ok', '1.2.0');
    expect(held.status).toBe(403);
    expect(held.body).toMatch(/held until 2d old/);
    const version = await airlock.app.gate.store.version({
      ecosystem: 'npm',
      name: 'airlock-ok',
      version: '1.2.0',
    });
    expect(version?.reevaluateAt).toBeDefined();

    clock.advance(2 * day);
    await airlock.app.reevaluateDue();
    expect(await stateOf('airlock-ok', '1.2.0', 'approved')).toBe('approved');
    expect((await tarball('airlock-ok', '1.2.0')).status).toBe(200);
  });

  it('lets a version through a waiver, and holds it again when the waiver expires', async () => {
    expect((await tarball('airlock-scripted', '1.0.0')).status).toBe(403);
    const until = new Date(clock.now().getTime() + day).toISOString();
    const added = await api('POST', '/waivers', {
      name: 'airlock-scripted',
      range: '1.x',
      rule: 'install-scripts',
      until,
      reason: 'postinstall only prints a line',
    });
    expect(added.status).toBe(201);
    expect(await stateOf('airlock-scripted', '1.0.0', 'approved')).toBe('approved');
    expect((await tarball('airlock-scripted', '1.0.0')).status).toBe(200);

    clock.advance(2 * day);
    await airlock.app.reevaluateDue();
    expect(await stateOf('airlock-scripted', '1.0.0', 'review')).toBe('review');
    expect((await tarball('airlock-scripted', '1.0.0')).status).toBe(403);
    const actions = (await airlock.app.audit.list({ subjectPrefix: 'npm:airlock-scripted' })).map(
      (e) => e.action,
    );
    expect(actions.filter((a) => a === 'version.decide').length).toBeGreaterThanOrEqual(3);
  });

  it('previews a policy change, then applies it with one audit event', async () => {
    const dir = airlock.dataDir;
    writeFileSync(join(dir, 'airlock.yaml'), `dataDir: ${dir}\n`);
    writeFileSync(
      join(dir, 'strict.yaml'),
      'overrides:\n  - { package: airlock-ok, action: reject, reason: "we dropped it" }\n',
    );
    const cli = async (...args: string[]) => {
      const ctx = captureContext(dir, {});
      const code = await runCli(['node', 'airlock', ...args], ctx);
      return { code, out: ctx.out(), err: ctx.err() };
    };
    const preview = await cli(
      'policy',
      'diff',
      'strict.yaml',
      '--config',
      'airlock.yaml',
      '--format',
      'json',
    );
    expect(preview.err).toBe('');
    const changes = (
      JSON.parse(preview.out) as { changes: { ref: { name: string; version: string }; kind: string }[] }
    ).changes;
    expect(changes.map((c) => `${c.ref.name}@${c.ref.version}:${c.kind}`)).toContain(
      'airlock-ok@1.2.0:would-block',
    );
    const ref = { ecosystem: 'npm' as const, name: 'airlock-ok', version: '1.2.0' };
    expect((await airlock.app.gate.store.version(ref))?.state).toBe('approved');

    const applied = await cli(
      'policy',
      'diff',
      'strict.yaml',
      '--config',
      'airlock.yaml',
      '--revoke',
      '--apply',
    );
    expect(applied.code, applied.err).toBe(0);
    expect((await airlock.app.gate.store.version(ref))?.state).toBe('rejected');
    expect((await airlock.app.audit.list({ action: 'policy.apply' })).length).toBe(1);
  });
});
