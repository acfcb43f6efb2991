import type { Clock } from '../core/clock.js';
import type { Gate } from './gate.js';

/**
 * Re-decides versions whose timed hold (the cooldown) has ended, with nobody needing to look. Runs in
 * every process; the job queue's dedupe key keeps two processes from queueing the same version twice.
 */
export class ReevaluationScheduler {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(
    private readonly gate: Gate,
    private readonly clock: Clock,
    private readonly intervalMs = 30_000,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  start(): void {
    this.#timer ??= setInterval(() => void this.tick(), this.intervalMs);
    this.#timer.unref();
  }

  /** One pass: queue every version that is due. */
  tick(): Promise<void> {
    this.#running ??= (async () => {
      try {
        const due = await this.gate.store.dueForReevaluation(this.clock.now());
        for (const version of due) await this.gate.reevaluate(version.ref);
      } catch (error) {
        this.onError(error);
      } finally {
        this.#running = undefined;
      }
    })();
    return this.#running;
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }
}
