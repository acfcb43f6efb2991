import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { SqlJobQueue } from '../../src/store/job-queue-sql.js';
import { JobRunner } from '../../src/store/job-runner.js';
import type { ClaimedJob } from '../../src/store/ports.js';
import { createTestDatabase, engines, type TestDatabase } from '../../src/store/test-support/databases.js';
import { exited, spawnScript, waitForLine } from '../../src/store/test-support/spawn-script.js';

const workerScript = fileURLToPath(new URL('../../src/store/test-support/job-worker.ts', import.meta.url));

describe.each(engines)('a job whose worker is killed, on %s', (engine) => {
  let t: TestDatabase;
  let runner: JobRunner | undefined;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
  });
  afterEach(async () => {
    await runner?.stop(1_000);
    await t.dispose();
  });

  it('completes after restart once the dead worker’s lease expires', async () => {
    const queue = new SqlJobQueue(t.database);
    const { id } = await queue.enqueue('test.slow', { name: 'left-pad', version: '1.3.0' });

    const child = spawnScript(workerScript, [t.url, t.schema ?? '-', '1000']);
    const killed = exited(child).catch((error: unknown) => error);
    const started = await waitForLine(child, /^started /);
    const [, jobId, deadWorker] = started.split(' ');
    expect(Number(jobId)).toBe(id);
    child.kill('SIGKILL');
    expect(String(await killed)).toMatch(/SIGKILL/);

    const orphan = await t.database.db
      .selectFrom('jobs')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(orphan).toMatchObject({ status: 'running', attempts: 1, locked_by: deadWorker });

    // The restarted worker: it may only take the job once the dead worker's lease has run out.
    let finish!: (job: ClaimedJob) => void;
    const ran = new Promise<ClaimedJob>((resolve) => (finish = resolve));
    runner = new JobRunner({
      queue,
      leaseMs: 1_000,
      pollIntervalMs: 100,
      handlers: { 'test.slow': (job) => Promise.resolve(finish(job)) },
    });
    runner.start();
    const job = await ran;
    await runner.stop(5_000);
    expect(job).toMatchObject({ id, attempts: 2, payload: { name: 'left-pad', version: '1.3.0' } });
    const row = await t.database.db
      .selectFrom('jobs')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'done', attempts: 2, locked_by: null });
  });
});
