import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { createHttpServer } from '../../src/http/server.js';
import { SqlAuditLog } from '../../src/audit/audit-log-sql.js';
import { TokenStore } from '../../src/auth/tokens.js';
import { npmAuditRoutes } from '../../src/registry/npm-audit-routes.js';
import { createTestDatabase, type TestDatabase } from '../../src/store/test-support/databases.js';
import { AdvisoryStore, OsvVulnerabilityMatcher, importPath } from '../../src/vulndb/index.js';
import { buildZip } from '../../src/vulndb/test-support/zip-builder.js';
import * as records from '../../src/vulndb/fixtures/osv-records.js';

const run = promisify(execFile);
const fixture = resolve(import.meta.dirname, '../fixtures/vulndb/audit-project');

describe('npm audit through Airlock (real npm client)', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let registry: string;
  const work = mkdtempSync(join(tmpdir(), 'airlock-audit-'));

  beforeAll(async () => {
    t = await createTestDatabase('sqlite');
    const store = new AdvisoryStore(t.database);
    const zip = join(work, 'all.zip');
    writeFileSync(
      zip,
      await buildZip(
        [
          records.lodashPrototypePollution,
          records.lodashCommandInjection,
          records.minimistPrototypePollution,
          records.nextServerActionsSsrf,
          records.withdrawnRecord,
        ].map((r) => ({ name: `${r.id}.json`, data: JSON.stringify(r) })),
      ),
    );
    await importPath(store, zip, { source: 'test' });
    const matcher = new OsvVulnerabilityMatcher(store);
    const config = loadConfig({ env: {} });
    app = await createHttpServer({
      config,
      logger: pino({ level: 'silent' }),
      authenticator: new TokenStore(t.database, new SqlAuditLog(t.database)),
      readiness: [],
      routes: [{ prefix: '/npm', plugin: npmAuditRoutes({ advisories: matcher, anonymousRead: true }) }],
    });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    registry = `${address}/npm/`;
  });
  afterAll(async () => {
    await app.close();
    await t.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it("`npm audit --json` reports the advisories from Airlock's database", async () => {
    const project = join(work, 'project');
    cpSync(fixture, project, { recursive: true });
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: work,
      npm_config_cache: join(work, 'npm-cache'),
      npm_config_update_notifier: 'false',
    };
    const result = await run(
      'npm',
      ['audit', '--json', `--registry=${registry}`, '--userconfig', join(work, 'npmrc')],
      {
        cwd: project,
        env,
        timeout: 120_000,
      },
    ).catch((error: { stdout: string; code: number }) => ({ stdout: error.stdout, code: error.code }));
    const report = JSON.parse(result.stdout) as {
      vulnerabilities: Record<
        string,
        {
          severity: string;
          range: string;
          via: { source: number; url: string; title: string; range: string }[];
        }
      >;
      metadata: { vulnerabilities: Record<string, number> };
    };
    expect(Object.keys(report.vulnerabilities).sort()).toEqual(['lodash', 'minimist', 'next']);
    expect(report.vulnerabilities.lodash!.severity).toBe('high');
    expect(report.vulnerabilities.lodash!.via.map((v) => [v.url, v.range]).sort()).toEqual([
      ['https://github.com/advisories/GHSA-35jh-r3h4-6jhm', '<4.17.21'],
      ['https://github.com/advisories/GHSA-p6mc-m468-83gw', '>=3.7.0 <4.17.19'],
    ]);
    expect(report.vulnerabilities.minimist!.via.map((v) => v.range)).toEqual(['<0.2.1 || >=1.0.0 <1.2.3']);
    // A canary of the fixed release is below it in SemVer precedence, so it is affected.
    expect(report.vulnerabilities.next!.via.map((v) => v.title)).toEqual([
      'Next.js Server-Side Request Forgery in Server Actions',
    ]);
    expect(report.metadata.vulnerabilities).toMatchObject({ high: 2, moderate: 1, critical: 0 });
  });

  it('answers a gzipped bulk request and the npm 6 quick audit document', async () => {
    const bulk = await app.inject({
      method: 'POST',
      url: '/npm/-/npm/v1/security/advisories/bulk',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      payload: gzipSync(JSON.stringify({ lodash: ['4.17.20', '4.17.21'], 'left-pad': ['1.3.0'] })),
    });
    expect(bulk.statusCode).toBe(200);
    expect(bulk.json()).toEqual({
      lodash: [
        expect.objectContaining({
          url: 'https://github.com/advisories/GHSA-35jh-r3h4-6jhm',
          title: 'Command Injection in lodash',
          severity: 'high',
          vulnerable_versions: '<4.17.21',
          cwe: ['CWE-77', 'CWE-94'],
          cvss: { score: 7.2, vectorString: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H' },
        }),
      ],
    });

    const quick = await app.inject({
      method: 'POST',
      url: '/npm/-/npm/v1/security/audits/quick',
      payload: {
        name: 'x',
        version: '1.0.0',
        requires: { minimist: '1.2.0' },
        dependencies: {
          minimist: { version: '1.2.0' },
          mkdirp: { version: '0.5.1', dependencies: { minimist: { version: '0.0.8' } } },
        },
      },
    });
    expect(quick.statusCode).toBe(200);
    const body = quick.json<{
      advisories: Record<
        string,
        { module_name: string; findings: unknown; cves: string[]; patched_versions: string }
      >;
      metadata: unknown;
    }>();
    expect(Object.values(body.advisories)).toEqual([
      expect.objectContaining({
        module_name: 'minimist',
        cves: ['CVE-2020-7598'],
        patched_versions: '>=0.2.1',
        findings: [
          { version: '1.2.0', paths: ['minimist'] },
          { version: '0.0.8', paths: ['mkdirp>minimist'] },
        ],
      }),
    ]);
    expect(body.metadata).toEqual({
      vulnerabilities: { info: 0, low: 0, moderate: 2, high: 0, critical: 0 },
      dependencies: 3,
      devDependencies: 0,
      optionalDependencies: 0,
      totalDependencies: 3,
    });
  });

  it('rejects bodies that are not audit documents', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/npm/-/npm/v1/security/advisories/bulk',
      payload: { lodash: 'nope' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'BAD_REQUEST' });
  });
});
