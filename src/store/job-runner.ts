import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { describeError, isAirlockError } from '../errors.js';
import type { ClaimedJob, JobQueue } from './ports.js';

/** Runs one job; it should stop soon after `signal` aborts (shutdown or a lost lease). */
export type JobHandler = (job: ClaimedJob, signal: AbortSignal) => Promise<void>;

export interface JobRunnerOptions {
  readonly queue: JobQueue;
  /** Handlers by queue name; the runner claims only from these queues. */
  readonly handlers: Readonly<Record<string, JobHandler>> | ReadonlyMap<string, JobHandler>;
  readonly concurrency?: number;
  readonly leaseMs?: number;
  /** How often to look for work when nobody calls `notify()` (other processes enqueue too). */
  readonly pollIntervalMs?: number;
  readonly workerId?: string;
  /** Told about failures the runner survives (a handler threw, the database hiccuped). */
  readonly onError?: (error: unknown, job?: ClaimedJob) => void;
}

interface RunningJob {
  readonly job: ClaimedJob;
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

/** Polls the queue and runs up to `concurrency` jobs at once, keeping their leases alive. */
export class JobRunner {
  readonly workerId: string;
  readonly #queue: JobQueue;
  readonly #handlers: ReadonlyMap<string, JobHandler>;
  readonly #concurrency: number;
  readonly #leaseMs: number;
  readonly #pollIntervalMs: number;
  readonly #onError: (error: unknown, job?: ClaimedJob) => void;
  readonly #running = new Map<number, RunningJob>();
  #loop: Promise<void> | undefined;
  #stopping = false;
  #wake: (() => void) | undefined;
  #pendingWake = false;

  constructor(options: JobRunnerOptions) {
    this.#queue = options.queue;
    this.#handlers =
      options.handlers instanceof Map ? options.handlers : new Map(Object.entries(options.handlers));
    this.#concurrency = Math.max(1, options.concurrency ?? 2);
    this.#leaseMs = options.leaseMs ?? 60_000;
    this.#pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.#onError = options.onError ?? (() => undefined);
  }

  /** Starts polling; calling it twice is harmless. */
  start(): void {
    if (this.#loop || this.#stopping) return;
    this.#loop = this.#run();
  }

  /** Looks for work now instead of at the next poll (call after enqueueing). */
  notify(): void {
    this.#pendingWake = true;
    this.#wake?.();
  }

  /** Jobs running right now. */
  get active(): number {
    return this.#running.size;
  }

  /**
   * Stops claiming, lets running jobs finish for up to `timeoutMs`, then aborts them and hands their
   * jobs back to the queue so another worker picks them up.
   */
  async stop(timeoutMs = 15_000): Promise<void> {
    this.#stopping = true;
    this.notify();
    await this.#loop;
    const inFlight = [...this.#running.values()];
    const finished = await settleWithin(
      inFlight.map((r) => r.done),
      timeoutMs,
    );
    if (finished) return;
    for (const running of this.#running.values()) running.controller.abort(new Error('shutting down'));
    // Handlers that honour the signal finish promptly; do not wait forever for those that do not.
    await settleWithin(
      [...this.#running.values()].map((r) => r.done),
      Math.min(timeoutMs, 2_000),
    );
  }

  async #run(): Promise<void> {
    const queues = [...this.#handlers.keys()];
    while (!this.#stopping) {
      const free = this.#concurrency - this.#running.size;
      let claimed: ClaimedJob[] = [];
      this.#pendingWake = false;
      if (free > 0) {
        try {
          claimed = await this.#queue.claim(queues, this.workerId, { limit: free, leaseMs: this.#leaseMs });
        } catch (error) {
          this.#onError(error);
        }
      }
      for (const job of claimed) {
        // Our own lease ran out while the job still runs here (a stalled event loop): keep the one run.
        if (!this.#running.has(job.id)) this.#startJob(job);
      }
      // A full batch suggests more work is waiting; otherwise sleep until notified, a slot frees or the poll.
      if (this.#stopping) break;
      if (claimed.length > 0 && claimed.length === free) continue;
      await this.#sleep();
    }
  }

  #startJob(job: ClaimedJob): void {
    const controller = new AbortController();
    const done = this.#execute(job, controller).finally(() => {
      this.#running.delete(job.id);
      this.notify();
    });
    this.#running.set(job.id, { job, controller, done });
  }

  async #execute(job: ClaimedJob, controller: AbortController): Promise<void> {
    const handler = this.#handlers.get(job.queue);
    const heartbeat = setInterval(
      () => {
        this.#queue.extendLease(job.id, this.workerId, this.#leaseMs).catch((error: unknown) => {
          // Another worker owns the job now: stop ours so the work is not done twice at once.
          if (isAirlockError(error, 'CONFLICT')) controller.abort(error);
          this.#onError(error, job);
        });
      },
      Math.max(10, Math.floor(this.#leaseMs / 3)),
    );
    let failure: { error: unknown } | undefined;
    try {
      if (!handler) throw new Error(`no handler for queue ${job.queue}`);
      await handler(job, controller.signal);
    } catch (error) {
      failure = { error };
    } finally {
      clearInterval(heartbeat);
    }
    if (!failure) {
      // The work finished even if a stop asked it to hurry; a lost lease shows up here as CONFLICT.
      await this.#queue.complete(job.id, this.workerId).catch((error: unknown) => this.#onError(error, job));
    } else if (controller.signal.aborted && this.#stopping) {
      await this.#giveBack(job);
    } else if (!controller.signal.aborted) {
      this.#onError(failure.error, job);
      await this.#queue
        .fail(job.id, this.workerId, describeError(failure.error))
        .catch((error: unknown) => this.#onError(error, job));
    }
    // Aborted because the lease was lost: the job belongs to another worker now; leave it alone.
  }

  async #giveBack(job: ClaimedJob): Promise<void> {
    // Without release the lease simply runs out and another worker claims the job then.
    await this.#queue.release?.(job.id, this.workerId).catch((error: unknown) => this.#onError(error, job));
  }

  #sleep(): Promise<void> {
    if (this.#pendingWake || this.#stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(finish, this.#pollIntervalMs);
      function finish(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = undefined;
        finish();
      };
    });
  }
}

/** True when every promise settled within `ms`. */
async function settleWithin(promises: readonly Promise<unknown>[], ms: number): Promise<boolean> {
  if (promises.length === 0) return true;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const all = Promise.allSettled(promises).then(() => true as const);
  try {
    return await Promise.race([all, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
