import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import {
  analyzeContents,
  defaultContentBudget,
  type ContentBudget,
  type ContentReport,
} from '../content/analyze-contents.js';
import type { ScanJobMessage, ScanResultMessage } from './messages.js';

export interface ScanPoolOptions {
  /** Worker threads; 0 analyses on the calling thread (no hard time limit then). */
  readonly size?: number;
  readonly budget?: ContentBudget;
  /** Hard wall-clock limit per package: the worker is ended and the result marked incomplete. */
  readonly hardTimeoutMs?: number;
  /** Worker resource limit, so one tarball cannot take the heap of the process. */
  readonly maxHeapMb?: number;
}

interface Pending {
  readonly job: ScanJobMessage;
  readonly resolve: (report: ContentReport) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  busy?: Pending;
  timer?: NodeJS.Timeout;
}

/** A report for a package whose analysis was stopped from outside. */
function stoppedReport(reason: string): ContentReport {
  return { inventory: [], files: [], problems: [], incomplete: [reason], unpackedBytes: 0, analysedFiles: 0 };
}

function startWorker(maxHeapMb: number): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: maxHeapMb };
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./worker.js', import.meta.url), { resourceLimits });
  // Under tsx/vitest this module is TypeScript source: the worker registers the same loader first.
  const entry = JSON.stringify(new URL('./worker.ts', import.meta.url).href);
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${entry}); });`;
  return new Worker(bootstrap, { eval: true, resourceLimits });
}

/** A small pool of scan workers with a per-package hard timeout; a crashed or stuck worker is replaced. */
export class ScanWorkerPool {
  readonly #slots: Slot[] = [];
  readonly #queue: Pending[] = [];
  readonly #budget: ContentBudget;
  readonly #hardTimeoutMs: number;
  readonly #size: number;
  readonly #maxHeapMb: number;
  #nextId = 1;
  #closed = false;

  constructor(options: ScanPoolOptions = {}) {
    this.#size = options.size ?? Math.max(1, Math.min(2, availableParallelism() - 1));
    this.#budget = options.budget ?? defaultContentBudget;
    this.#hardTimeoutMs = options.hardTimeoutMs ?? 10_000;
    this.#maxHeapMb = options.maxHeapMb ?? 512;
  }

  /** Analyses one tarball; resolves with an incomplete report rather than rejecting on timeouts and crashes. */
  analyze(tarball: Uint8Array, priority: readonly string[] = []): Promise<ContentReport> {
    if (this.#size === 0) return Promise.resolve(analyzeContents(tarball, this.#budget, priority));
    if (this.#closed) return Promise.reject(new Error('the scan worker pool is closed'));
    return new Promise((resolve, reject) => {
      this.#queue.push({
        job: { id: this.#nextId++, tarball, budget: this.#budget, priority: [...priority] },
        resolve,
        reject,
      });
      this.#dispatch();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const pending of this.#queue.splice(0)) pending.reject(new Error('the scan worker pool closed'));
    await Promise.all(this.#slots.splice(0).map((slot) => this.#stop(slot)));
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      let slot = this.#slots.find((s) => s.busy === undefined);
      if (!slot && this.#slots.length < this.#size) slot = this.#spawn();
      if (!slot) return;
      const pending = this.#queue.shift() as Pending;
      slot.busy = pending;
      slot.timer = setTimeout(
        () => this.#fail(slot, stoppedReport(`package hard time limit of ${this.#hardTimeoutMs} ms`)),
        this.#hardTimeoutMs,
      );
      slot.worker.postMessage(pending.job);
    }
  }

  #spawn(): Slot {
    const worker = startWorker(this.#maxHeapMb);
    worker.unref();
    const slot: Slot = { worker };
    worker.on('message', (message: ScanResultMessage) => {
      const pending = slot.busy;
      if (!pending || pending.job.id !== message.id) return;
      this.#release(slot);
      if (message.ok) pending.resolve(message.report);
      else pending.resolve(stoppedReport(`analysis failed: ${message.error}`));
      this.#dispatch();
    });
    worker.on('error', (error) => this.#fail(slot, stoppedReport(`scan worker crashed: ${error.message}`)));
    worker.on('exit', () => {
      if (slot.busy) this.#fail(slot, stoppedReport('scan worker exited'));
    });
    this.#slots.push(slot);
    return slot;
  }

  #release(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.busy = undefined;
  }

  /** Ends the worker of a stuck or crashed job, answers the job, and lets a fresh worker take the queue. */
  #fail(slot: Slot, report: ContentReport): void {
    const pending = slot.busy;
    this.#release(slot);
    const index = this.#slots.indexOf(slot);
    if (index !== -1) this.#slots.splice(index, 1);
    void this.#stop(slot);
    pending?.resolve(report);
    if (!this.#closed) this.#dispatch();
  }

  async #stop(slot: Slot): Promise<void> {
    slot.worker.removeAllListeners('exit');
    await slot.worker.terminate();
  }
}
