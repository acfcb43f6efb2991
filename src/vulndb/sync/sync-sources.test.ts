import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../store/test-support/databases.js';
import { SqlAuditLog } from '../../audit/audit-log-sql.js';
import { AdvisoryStore } from '../advisory-store.js';
import { OsvVulnerabilityMatcher } from '../matcher.js';
import { buildZip } from '../test-support/zip-builder.js';
import * as records from '../fixtures/osv-records.js';
import { SourceStateStore } from './source-state.js';
import { syncSources, type SyncDeps } from './sync-sources.js';

/** An in-process archive host: serves `archive` with validators, or misbehaves as told. */
class ArchiveHost {
  archive: Buffer = Buffer.alloc(0);
  etag = '"v1"';
  mode: 'ok' | 'truncate' | 'error' = 'ok';
  readonly requests: { ifNoneMatch?: string; ifModifiedSince?: string }[] = [];
  readonly server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    this.requests.push({
      ...(req.headers['if-none-match'] ? { ifNoneMatch: req.headers['if-none-match'] } : {}),
      ...(req.headers['if-modified-since'] ? { ifModifiedSince: req.headers['if-modified-since'] } : {}),
    });
    if (this.mode === 'error') return void res.writeHead(503).end();
    if (req.headers['if-none-match'] === this.etag) return void res.writeHead(304).end();
    res.writeHead(200, {
      'content-type': 'application/zip',
      'content-length': this.archive.length,
      etag: this.etag,
      'last-modified': 'Tue, 01 Dec 2026 10:00:00 GMT',
    });
    if (this.mode === 'truncate') {
      res.write(this.archive.subarray(0, Math.floor(this.archive.length / 2)));
      setTimeout(() => res.socket?.destroy(), 20);
    } else res.end(this.archive);
  });
  url = '';
  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/npm/all.zip`;
  }
}

describe.each(engines)('vulndb sync (%s)', (engine) => {
  let t: TestDatabase;
  let deps: SyncDeps;
  let matcher: OsvVulnerabilityMatcher;
  const host = new ArchiveHost();
  beforeAll(async () => {
    t = await createTestDatabase(engine);
    await host.start();
    const store = new AdvisoryStore(t.database);
    matcher = new OsvVulnerabilityMatcher(store);
    deps = {
      store,
      sources: new SourceStateStore(t.database),
      config: {
        sources: [{ name: 'osv-npm', url: host.url }],
        maxDownloadBytes: 1024 * 1024,
        downloadTimeoutMs: 10_000,
      },
      refresh: () => matcher.refresh(),
      audit: new SqlAuditLog(t.database),
    };
  });
  afterAll(async () => {
    host.server.close();
    await t.dispose();
  });

  const lodash = async () =>
    (await matcher.matchMany([{ ecosystem: 'npm', name: 'lodash', version: '4.17.15' }])).get(
      'npm:lodash@4.17.15',
    )?.length ?? 0;

  it('downloads and imports the archive, then asks conditionally and imports nothing on 304', async () => {
    host.archive = await buildZip([
      { name: 'GHSA-p6mc-m468-83gw.json', data: JSON.stringify(records.lodashPrototypePollution) },
    ]);
    const first = await syncSources(deps);
    expect(first).toMatchObject([
      { source: 'osv-npm', status: 'imported', summary: { read: 1, ecosystems: { npm: { added: 1 } } } },
    ]);
    expect(await lodash()).toBe(1);

    const second = await syncSources(deps);
    expect(second).toEqual([{ source: 'osv-npm', status: 'not-modified' }]);
    expect(host.requests.at(-1)).toEqual({
      ifNoneMatch: '"v1"',
      ifModifiedSince: 'Tue, 01 Dec 2026 10:00:00 GMT',
    });
    expect(await deps.sources.get('osv-npm')).toMatchObject({ status: 'not-modified', etag: '"v1"' });
  });

  it('a truncated download or an upstream error fails the source and leaves the database and validators as they were', async () => {
    host.etag = '"v2"';
    host.archive = await buildZip([
      { name: 'GHSA-p6mc-m468-83gw.json', data: JSON.stringify(records.lodashPrototypePollution) },
      { name: 'GHSA-35jh-r3h4-6jhm.json', data: JSON.stringify(records.lodashCommandInjection) },
    ]);
    host.mode = 'truncate';
    const [cut] = await syncSources(deps);
    expect(cut).toMatchObject({ source: 'osv-npm', status: 'failed' });
    host.mode = 'error';
    const [down] = await syncSources(deps);
    expect(down).toEqual({ source: 'osv-npm', status: 'failed', error: `${host.url} answered HTTP 503` });
    expect(await lodash()).toBe(1);
    expect(await deps.sources.get('osv-npm')).toMatchObject({ status: 'failed', etag: '"v1"' });

    host.mode = 'ok';
    const [fixed] = await syncSources(deps);
    expect(fixed).toMatchObject({
      status: 'imported',
      summary: { ecosystems: { npm: { added: 1, unchanged: 1 } } },
    });
    expect(await lodash()).toBe(2);
    const events = await new SqlAuditLog(t.database).list({ action: 'vulndb.sync' });
    expect(events).toHaveLength(5);
  });
});
