import { sql, type Selectable } from 'kysely';
import { AirlockError } from '../errors.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { Database } from './database.js';
import type { ClaimedJob, EnqueueOptions, JobQueue } from './ports.js';
import type { JobsTable } from './tables.js';

export interface SqlJobQueueOptions {
  readonly clock?: Clock;
  /** Attempts before a job is dead-lettered, when enqueue does not say. */
  readonly defaultMaxAttempts?: number;
  /** First retry delay; doubles with each attempt up to `maxBackoffMs`. */
  readonly baseBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Source of jitter in [0, 1); tests pin it. */
  readonly random?: () => number;
}

const maxErrorLength = 4000;

/** The JobQueue port on the `jobs` table; claims are leases so a dead worker's job runs again. */
export class SqlJobQueue implements JobQueue {
  readonly #database: Database;
  readonly #clock: Clock;
  readonly #defaultMaxAttempts: number;
  readonly #baseBackoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #random: () => number;

  constructor(database: Database, options: SqlJobQueueOptions = {}) {
    this.#database = database;
    this.#clock = options.clock ?? systemClock;
    this.#defaultMaxAttempts = options.defaultMaxAttempts ?? 5;
    this.#baseBackoffMs = options.baseBackoffMs ?? 5_000;
    this.#maxBackoffMs = options.maxBackoffMs ?? 15 * 60_000;
    this.#random = options.random ?? Math.random;
  }

  /** Adds a job; with a dedupe key, an unfinished job with that key is returned instead of a new one. */
  async enqueue(
    queue: string,
    payload: unknown,
    options: EnqueueOptions = {},
  ): Promise<{ id: number; created: boolean }> {
    const now = this.#clock.now().toISOString();
    const row = {
      queue,
      dedupe_key: options.dedupeKey ?? null,
      payload_json: JSON.stringify(payload ?? null),
      status: 'queued' as const,
      attempts: 0,
      max_attempts: options.maxAttempts ?? this.#defaultMaxAttempts,
      run_at: (options.runAt ?? this.#clock.now()).toISOString(),
      created_at: now,
      updated_at: now,
    };
    const db = this.#database.db;
    if (options.dedupeKey === undefined) {
      const inserted = await db.insertInto('jobs').values(row).returning('id').executeTakeFirstOrThrow();
      return { id: inserted.id, created: true };
    }
    // The open job with this key may finish between our insert and our lookup; then insert again.
    for (let round = 0; round < 5; round += 1) {
      const inserted = await db
        .insertInto('jobs')
        .values(row)
        .onConflict((oc) =>
          oc
            .column('dedupe_key')
            // Spelled exactly as the partial index is: SQLite matches the predicate textually, no parameters.
            .where(sql.ref('dedupe_key'), 'is not', null)
            .where(sql.ref('status'), 'in', sql`('queued', 'running')`)
            .doNothing(),
        )
        .returning('id')
        .executeTakeFirst();
      if (inserted) return { id: inserted.id, created: true };
      const existing = await db
        .selectFrom('jobs')
        .select('id')
        .where('dedupe_key', '=', options.dedupeKey)
        .where('status', 'in', ['queued', 'running'])
        .executeTakeFirst();
      if (existing) return { id: existing.id, created: false };
    }
    throw new AirlockError('CONFLICT', `could not enqueue job with dedupe key ${options.dedupeKey}`);
  }

  /** Leases up to `limit` due jobs; jobs whose lease ran out after their last attempt are dead-lettered. */
  async claim(
    queues: readonly string[],
    workerId: string,
    options: { limit: number; leaseMs: number },
  ): Promise<ClaimedJob[]> {
    if (queues.length === 0 || options.limit <= 0) return [];
    const nowDate = this.#clock.now();
    const now = nowDate.toISOString();
    const until = new Date(nowDate.getTime() + options.leaseMs).toISOString();
    const db = this.#database.db;
    await db
      .updateTable('jobs')
      .set({
        status: 'dead',
        locked_by: null,
        locked_until: null,
        last_error: 'the worker stopped answering during the last attempt (lease expired)',
        updated_at: now,
      })
      .where('status', '=', 'running')
      .where('locked_until', '<', now)
      .where((eb) => eb('attempts', '>=', eb.ref('max_attempts')))
      .where('queue', 'in', queues)
      .execute();

    let due = db
      .selectFrom('jobs')
      .select('id')
      .where('queue', 'in', queues)
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', now)]),
          eb.and([eb('status', '=', 'running'), eb('locked_until', '<', now)]),
        ]),
      )
      .orderBy('run_at')
      .orderBy('id')
      .limit(options.limit);
    // PostgreSQL: concurrent claimers skip each other's rows instead of queueing behind them.
    // SQLite: one writer at a time, so the single UPDATE … RETURNING is already exclusive.
    if (this.#database.engine === 'postgres') due = due.forUpdate().skipLocked();
    const rows = await db
      .updateTable('jobs')
      .set((eb) => ({
        status: 'running',
        attempts: eb('attempts', '+', 1),
        locked_by: workerId,
        locked_until: until,
        updated_at: now,
      }))
      .where('id', 'in', due)
      .returningAll()
      .execute();
    return rows.sort((a, b) => a.id - b.id).map(toClaimedJob);
  }

  /** Marks a leased job done; CONFLICT when this worker no longer holds its lease. */
  async complete(id: number, workerId: string): Promise<void> {
    const result = await this.#database.db
      .updateTable('jobs')
      .set({
        status: 'done',
        locked_by: null,
        locked_until: null,
        updated_at: this.#clock.now().toISOString(),
      })
      .where('id', '=', id)
      .where('locked_by', '=', workerId)
      .where('status', '=', 'running')
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw leaseLost(id, workerId);
  }

  /** Schedules a retry with exponential backoff and jitter, or dead-letters after the last attempt. */
  async fail(id: number, workerId: string, error: string): Promise<'retry' | 'dead'> {
    const db = this.#database.db;
    const job = await db
      .selectFrom('jobs')
      .select(['attempts', 'max_attempts'])
      .where('id', '=', id)
      .where('locked_by', '=', workerId)
      .where('status', '=', 'running')
      .executeTakeFirst();
    if (!job) throw leaseLost(id, workerId);
    const now = this.#clock.now();
    const outcome = job.attempts >= job.max_attempts ? 'dead' : 'retry';
    const result = await db
      .updateTable('jobs')
      .set({
        status: outcome === 'dead' ? 'dead' : 'queued',
        run_at: new Date(now.getTime() + this.backoffMs(job.attempts)).toISOString(),
        locked_by: null,
        locked_until: null,
        last_error: error.slice(0, maxErrorLength),
        updated_at: now.toISOString(),
      })
      .where('id', '=', id)
      .where('locked_by', '=', workerId)
      .where('status', '=', 'running')
      .where('attempts', '=', job.attempts)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw leaseLost(id, workerId);
    return outcome;
  }

  /** Gives a leased job back without counting the attempt (shutdown interrupted it). */
  async release(id: number, workerId: string): Promise<void> {
    await this.#database.db
      .updateTable('jobs')
      .set((eb) => ({
        status: 'queued',
        attempts: sql<number>`case when ${eb.ref('attempts')} > 0 then ${eb.ref('attempts')} - 1 else 0 end`,
        locked_by: null,
        locked_until: null,
        updated_at: this.#clock.now().toISOString(),
      }))
      .where('id', '=', id)
      .where('locked_by', '=', workerId)
      .where('status', '=', 'running')
      .execute();
  }

  /** Pushes the lease forward while a handler runs; CONFLICT when the lease was lost to another worker. */
  async extendLease(id: number, workerId: string, leaseMs: number): Promise<void> {
    const result = await this.#database.db
      .updateTable('jobs')
      .set({ locked_until: new Date(this.#clock.now().getTime() + leaseMs).toISOString() })
      .where('id', '=', id)
      .where('locked_by', '=', workerId)
      .where('status', '=', 'running')
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw leaseLost(id, workerId);
  }

  /** Counts of queued, running and dead jobs per queue. */
  async depth(): Promise<Record<string, { queued: number; running: number; dead: number }>> {
    const rows = await this.#database.db
      .selectFrom('jobs')
      .select(['queue', 'status', (eb) => eb.fn.countAll<number | string>().as('count')])
      .where('status', 'in', ['queued', 'running', 'dead'])
      .groupBy(['queue', 'status'])
      .execute();
    const depth: Record<string, { queued: number; running: number; dead: number }> = Object.create(
      null,
    ) as Record<string, { queued: number; running: number; dead: number }>;
    for (const row of rows) {
      const entry = (depth[row.queue] ??= { queued: 0, running: 0, dead: 0 });
      if (row.status === 'queued' || row.status === 'running' || row.status === 'dead') {
        entry[row.status] = Number(row.count);
      }
    }
    return depth;
  }

  /**
   * Jobs of `queue` that finished (done) since `since`, per UTC hour (`2026-01-01T13`), for throughput.
   * Finished jobs keep their row, so their `updated_at` is when they finished.
   */
  async finishedPerHour(queue: string, since: Date): Promise<{ hour: string; count: number }[]> {
    const rows = await this.#database.db
      .selectFrom('jobs')
      .select([
        sql<string>`substr(updated_at, 1, 13)`.as('hour'),
        (eb) => eb.fn.countAll<number | string>().as('count'),
      ])
      .where('queue', '=', queue)
      .where('status', '=', 'done')
      .where('updated_at', '>=', since.toISOString())
      .groupBy(sql`substr(updated_at, 1, 13)`)
      .execute();
    return rows
      .map((r) => ({ hour: r.hour, count: Number(r.count) }))
      .sort((a, b) => a.hour.localeCompare(b.hour));
  }

  /** Delay before retry number `attempts`: base·2^(attempts−1), capped, with ±50% jitter. */
  backoffMs(attempts: number): number {
    const exponential = Math.min(this.#maxBackoffMs, this.#baseBackoffMs * 2 ** Math.max(0, attempts - 1));
    return Math.round(exponential * (0.5 + this.#random()));
  }
}

function toClaimedJob(row: Selectable<JobsTable>): ClaimedJob {
  return {
    id: row.id,
    queue: row.queue,
    payload: JSON.parse(row.payload_json) as unknown,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
  };
}

function leaseLost(id: number, workerId: string): AirlockError {
  return new AirlockError(
    'CONFLICT',
    `job ${id} is no longer leased by worker ${workerId}; its lease expired and another worker may have it`,
  );
}
