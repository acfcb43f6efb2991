import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import type { DecisionAction } from '../core/decision.js';
import type { Finding } from '../core/finding.js';
import { GateStore } from '../gate/gate-store.js';
import { ReviewViews, StoredTarballs } from '../review/index.js';
import { makeTarball } from '../scan/test-support/make-tarball.js';
import { FsBlobStore } from '../store/blob-store-fs.js';
import { createTestDatabase, type TestDatabase } from '../store/test-support/databases.js';
import { reviewApiRoutes } from './review-routes.js';
import { apiServer, as } from './test-support/api-server.js';

const manifest = (version: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ name: 'demo', version, dependencies: { a: '^1.0.0', gone: '1' }, ...extra });
const manifestOf120 = manifest('1.2.0', {
  scripts: { postinstall: 'node setup.js', test: 'x' },
  dependencies: { a: '^2.0.0', 'fresh-dep': '1.0.0' },
});

describe('review detail routes', () => {
  let t: TestDatabase;
  let dir: string;
  let app: FastifyInstance;
  const clock = new ManualClock('2026-02-01T00:00:00.000Z');

  beforeEach(async () => {
    t = await createTestDatabase('sqlite');
    dir = mkdtempSync(join(tmpdir(), 'airlock-review-'));
    const blobs = await FsBlobStore.open({ root: dir });
    const store = new GateStore(t.database, clock);
    const put = async (
      version: string,
      action: DecisionAction,
      files: Record<string, string>,
      findings: Finding[] = [],
    ) => {
      const ref = { ecosystem: 'npm' as const, name: 'demo', version };
      const blob = await blobs.put(makeTarball(files));
      await store.ensurePending(ref, { integrity: blob.integrity, publishedAt: undefined });
      await store.setBlob(ref, blob.integrity);
      await store.recordDecision(ref, {
        decision: {
          action,
          reasons: [],
          policyDigest: 'd',
          decidedBy: 'policy',
          at: clock.now().toISOString(),
        },
        findings,
        facts: {},
      });
    };
    await put('0.9.0', 'approve', { 'package.json': manifest('0.9.0'), 'index.js': 'old\n' });
    await put('1.0.0', 'approve', {
      'package.json': manifest('1.0.0'),
      'index.js': 'module.exports = 1;\n',
      'lib/removed.js': 'x',
      'README.md': 'same',
    });
    await put('1.1.0', 'reject', { 'package.json': manifest('1.1.0'), 'index.js': 'rejected\n' });
    await put(
      '1.2.0',
      'review',
      {
        'package.json': manifestOf120,
        'index.js': 'module.exports = 2;\n',
        'README.md': 'same',
        'setup.js': [
          'const a = 1;',
          'const b = 2;',
          "require('child_process').exec(x);",
          'const c = 3;',
        ].join('\n'),
        'bin/tool': '\u0000\u0001ELF',
      },
      [
        { analyzer: 'diff', rule: 'install-script-added', severity: 'high', message: 'postinstall added' },
        { analyzer: 'malware', rule: 'exec', severity: 'high', message: 'runs a command' },
      ],
    );
    await put('2.0.0', 'review', { 'package.json': manifest('2.0.0') });
    const views = new ReviewViews({ versions: store, tarballs: new StoredTarballs({ blobs }) });
    app = await apiServer(reviewApiRoutes({ views, anonymousApiRead: false }));
  });
  afterEach(async () => {
    await app.close();
    await t.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (url: string, token = 'reader-token') =>
    app.inject({ url: `/api/v1/packages/demo/versions/${url}`, headers: as(token) });

  it('diffs a held version against the previous approved one: files, install scripts, dependencies', async () => {
    const response = await get('1.2.0/diff');
    expect(response.statusCode).toBe(200);
    const diff = response.json<{ files: { added: { path: string; size: number }[]; changed: unknown[] } }>();
    expect(diff).toMatchObject({
      version: '1.2.0',
      previous: '1.0.0',
      files: {
        removed: [{ path: 'lib/removed.js', size: 1 }],
        counts: { added: 2, removed: 1, changed: 2, unchanged: 1 },
        truncated: false,
      },
      installScripts: [{ hook: 'postinstall', after: 'node setup.js' }],
      dependencies: [
        { field: 'dependencies', name: 'a', from: '^1.0.0', to: '^2.0.0' },
        { field: 'dependencies', name: 'fresh-dep', to: '1.0.0' },
        { field: 'dependencies', name: 'gone', from: '1' },
      ],
      signals: [
        { analyzer: 'diff', rule: 'install-script-added', severity: 'high', message: 'postinstall added' },
      ],
      problems: [],
    });
    expect(diff.files.added.map((f) => f.path)).toEqual(['bin/tool', 'setup.js']);
    expect(diff.files.changed).toEqual([
      { path: 'index.js', size: 20, previousSize: 20 },
      {
        path: 'package.json',
        size: manifestOf120.length,
        previousSize: manifest('1.0.0').length,
      },
    ]);
  });

  it('says so when no earlier version is approved', async () => {
    const diff = (await get('0.9.0/diff')).json<{ previous?: string; problems: string[] }>();
    expect(diff.previous).toBeUndefined();
    expect(diff.problems).toEqual(['no earlier version of demo is approved: everything is new']);
  });

  it('shows the lines around a finding, the finding line marked, as plain text', async () => {
    const response = await get('1.2.0/excerpt?file=setup.js&line=3&context=1');
    expect(response.json()).toEqual({
      file: 'setup.js',
      line: 3,
      lines: [
        { number: 2, text: 'const b = 2;', match: false },
        { number: 3, text: "require('child_process').exec(x);", match: true },
        { number: 4, text: 'const c = 3;', match: false },
      ],
    });
    expect((await get('1.2.0/excerpt?file=bin/tool&line=1')).json()).toMatchObject({
      lines: [],
      problem: 'bin/tool is a binary file',
    });
    expect((await get('1.2.0/excerpt?file=../../etc/passwd&line=1')).json()).toMatchObject({
      problem: '../../etc/passwd is not in the tarball',
    });
    expect((await get('1.2.0/excerpt?file=setup.js&line=99')).json()).toMatchObject({
      problem: 'setup.js has only 4 lines',
    });
  });

  it('validates the query, answers 404 for unknown versions and needs a reader', async () => {
    for (const bad of [
      'line=0&file=a',
      'line=1',
      `file=${'a'.repeat(1025)}&line=1`,
      'file=a&line=1&context=21',
    ]) {
      expect((await get(`1.2.0/excerpt?${bad}`)).statusCode, bad).toBe(400);
    }
    expect((await get('9.9.9/diff')).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/v1/packages/demo/versions/1.2.0/diff' })).statusCode).toBe(401);
  });
});
