import type { Clock } from '../../core/clock.js';
import { systemClock } from '../../core/clock.js';
import type { ClaimedJob, JobQueue } from '../../store/ports.js';
import { syncSources, type SourceOutcome, type SyncDeps } from './sync-sources.js';

/** The job queue scheduled syncs run on. */
export const vulndbSyncQueue = 'vulndb.sync';

/** Dedupe key of the sync due in the interval slot containing `at`: every node schedules the same job. */
function slotKey(at: Date, intervalMs: number): string {
  return `vulndb.sync:${Math.floor(at.getTime() / intervalMs)}`;
}

/** Enqueues the next scheduled sync (idempotent across nodes and restarts); no-op when the interval is 0. */
export async function scheduleVulndbSync(
  jobs: Pick<JobQueue, 'enqueue'>,
  intervalMs: number,
  clock: Clock = systemClock,
  after: Date = clock.now(),
): Promise<void> {
  if (intervalMs <= 0) return;
  const next = new Date((Math.floor(after.getTime() / intervalMs) + 1) * intervalMs);
  await jobs.enqueue(
    vulndbSyncQueue,
    {},
    { dedupeKey: slotKey(next, intervalMs), runAt: next, maxAttempts: 3 },
  );
}

/**
 * The `vulndb.sync` job handler for the composition root's JobRunner: syncs every source, then schedules the
 * next run. Failures of single sources are recorded by `syncSources` and do not fail the job.
 */
export function createVulndbSyncJobHandler(
  deps: SyncDeps & {
    readonly jobs: Pick<JobQueue, 'enqueue'>;
    readonly intervalMs: number;
    readonly onOutcome?: (o: SourceOutcome[]) => void;
  },
): (job: ClaimedJob, signal: AbortSignal) => Promise<void> {
  return async (_job, signal) => {
    const outcomes = await syncSources(deps, signal);
    deps.onOutcome?.(outcomes);
    await scheduleVulndbSync(deps.jobs, deps.intervalMs, deps.clock ?? systemClock);
  };
}
