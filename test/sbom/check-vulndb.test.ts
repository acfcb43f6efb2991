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
});
