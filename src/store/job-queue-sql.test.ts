import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { isAirlockError } from '../errors.js';
import { openDatabase, type Database } from './database.js';
import { SqlJobQueue } from './job-queue-sql.js';
import { createTestDatabase, engines, type TestDatabase } from './test-support/databases.js';

const lease = { limit: 10, leaseMs: 30_000 };

describe.each(engines)('SqlJobQueue on %s', (engine) => {
  let t: TestDatabase;
  let clock: ManualClock;
  let queue: SqlJobQueue;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    clock = new ManualClock('2026-03-01T12:00:00Z');
    queue = new SqlJobQueue(t.database, { clock, baseBackoffMs: 1_000, random: () => 0.5 });
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('hands out a job once, with its payload, and forgets it when complete', async () => {
    const { id, created } = await queue.enqueue('scan', { name: 'lodash', version: '4.17.21' });
    expect(created).toBe(true);
    await queue.enqueue('other', {});
    const claimed = await queue.claim(['scan'], 'w1', lease);
    expect(claimed).toEqual([
      { id, queue: 'scan', payload: { name: 'lodash', version: '4.17.21' }, attempts: 1, maxAttempts: 5 },
    ]);
    expect(await queue.claim(['scan'], 'w2', lease)).toEqual([]);
    expect(await queue.depth()).toEqual({
      scan: { queued: 0, running: 1, dead: 0 },
      other: { queued: 1, running: 0, dead: 0 },
    });
    await queue.complete(id, 'w1');
    expect((await queue.depth()).scan).toBeUndefined();
  });

  it('keeps one unfinished job per dedupe key', async () => {
    const first = await queue.enqueue('scan', { n: 1 }, { dedupeKey: 'scan:npm:a@1' });
    const again = await queue.enqueue('scan', { n: 2 }, { dedupeKey: 'scan:npm:a@1' });
    expect(again).toEqual({ id: first.id, created: false });
    await queue.claim(['scan'], 'w1', lease);
    expect(await queue.enqueue('scan', {}, { dedupeKey: 'scan:npm:a@1' })).toEqual({
      id: first.id,
      created: false,
    });
    await queue.complete(first.id, 'w1');
    const later = await queue.enqueue('scan', {}, { dedupeKey: 'scan:npm:a@1' });
    expect(later.created).toBe(true);
    expect(later.id).not.toBe(first.id);
  });

  it('holds back jobs scheduled for later', async () => {
    await queue.enqueue('scan', {}, { runAt: new Date('2026-03-01T12:05:00Z') });
    expect(await queue.claim(['scan'], 'w1', lease)).toEqual([]);
    clock.advance(5 * 60_000);
    expect(await queue.claim(['scan'], 'w1', lease)).toHaveLength(1);
  });

  it('gives a job whose lease expired to another worker, and the old worker loses it', async () => {
    const { id } = await queue.enqueue('scan', {});
    await queue.claim(['scan'], 'w1', { limit: 1, leaseMs: 10_000 });
    clock.advance(9_000);
    expect(await queue.claim(['scan'], 'w2', lease)).toEqual([]);
    await queue.extendLease(id, 'w1', 10_000);
    clock.advance(9_000);
    expect(await queue.claim(['scan'], 'w2', lease)).toEqual([]);
    clock.advance(2_000);
    const reclaimed = await queue.claim(['scan'], 'w2', lease);
    expect(reclaimed.map((j) => [j.id, j.attempts])).toEqual([[id, 2]]);
    expect(isAirlockError(await queue.complete(id, 'w1').catch((e: unknown) => e), 'CONFLICT')).toBe(true);
    expect(isAirlockError(await queue.extendLease(id, 'w1', 1).catch((e: unknown) => e), 'CONFLICT')).toBe(
      true,
    );
    await queue.complete(id, 'w2');
  });

  it('retries with exponential backoff and dead-letters after the last attempt', async () => {
    const { id } = await queue.enqueue('scan', {}, { maxAttempts: 3 });
    await queue.claim(['scan'], 'w1', lease);
    expect(await queue.fail(id, 'w1', 'tarball unreachable')).toBe('retry');
    clock.advance(999);
    expect(await queue.claim(['scan'], 'w1', lease)).toEqual([]);
    clock.advance(1);
    expect(await queue.claim(['scan'], 'w1', lease)).toHaveLength(1);
    expect(await queue.fail(id, 'w1', 'again')).toBe('retry');
    clock.advance(1_999);
    expect(await queue.claim(['scan'], 'w1', lease)).toEqual([]);
    clock.advance(1);
    expect((await queue.claim(['scan'], 'w1', lease))[0]?.attempts).toBe(3);
    expect(await queue.fail(id, 'w1', 'x'.repeat(10_000))).toBe('dead');
    clock.advance(24 * 3600_000);
    expect(await queue.claim(['scan'], 'w1', lease)).toEqual([]);
    expect((await queue.depth()).scan).toEqual({ queued: 0, running: 0, dead: 1 });
    const row = await t.database.db.selectFrom('jobs').select('last_error').executeTakeFirstOrThrow();
    expect(row.last_error).toHaveLength(4000);
  });

  it('spreads retries with jitter', () => {
    const jittery = new SqlJobQueue(t.database, {
      baseBackoffMs: 1_000,
      maxBackoffMs: 10_000,
      random: () => 0,
    });
    expect([1, 2, 3, 4, 5, 10].map((n) => jittery.backoffMs(n))).toEqual([500, 1000, 2000, 4000, 5000, 5000]);
    const high = new SqlJobQueue(t.database, { baseBackoffMs: 1_000, random: () => 0.999 });
    expect(high.backoffMs(1)).toBe(1499);
  });

  it('dead-letters a job whose worker died during its last attempt', async () => {
    await queue.enqueue('scan', {}, { maxAttempts: 1 });
    await queue.claim(['scan'], 'w1', { limit: 1, leaseMs: 1_000 });
    clock.advance(2_000);
    expect(await queue.claim(['scan'], 'w2', lease)).toEqual([]);
    expect((await queue.depth()).scan).toEqual({ queued: 0, running: 0, dead: 1 });
  });

  it('takes a released job back without counting the attempt', async () => {
    const { id } = await queue.enqueue('scan', {});
    await queue.claim(['scan'], 'w1', lease);
    await queue.release(id, 'w1');
    expect((await queue.claim(['scan'], 'w2', lease))[0]?.attempts).toBe(1);
  });

  it('claims oldest first and at most `limit`', async () => {
    const ids = [];
    for (let i = 0; i < 5; i += 1) ids.push((await queue.enqueue('scan', { i })).id);
    const first = await queue.claim(['scan', 'unused'], 'w1', { limit: 3, leaseMs: 1_000 });
    expect(first.map((j) => j.id)).toEqual(ids.slice(0, 3));
  });

  it('never hands the same job to two workers claiming at once', async () => {
    const total = 60;
    for (let i = 0; i < total; i += 1) await queue.enqueue('scan', { i });
    // Separate handles: separate SQLite connections, or separate PostgreSQL pools.
    const handles: Database[] = await Promise.all(
      [0, 1, 2, 3].map(() => openDatabase({ url: t.url, schema: t.schema, poolSize: 3 })),
    );
    try {
      const workers = handles.flatMap((handle, h) =>
        [0, 1].map(async (w) => {
          const worker = new SqlJobQueue(handle, { clock });
          const seen: number[] = [];
          for (;;) {
            const jobs = await worker.claim(['scan'], `w${h}-${w}`, { limit: 3, leaseMs: 60_000 });
            if (jobs.length === 0) return seen;
            seen.push(...jobs.map((j) => j.id));
            await Promise.all(jobs.map((j) => worker.complete(j.id, `w${h}-${w}`)));
          }
        }),
      );
      const claimed = (await Promise.all(workers)).flat();
      expect(claimed).toHaveLength(total);
      expect(new Set(claimed).size).toBe(total);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
    }
  });
});
