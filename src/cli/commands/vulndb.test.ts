import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../main.js';
import { captureContext } from '../test-support/capture-context.js';
import { writeConfigFor } from '../test-support/config-file.js';
import { createTestDatabase, engines, type TestDatabase } from '../../store/test-support/databases.js';
import * as records from '../../vulndb/fixtures/osv-records.js';

describe.each(engines)('airlock vulndb on %s', (engine) => {
  let t: TestDatabase;
  let config: { dir: string; file: string };
  beforeAll(async () => {
    t = await createTestDatabase(engine);
    config = writeConfigFor(t);
    const tree = join(config.dir, 'advisory-database/advisories/github-reviewed/2020/07/GHSA-p6mc-m468-83gw');
    mkdirSync(tree, { recursive: true });
    writeFileSync(join(tree, 'GHSA-p6mc-m468-83gw.json'), JSON.stringify(records.lodashPrototypePollution));
    writeFileSync(join(tree, '../GHSA-35jh-r3h4-6jhm.json'), JSON.stringify(records.lodashCommandInjection));
    writeFileSync(join(tree, '../broken.json'), '{');
  });
  afterAll(async () => {
    await t.dispose();
    rmSync(config.dir, { recursive: true, force: true });
  });

  async function airlock(...args: string[]) {
    const ctx = captureContext(config.dir, { USER: 'ops' });
    const code = await runCli(['node', 'airlock', ...args, '--config', config.file], ctx);
    return { code, out: ctx.out(), err: ctx.err() };
  }

  it('imports a directory and prints added/updated/withdrawn per ecosystem and the skipped record', async () => {
    const result = await airlock('vulndb', 'import', 'advisory-database');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(
      new RegExp(
        [
          '^Read 3 records\\.',
          'ECOSYSTEM  ADDED  UPDATED  WITHDRAWN  UNCHANGED',
          'npm        2      0        0          0',
          '',
          'Skipped 1:',
          '  advisories/github-reviewed/2020/07/broken.json: malformed JSON: [^\\n]+\\n$',
        ].join('\\n'),
      ),
    );
  });

  it('queries a version: severity, aliases and fixed versions', async () => {
    const table = await airlock('vulndb', 'query', 'lodash@4.17.15');
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/^ADVISORY\s+SEVERITY\s+KIND\s+ALIASES\s+FIXED IN\s+SUMMARY\n/);
    expect(table.out).toMatch(
      /GHSA-35jh-r3h4-6jhm\s+high \(7\.2\)\s+vulnerability\s+CVE-2021-23337\s+4\.17\.21\s+Command Injection in lodash/,
    );
    const json = await airlock('vulndb', 'query', 'lodash@4.17.19', '--format', 'json');
    expect(JSON.parse(json.out)).toMatchObject({
      kind: 'version',
      findings: [{ advisory: { id: 'GHSA-35jh-r3h4-6jhm' } }],
    });
    expect((await airlock('vulndb', 'query', 'lodash@4.17.21')).out).toBe(
      'No known advisories affect npm:lodash@4.17.21.\n',
    );
    const all = await airlock('vulndb', 'query', 'lodash', '--format', 'json');
    expect((JSON.parse(all.out) as { advisories: { id: string }[] }).advisories.map((a) => a.id)).toEqual([
      'GHSA-35jh-r3h4-6jhm',
      'GHSA-p6mc-m468-83gw',
    ]);
    const bad = await airlock('vulndb', 'query', '../etc@1');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/is not a package name/);
  });

  it('shows status: counts per ecosystem and sources', async () => {
    const status = await airlock('vulndb', 'status');
    expect(status.code).toBe(0);
    expect(status.out).toContain('ECOSYSTEM  ADVISORIES\nnpm        2\n2 records stored, 0 withdrawn');
    expect(status.out).toContain('No sync yet');
  });
});
