import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setImmediate as tick } from 'node:timers/promises';
import { JobRunner, type JobHandler } from './job-runner.js';
import { SqlJobQueue } from './job-queue-sql.js';
import { createTestDatabase, type TestDatabase } from './test-support/databases.js';
import type { ClaimedJob, JobQueue } from './ports.js';

/** A promise with its resolve handle, so tests decide when a handler finishes. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

async function jobRow(t: TestDatabase, id: number) {
  return t.database.db
    .selectFrom('jobs')
    .select(['status', 'attempts', 'last_error'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

// The runner only talks to the JobQueue port; SQLite keeps these fast (the queue's contract runs on both).
describe('JobRunner', () => {
  let t: TestDatabase;
  let queue: SqlJobQueue;
  let runner: JobRunner | undefined;
  beforeEach(async () => {
    t = await createTestDatabase('sqlite');
    queue = new SqlJobQueue(t.database, { baseBackoffMs: 60_000 });
  });
  afterEach(async () => {
    await runner?.stop(1_000);
    runner = undefined;
    await t.dispose();
  });

  it('runs at most `concurrency` jobs at once and completes them all', async () => {
    const release = deferred();
    let active = 0;
    let peak = 0;
    const started: number[] = [];
    const allStarted = deferred();
    const handler: JobHandler = async (job) => {
      active += 1;
      peak = Math.max(peak, active);
      started.push(job.id);
      if (started.length === 6) allStarted.resolve();
      if (started.length <= 3) await release.promise;
      active -= 1;
    };
    for (let i = 0; i < 6; i += 1) await queue.enqueue(i % 2 ? 'scan' : 'fetch', { i });
    runner = new JobRunner({ queue, handlers: { scan: handler, fetch: handler }, concurrency: 3 });
    runner.start();
    while (started.length < 3) await tick();
    for (let i = 0; i < 20; i += 1) await tick();
    expect(started).toHaveLength(3);
    release.resolve();
    await allStarted.promise;
    await runner.stop(5_000);
    expect(peak).toBe(3);
    expect(await queue.depth()).toEqual({});
  });

  it('picks up new work on notify() without waiting for the next poll', async () => {
    const ran = deferred<ClaimedJob>();
    runner = new JobRunner({
      queue,
      handlers: { scan: (job) => Promise.resolve(ran.resolve(job)) },
      pollIntervalMs: 3_600_000,
    });
    runner.start();
    await tick();
    const { id } = await queue.enqueue('scan', { name: 'left-pad' });
    runner.notify();
    expect((await ran.promise).id).toBe(id);
  });

  it('records a failing handler and schedules a retry', async () => {
    const errors: unknown[] = [];
    const failed = deferred();
    const { id } = await queue.enqueue('scan', {});
    runner = new JobRunner({
      queue,
      handlers: { scan: () => Promise.reject(new Error('scanner crashed')) },
      onError: (error) => {
        errors.push(error);
        failed.resolve();
      },
    });
    runner.start();
    await failed.promise;
    await runner.stop(1_000);
    expect(await jobRow(t, id)).toEqual({ status: 'queued', attempts: 1, last_error: 'scanner crashed' });
  });

  it('keeps extending the lease while a handler runs', async () => {
    const extended = deferred();
    let extensions = 0;
    const spy: JobQueue = {
      enqueue: (...args) => queue.enqueue(...args),
      claim: (...args) => queue.claim(...args),
      complete: (...args) => queue.complete(...args),
      fail: (...args) => queue.fail(...args),
      depth: () => queue.depth(),
      extendLease: async (id, worker, ms) => {
        await queue.extendLease(id, worker, ms);
        extensions += 1;
        if (extensions === 3) extended.resolve();
      },
    };
    const { id } = await queue.enqueue('scan', {});
    runner = new JobRunner({ queue: spy, handlers: { scan: () => extended.promise }, leaseMs: 60 });
    runner.start();
    await extended.promise;
    await runner.stop(5_000);
    expect((await jobRow(t, id)).status).toBe('done');
  });

  it('lets in-flight jobs finish on stop', async () => {
    const finish = deferred();
    const began = deferred();
    const { id } = await queue.enqueue('scan', {});
    runner = new JobRunner({
      queue,
      handlers: {
        scan: async () => {
          began.resolve();
          await finish.promise;
        },
      },
    });
    runner.start();
    await began.promise;
    let stopped = false;
    const stopping = runner.stop(60_000).then(() => (stopped = true));
    for (let i = 0; i < 20; i += 1) await tick();
    expect(stopped).toBe(false);
    finish.resolve();
    await stopping;
    expect((await jobRow(t, id)).status).toBe('done');
  });

  it('aborts jobs still running after the stop timeout and gives them back', async () => {
    const began = deferred();
    let sawAbort = false;
    const { id } = await queue.enqueue('scan', {});
    runner = new JobRunner({
      queue,
      handlers: {
        scan: (_job, signal) =>
          new Promise<void>((_resolve, reject) => {
            began.resolve();
            signal.addEventListener('abort', () => {
              sawAbort = true;
              reject(new Error('aborted'));
            });
          }),
      },
    });
    runner.start();
    await began.promise;
    await runner.stop(20);
    expect(sawAbort).toBe(true);
    expect(await jobRow(t, id)).toMatchObject({ status: 'queued', attempts: 0 });
  });
});
