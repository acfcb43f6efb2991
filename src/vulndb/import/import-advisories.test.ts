import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createTestDatabase, engines, type TestDatabase } from '../../store/test-support/databases.js';
import { AdvisoryStore } from '../advisory-store.js';
import { OsvVulnerabilityMatcher, PackageScopedVulnerabilityMatcher } from '../matcher.js';
import { buildZip } from '../test-support/zip-builder.js';
import * as records from '../fixtures/osv-records.js';
import { importPath } from './import-advisories.js';

const work = mkdtempSync(join(tmpdir(), 'airlock-vulndb-import-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each(engines)('vulndb import (%s)', (engine) => {
  let t: TestDatabase;
  let store: AdvisoryStore;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
    store = new AdvisoryStore(t.database);
  });
  afterAll(async () => t.dispose());

  it('imports an OSV all.zip, skipping traversal entries, bombs and malformed records with reasons', async () => {
    const zipPath = join(work, `${engine}-all.zip`);
    writeFileSync(
      zipPath,
      await buildZip([
        { name: 'GHSA-p6mc-m468-83gw.json', data: JSON.stringify(records.lodashPrototypePollution) },
        { name: 'GHSA-35jh-r3h4-6jhm.json', data: JSON.stringify(records.lodashCommandInjection) },
        { name: 'GHSA-vh95-rmgr-6w4m.json', data: JSON.stringify(records.minimistPrototypePollution) },
        { name: 'MAL-2099-0001.json', data: JSON.stringify(records.maliciousPackage) },
        { name: 'GHSA-0000-withdrawn.json', data: JSON.stringify(records.withdrawnRecord) },
        { name: '!escape.json', data: JSON.stringify(records.nextServerActionsSsrf) },
        { name: 'bomb.json', data: Buffer.alloc(9 * 1024 * 1024, 32) },
        { name: 'broken.json', data: '{"id": "GHSA-broken", ' },
        { name: 'EXAMPLE-unknown-range.json', data: JSON.stringify(records.unknownRangeType) },
        { name: 'README.md', data: 'not a record' },
      ]),
    );
    expect(await store.isEmpty()).toBe(true);
    const progress: number[] = [];
    const summary = await importPath(store, zipPath, { source: 'test', onProgress: (n) => progress.push(n) });
    expect(summary.read).toBe(7);
    expect(summary.ecosystems).toEqual({ npm: { added: 4, updated: 0, withdrawn: 1, unchanged: 0 } });
    expect(summary.skipped).toBe(4);
    expect(summary.problems.map((p) => [p.origin.split(':').pop(), p.id, p.reason])).toEqual([
      ['../escape.json', undefined, 'unsafe entry name (absolute path or ..)'],
      ['bomb.json', undefined, 'entry is 9437184 bytes, over the 8388608-byte limit'],
      ['broken.json', undefined, expect.stringMatching(/^malformed JSON: /)],
      [
        'EXAMPLE-unknown-range.json',
        'EXAMPLE-unknown-range',
        'affected[0]: ranges[0] has unknown type "CALVER"',
      ],
    ]);
    expect(progress.at(-1)).toBe(7);
    expect(await store.isEmpty()).toBe(false);
  });

  it('imports a GHSA directory tree and PyPA YAML; re-import counts unchanged, a newer record counts updated', async () => {
    const dir = join(work, `${engine}-db`);
    const ghsaDir = join(dir, 'advisories/github-reviewed/2021/02/GHSA-g3rq-g295-4j3m');
    const pypaDir = join(dir, 'vulns/jinja2');
    mkdirSync(ghsaDir, { recursive: true });
    mkdirSync(pypaDir, { recursive: true });
    writeFileSync(join(ghsaDir, 'GHSA-g3rq-g295-4j3m.json'), JSON.stringify(records.jinja2RedosGhsa));
    writeFileSync(join(pypaDir, 'PYSEC-2021-66.yaml'), stringify(records.jinja2RedosPysec));
    writeFileSync(join(pypaDir, 'PYSEC-bad.yaml'), 'id: [unclosed\n');
    const first = await importPath(store, dir, { source: 'import' });
    expect(first.ecosystems).toEqual({ pypi: { added: 2, updated: 0, withdrawn: 0, unchanged: 0 } });
    expect(first.problems.map((p) => p.origin)).toEqual(['vulns/jinja2/PYSEC-bad.yaml']);

    const again = await importPath(store, dir, { source: 'import' });
    expect(again.ecosystems).toEqual({ pypi: { added: 0, updated: 0, withdrawn: 0, unchanged: 2 } });

    const newer = {
      ...records.jinja2RedosGhsa,
      modified: '2025-01-01T00:00:00Z',
      summary: 'ReDoS in Jinja2 (updated)',
    };
    writeFileSync(join(ghsaDir, 'GHSA-g3rq-g295-4j3m.json'), JSON.stringify(newer));
    const older = { ...records.jinja2RedosPysec, modified: '2000-01-01T00:00:00Z', summary: 'stale copy' };
    writeFileSync(join(pypaDir, 'PYSEC-2021-66.yaml'), stringify(older));
    const third = await importPath(store, dir, { source: 'import' });
    expect(third.ecosystems).toEqual({ pypi: { added: 0, updated: 1, withdrawn: 0, unchanged: 1 } });
  });

  it('the package-scoped matcher (airlock check) finds exactly what the full index finds', async () => {
    const refs = [
      { ecosystem: 'npm' as const, name: 'lodash', version: '4.17.15' },
      { ecosystem: 'npm' as const, name: 'lodash', version: '4.17.21' },
      { ecosystem: 'pypi' as const, name: 'jinja2', version: '2.10' },
      { ecosystem: 'npm' as const, name: 'example-stealer', version: '1.0.0' },
      { ecosystem: 'npm' as const, name: 'not-in-the-database', version: '1.0.0' },
    ];
    const full = new OsvVulnerabilityMatcher(store);
    const scoped = new PackageScopedVulnerabilityMatcher(store);
    const expected = await full.matchMany(refs);
    expect(expected.size).toBeGreaterThan(1);
    expect(await scoped.matchMany(refs)).toEqual(expected);
  });

  it('the matcher serves what was imported, merged by alias, and status counts per ecosystem', async () => {
    const matcher = new OsvVulnerabilityMatcher(store);
    expect(await matcher.refresh()).toBe(6);
    expect(await matcher.refreshIfChanged()).toBe(false);
    const result = await matcher.matchMany([
      { ecosystem: 'npm', name: 'lodash', version: '4.17.15' },
      { ecosystem: 'npm', name: 'lodash', version: '4.17.21' },
      { ecosystem: 'pypi', name: 'Jinja2', version: '2.10' },
      { ecosystem: 'npm', name: 'example-stealer', version: '1.0.0' },
    ]);
    expect([...result.keys()]).toEqual([
      'npm:lodash@4.17.15',
      'pypi:Jinja2@2.10',
      'npm:example-stealer@1.0.0',
    ]);
    expect(
      result.get('pypi:Jinja2@2.10')!.map((f) => [f.advisory?.id, f.advisory?.aliases, f.message]),
    ).toEqual([
      [
        'GHSA-g3rq-g295-4j3m',
        ['CVE-2020-28493', 'PYSEC-2021-66'],
        'Jinja2@2.10: GHSA-g3rq-g295-4j3m ReDoS in Jinja2 (updated); fixed in 2.11.3',
      ],
    ]);
    expect(result.get('npm:example-stealer@1.0.0')![0]!.analyzer).toBe('malware');
    // Another node imports: this node's index notices on its next check.
    const extra = join(work, `${engine}-extra.json`);
    writeFileSync(extra, JSON.stringify(records.nextServerActionsSsrf));
    await importPath(store, extra, { source: 'import' });
    expect(await matcher.refreshIfChanged()).toBe(true);
    expect(await matcher.refreshIfChanged()).toBe(false);
    expect(await store.counts()).toEqual({
      perEcosystem: [
        { ecosystem: 'npm', advisories: 5 },
        { ecosystem: 'pypi', advisories: 2 },
      ],
      withdrawn: 1,
      total: 8,
    });
  });

  it('a truncated archive fails as a whole and leaves the database as it was', async () => {
    const full = await buildZip([
      { name: 'GHSA-fr5h-rqp8-mj6g.json', data: JSON.stringify(records.nextServerActionsSsrf) },
    ]);
    const cut = join(work, `${engine}-cut.zip`);
    writeFileSync(cut, full.subarray(0, full.length - 30));
    await expect(importPath(store, cut, { source: 'test' })).rejects.toMatchObject({
      code: 'ADVISORY_INVALID',
    });
    expect((await store.counts()).total).toBe(8);
  });
});

describe('records of other ecosystems', () => {
  it('are counted as ignored, not as problems', async () => {
    const t = await createTestDatabase('sqlite');
    try {
      const file = join(work, 'GHSA-maven.json');
      writeFileSync(
        file,
        JSON.stringify({
          id: 'GHSA-jfh8-c2jp-5v3q',
          modified: '2023-01-01T00:00:00Z',
          aliases: ['CVE-2021-44228'],
          affected: [
            {
              package: { ecosystem: 'Maven', name: 'org.apache.logging.log4j:log4j-core' },
              ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '2.0-beta9' }, { fixed: '2.15.0' }] }],
            },
          ],
        }),
      );
      const summary = await importPath(new AdvisoryStore(t.database), file, { source: 'import' });
      expect(summary).toMatchObject({ read: 1, skipped: 0, ignored: 1, problems: [], ecosystems: {} });
    } finally {
      await t.dispose();
    }
  });
});

describe('zip bombs', () => {
  it('skips an entry whose compression ratio is bomb-like even under the size limit', async () => {
    const t = await createTestDatabase('sqlite');
    try {
      const zipPath = join(work, 'ratio.zip');
      writeFileSync(
        zipPath,
        await buildZip([
          { name: 'zeros.json', data: Buffer.alloc(4 * 1024 * 1024, 48) },
          { name: 'GHSA-35jh-r3h4-6jhm.json', data: JSON.stringify(records.lodashCommandInjection) },
        ]),
      );
      const summary = await importPath(new AdvisoryStore(t.database), zipPath, { source: 'import' });
      expect(summary.problems.map((p) => [p.origin.split(':').pop(), p.reason])).toEqual([
        ['zeros.json', 'compression ratio suggests a zip bomb'],
      ]);
      expect(summary.ecosystems).toEqual({ npm: { added: 1, updated: 0, withdrawn: 0, unchanged: 0 } });
    } finally {
      await t.dispose();
    }
  });
});
