import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureContext } from '../../src/cli/test-support/capture-context.js';
import { writeConfigFor } from '../../src/cli/test-support/config-file.js';
import { createTestDatabase, type TestDatabase } from '../../src/store/test-support/databases.js';
import * as records from '../../src/vulndb/fixtures/osv-records.js';

const lockfile = resolve(
  import.meta.dirname,
  '..',
  'fixtures',
  'vulndb',
  'audit-project',
  'package-lock.json',
);

describe('airlock check with the local vulnerability database', () => {
  let t: TestDatabase;
  let config: { dir: string; file: string };
  beforeAll(async () => {
    t = await createTestDatabase('sqlite');
    config = writeConfigFor(t);
    const tree = join(config.dir, 'advisories/github-reviewed/2020/07');
    mkdirSync(tree, { recursive: true });
    writeFileSync(join(tree, 'GHSA-p6mc-m468-83gw.json'), JSON.stringify(records.lodashPrototypePollution));
  });
  afterAll(async () => {
    await t.dispose();
    rmSync(config.dir, { recursive: true, force: true });
  });

  async function airlock(...args: string[]) {
    const ctx = captureContext(config.dir, {});
    const code = await runCli(['node', 'airlock', ...args, '--config', config.file], ctx);
    return { code, out: ctx.out(), err: ctx.err() };
  }

  it('says vulnerabilities were not checked while the database is empty', async () => {
    const result = await airlock('check', lockfile, '--format', 'json');
    expect(result.out + result.err).toMatch(/vulnerability database is empty/);
  });

  it('fails on a known vulnerability once advisories are imported', async () => {
    expect((await airlock('vulndb', 'import', join(config.dir, 'advisories'))).code).toBe(0);
    const result = await airlock('check', lockfile, '--fail-on', 'high', '--format', 'json');
    expect(result.code).toBe(1);
    expect(result.out).toContain('GHSA-p6mc-m468-83gw');
    expect(result.out).toContain('lodash');
  });

  it('judges every component with the policy: a denied licence fails, an install script is held, the rest is said', async () => {
    const project = join(config.dir, 'policy-project');
    mkdirSync(project, { recursive: true });
    const lock = {
      name: 'policy-project',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': {
          name: 'policy-project',
          version: '1.0.0',
          dependencies: { 'gpl-thing': '1.0.0', 'native-thing': '2.0.0' },
        },
        'node_modules/gpl-thing': {
          version: '1.0.0',
          resolved: 'https://registry.npmjs.org/gpl-thing/-/gpl-thing-1.0.0.tgz',
          license: 'GPL-3.0-only',
        },
        'node_modules/native-thing': {
          version: '2.0.0',
          resolved: 'https://registry.npmjs.org/native-thing/-/native-thing-2.0.0.tgz',
          license: 'MIT',
          hasInstallScript: true,
        },
      },
    };
    writeFileSync(join(project, 'package-lock.json'), JSON.stringify(lock, null, 2));
    const policyFile = join(config.dir, 'strict-policy.yaml');
    writeFileSync(policyFile, 'licenses:\n  deny: [GPL-3.0-only]\n  action: reject\n');
    const judged = await airlock('check', project, '--policy', policyFile, '--format', 'json');
    expect(judged.code).toBe(1);
    const report = JSON.parse(judged.out) as {
      findings: {
        component: { name: string };
        finding: { rule: string; severity: string; message: string };
      }[];
      warnings: string[];
    };
    expect(report.findings.map((f) => [f.component.name, f.finding.rule, f.finding.severity])).toEqual([
      ['gpl-thing', 'policy-license', 'high'],
      ['native-thing', 'policy-install-scripts', 'moderate'],
    ]);
    expect(report.findings[0]!.finding.message).toContain(
      `the policy (${policyFile}) would reject gpl-thing@1.0.0`,
    );
    expect(report.warnings).toEqual([
      expect.stringMatching(
        /^policy rules that need the server's scans were not decided from the lockfile: min-release-age \(2\)/,
      ),
    ]);
    // --no-policy reports vulnerabilities only: nothing here has one.
    const plain = await airlock('check', project, '--no-policy', '--format', 'json');
    expect(plain.code).toBe(0);
    expect((JSON.parse(plain.out) as { findings: unknown[] }).findings).toEqual([]);
  });
});
