import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureContext } from '../../src/cli/test-support/capture-context.js';
import { startAirlock, type RunningAirlock } from '../support/airlock-server.js';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js';
import { fixturePackages } from './fixtures.js';

let upstream: FakeUpstream;
let airlock: RunningAirlock;
let reviewer: string;

beforeAll(async () => {
  upstream = await startFakeUpstream(fixturePackages);
  airlock = await startAirlock(upstream.url);
  reviewer = await airlock.token('reviewer', 'alice');
});
afterAll(async () => {
  await airlock.close();
  await upstream.close();
});

async function cli(args: string[], token = reviewer) {
  const ctx = captureContext(process.cwd(), { AIRLOCK_TOKEN: token, AIRLOCK_SERVER: airlock.url });
  const code = await runCli(['node', 'airlock', ...args], ctx);
  return { code, out: ctx.out(), err: ctx.err() };
}

describe('airlock import, status, approve and reject against a running server', () => {
  it('imports a lockfile baseline: young versions in use are approved, scripts held, corrupt rejected', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'airlock-import-'));
    const lock = join(dir, 'package-lock.json');
    writeFileSync(
      lock,
      JSON.stringify({
        name: 'app',
        lockfileVersion: 3,
        packages: {
          '': { name: 'app', dependencies: { 'airlock-ok': '1.2.0' } },
          'node_modules/airlock-ok': {
            version: '1.2.0',
            resolved: 'https://registry.npmjs.org/airlock-ok/-/airlock-ok-1.2.0.tgz',
          },
          'node_modules/airlock-scripted': { version: '1.0.0' },
          'node_modules/airlock-corrupt': { version: '1.0.0' },
          'node_modules/local-thing': { version: '0.0.1', resolved: 'file:../local-thing' },
        },
      }),
    );
    const result = await cli(['import', lock, '--format', 'json']);
    expect(result.err).toBe('');
    const summary = JSON.parse(result.out) as {
      total: number;
      approved: number;
      review: number;
      rejected: number;
    };
    expect(summary).toMatchObject({ total: 3, approved: 1, review: 1, rejected: 1 });
    expect(result.code).toBe(1);
  });

  it('shows a version’s state, decision and findings, and lets a reviewer approve it', async () => {
    const status = await cli(['status', 'airlock-scripted@1.0.0']);
    expect(status.code).toBe(0);
    expect(status.out).toContain('airlock-scripted@1.0.0: review');
    expect(status.out).toContain('install-scripts/install-script: runs a postinstall script');

    const reader = await airlock.token('reader', 'bob');
    const denied = await cli(['approve', 'airlock-scripted@1.0.0', '--reason', 'fine'], reader);
    expect(denied.code).toBe(77);
    expect(denied.err).toMatch(/needs the reviewer role/);

    const approved = await cli(['approve', 'airlock-scripted@1.0.0', '--reason', 'prints only']);
    expect(approved.code).toBe(0);
    expect(approved.out).toContain('airlock-scripted@1.0.0 is now approved (by alice)');

    const rejected = await cli(['reject', 'airlock-ok@1.0.0', '--reason', 'we pin 1.1']);
    expect(rejected.out).toContain('airlock-ok@1.0.0 is now rejected');

    const events = await airlock.app.audit.list({ subjectPrefix: 'npm:airlock-scripted@1.0.0' });
    expect(events.map((e) => `${e.actor} ${e.action}`)).toEqual(
      expect.arrayContaining(['alice version.approve', 'policy version.decide']),
    );
    expect((await airlock.app.audit.verify()).intact).toBe(true);
  });
});
