/**
 * Storage figures: blob store write/read throughput, job queue claim+complete rate with several
 * workers, audit append and verify rates, on SQLite and PostgreSQL. Run with `npm run bench:store`.
 * Sizes are small on purpose (shared CI machines); the figures are for comparing changes, not limits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { FsBlobStore } from '../src/store/blob-store-fs.js';
import { SqlJobQueue } from '../src/store/job-queue-sql.js';
import { SqlAuditLog } from '../src/audit/audit-log-sql.js';
import { createTestDatabase, engines } from '../src/store/test-support/databases.js';

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, (performance.now() - start) / 1000];
}

const rate = (count: number, seconds: number) => `${Math.round(count / seconds)}/s`;

async function benchBlobs(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'airlock-bench-blobs-'));
  try {
    const store = await FsBlobStore.open({ root, verifyOnRead: true });
    const blobs = Array.from({ length: 40 }, () => randomBytes(1024 * 1024));
    const [refs, putSeconds] = await timed(() => Promise.all(blobs.map((b) => store.put(b))));
    const [, getSeconds] = await timed(() => Promise.all(refs.map((r) => store.get(r.integrity))));
    console.log(
      `blobs: put 40 MiB ${(40 / putSeconds).toFixed(1)} MiB/s (fsync each); get+verify ${(40 / getSeconds).toFixed(1)} MiB/s`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function benchDatabase(engine: (typeof engines)[number]): Promise<void> {
  const t = await createTestDatabase(engine);
  try {
    const queue = new SqlJobQueue(t.database);
    const jobs = 1000;
    const [, enqueueSeconds] = await timed(async () => {
      for (let i = 0; i < jobs; i += 1) await queue.enqueue('bench', { i }, { dedupeKey: `bench:${i}` });
    });
    const [claimed, drainSeconds] = await timed(async () => {
      const workers = [0, 1, 2, 3].map(async (w) => {
        let count = 0;
        for (;;) {
          const batch = await queue.claim(['bench'], `w${w}`, { limit: 10, leaseMs: 60_000 });
          if (batch.length === 0) return count;
          await Promise.all(batch.map((job) => queue.complete(job.id, `w${w}`)));
          count += batch.length;
        }
      });
      return (await Promise.all(workers)).reduce((a, b) => a + b, 0);
    });
    const audit = new SqlAuditLog(t.database);
    const events = 500;
    const [, appendSeconds] = await timed(() =>
      Promise.all(
        Array.from({ length: events }, (_, i) =>
          audit.append({ actor: 'bench', action: 'bench.event', subject: `bench:${i}`, details: { i } }),
        ),
      ),
    );
    const [verified, verifySeconds] = await timed(() => audit.verify());
    console.log(
      `${engine}: enqueue ${rate(jobs, enqueueSeconds)}; claim+complete (4 workers) ${rate(claimed, drainSeconds)}; ` +
        `audit append ${rate(events, appendSeconds)}; verify ${rate(verified.events, verifySeconds)}`,
    );
  } finally {
    await t.dispose();
  }
}

await benchBlobs();
for (const engine of engines) await benchDatabase(engine);
