import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../main.js';
import { captureContext } from '../test-support/capture-context.js';
import { writeConfigFor } from '../test-support/config-file.js';
import { createTestDatabase, engines, type TestDatabase } from '../../store/test-support/databases.js';
import { SqlAuditLog } from '../../audit/audit-log-sql.js';

const old = new Date(Date.now() - 30 * 86_400_000).toISOString();
const storedVersions = [
  {
    ref: { ecosystem: 'npm', name: 'native', version: '1.0.0' },
    state: 'review',
    facts: { publishedAt: old, hasInstallScripts: true },
    findings: [],
    decision: { action: 'review', reasons: [], policyDigest: 'x', decidedBy: 'policy', at: old },
  },
  {
    ref: { ecosystem: 'npm', name: 'lodash', version: '4.17.20' },
    state: 'approved',
    facts: { publishedAt: old, hasInstallScripts: false },
    findings: [
      {
        analyzer: 'vulnerability',
        rule: 'known',
        severity: 'high',
        message: 'proto',
        advisory: { id: 'GHSA-1' },
      },
    ],
    decision: { action: 'approve', reasons: [], policyDigest: 'x', decidedBy: 'alice', at: old },
  },
];

describe.each(engines)('airlock policy / waive on %s', (engine) => {
  let t: TestDatabase;
  let config: { dir: string; file: string };
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    config = writeConfigFor(t);
  });
  afterEach(async () => {
    await t.dispose();
    rmSync(config.dir, { recursive: true, force: true });
  });

  async function airlock(...args: string[]) {
    const ctx = captureContext(config.dir, { USER: 'sec' });
    const code = await runCli(['node', 'airlock', ...args, '--config', config.file], ctx);
    return { code, out: ctx.out(), err: ctx.err() };
  }

  it('policy check validates the inline policy and names the line of a mistake', async () => {
    appendFileSync(config.file, 'policy:\n  mode: monitor\n');
    const ok = await airlock('policy', 'check');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(
      /^Policy OK: .*airlock\.yaml \(mode monitor, 0 overrides, digest sha256:[0-9a-f]{64}\)\.\n$/,
    );
    appendFileSync(config.file, '  installScript: review\n');
    const bad = await airlock('policy', 'check');
    expect(bad.code).toBe(78);
    expect(bad.err).toMatch(
      /airlock\.yaml:\d+: policy\.installScript: unknown rule "installScript"; valid rules: file, mode,/,
    );
  });

  it('policy check without --config checks ./airlock.yaml', async () => {
    writeFileSync(join(config.dir, 'airlock.yaml'), 'policy:\n  mode: monitor\n  minReleaseAge: never\n');
    const ctx = captureContext(config.dir, {});
    expect(await runCli(['node', 'airlock', 'policy', 'check'], ctx)).toBe(78);
    expect(ctx.err()).toBe(
      `airlock: ${join(config.dir, 'airlock.yaml')}:3: policy.minReleaseAge.age: invalid duration "never": use a number and a unit, e.g. 30s, 5m, 2h, 3d\n`,
    );
  });

  it('policy check --file checks a standalone policy file', async () => {
    writeFileSync(
      join(config.dir, 'p.yaml'),
      'overrides:\n  - { package: a, action: approve, reason: x }\n  - { package: a, action: reject, reason: y }\n',
    );
    const bad = await airlock('policy', 'check', '--file', 'p.yaml');
    expect(bad.code).toBe(78);
    expect(bad.err).toBe(
      `airlock: ${join(config.dir, 'p.yaml')}:3: overrides.1: contradictory rules: this override says reject for a but overrides.0 says approve for a, equally specific\n`,
    );
  });

  it('waive adds an audited waiver that policy test then shows as applied', async () => {
    const waived = await airlock(
      'waive',
      'demo@^1.0.0',
      '--rule',
      'install-scripts',
      '--until',
      '2999-01-31',
      '--reason',
      'builds native code',
    );
    expect(waived.code).toBe(0);
    expect(waived.out).toMatch(
      /^Waiver \d+: demo@\^1\.0\.0 passes rule install-scripts until 2999-02-01T00:00:00\.000Z\.\n$/,
    );
    writeFileSync(
      join(config.dir, 'facts.json'),
      JSON.stringify({ publishedAt: old, hasInstallScripts: true }),
    );
    writeFileSync(join(config.dir, 'findings.json'), '[]');
    const tested = await airlock(
      'policy',
      'test',
      'demo@1.2.0',
      '--facts',
      'facts.json',
      '--findings',
      'findings.json',
      '--format',
      'json',
    );
    expect(tested.code).toBe(0);
    const decision = JSON.parse(tested.out) as {
      action: string;
      rules: { rule: string; waivedBy?: unknown }[];
    };
    expect(decision.action).toBe('approve');
    expect(decision.rules).toMatchObject([
      { rule: 'install-scripts', waivedBy: { reason: 'builds native code' } },
    ]);
    const table = await airlock('policy', 'test', 'demo@2.0.0', '--facts', 'facts.json');
    expect(table.out).toMatch(/^demo@2\.0\.0: review under sha256:/);
    expect(table.out).toMatch(/install-scripts\s+review\s+runs install scripts/);

    const listed = await airlock('waivers', 'list', '--format', 'json');
    const [w] = JSON.parse(listed.out) as { id: number; createdBy: string }[];
    expect(w?.createdBy).toBe('cli:sec');
    expect((await airlock('waivers', 'remove', String(w?.id), '--reason', 'done')).out).toMatch(
      /^Removed waiver \d+ \(demo@\^1\.0\.0, install-scripts\)\.\n$/,
    );
    expect((await airlock('waivers', 'list')).out).toBe('No waivers in force.\n');
    const events = await new SqlAuditLog(t.database).list();
    expect(events.map((e) => e.action)).toEqual(['waiver.remove', 'waiver.add']);
  });

  it('waive refuses an unknown rule with one line', async () => {
    const bad = await airlock(
      'waive',
      'demo@1.0.0',
      '--rule',
      'speed',
      '--until',
      '2999-01-01',
      '--reason',
      'x',
    );
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^airlock: unknown rule "speed"; waivable rules: min-release-age, /);
  });

  it('policy diff previews a new policy over stored versions without changing anything', async () => {
    writeFileSync(join(config.dir, 'versions.json'), JSON.stringify(storedVersions));
    writeFileSync(
      join(config.dir, 'new.yaml'),
      'vulnerabilities:\n  - { severity: high, action: reject }\ninstallScripts:\n  allow: [native]\n',
    );
    const diff = await airlock('policy', 'diff', 'new.yaml', '--inputs', 'versions.json', '--format', 'json');
    expect(diff.code).toBe(0);
    const parsed = JSON.parse(diff.out) as {
      changes: { kind: string; ref: { name: string }; to: string }[];
      unchanged: number;
    };
    expect(parsed.changes.map((c) => `${c.ref.name}:${c.kind}:${c.to}`)).toEqual([
      'lodash:would-block:reject',
      'native:release:approve',
    ]);
    const table = await airlock('policy', 'diff', 'new.yaml', '--inputs', 'versions.json');
    expect(table.out).toMatch(/would-block versions stay approved: pass --revoke to revoke them\./);
    expect(table.out).toMatch(/Nothing was changed; pass --apply to apply\./);
    const revoked = await airlock(
      'policy',
      'diff',
      'new.yaml',
      '--inputs',
      'versions.json',
      '--revoke',
      '--format',
      'json',
    );
    expect((JSON.parse(revoked.out) as { changes: { kind: string }[] }).changes.map((c) => c.kind)).toEqual([
      'revoke',
      'release',
    ]);
    // Without --inputs it reads the gate's stored versions: none in this fresh database.
    const fromGate = await airlock('policy', 'diff', 'new.yaml', '--format', 'json');
    expect(fromGate.code).toBe(0);
    expect((JSON.parse(fromGate.out) as { changes: unknown[] }).changes).toEqual([]);
    expect(await new SqlAuditLog(t.database).list()).toEqual([]);
  });
});
