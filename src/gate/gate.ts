import { EventEmitter } from 'node:events';
import type { Clock } from '../core/clock.js';
import type { Decision, DecisionAction } from '../core/decision.js';
import { refKey, type PackageVersionRef } from '../core/package-ref.js';
import { AirlockError } from '../errors.js';
import type { AuditLog, JobQueue } from '../store/ports.js';
import type { DecisionRecord, GateStore, GateVersion } from './gate-store.js';
import type { GatePolicy } from './gate-policy.js';
import { decidedStates, type GateState } from './tables.js';

export const scanQueue = 'gate.scan';

/** A recorded decision, for live listeners (the dashboard's event stream). */
export interface GateChange {
  readonly ref: PackageVersionRef;
  readonly state: GateState;
  readonly previousState: GateState | undefined;
  readonly decidedBy: string;
}

export interface GateOptions {
  readonly store: GateStore;
  readonly jobs: JobQueue;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly policy: GatePolicy;
  /** Wakes this process's job runner after an enqueue (other processes poll). */
  readonly wakeWorkers?: () => void;
  readonly pollIntervalMs?: number;
}

// Not a ref key (those contain `:` and `@`), so it cannot collide with a version's waiters.
const changeEvent = 'gate.change';

/** The quarantine: versions enter `pending`, are scanned, and leave only by a recorded decision. */
export class Gate {
  readonly store: GateStore;
  readonly #o: GateOptions;
  readonly #events = new EventEmitter();
  #policy: GatePolicy;

  constructor(options: GateOptions) {
    this.#o = options;
    this.store = options.store;
    this.#policy = options.policy;
    this.#events.setMaxListeners(0);
  }

  get policy(): GatePolicy {
    return this.#policy;
  }

  /** Puts a version into quarantine and queues its scan, unless the gate knows it already. */
  async request(
    ref: PackageVersionRef,
    input: { integrity: string; publishedAt: string | undefined; baseline?: boolean },
  ): Promise<void> {
    await this.#o.store.ensurePending(ref, input);
    const current = await this.#o.store.version(ref);
    if (current && (current.state === 'pending' || current.state === 'scanning')) {
      const queued = await this.#o.jobs.enqueue(scanQueue, ref, { dedupeKey: refKey(ref), maxAttempts: 4 });
      if (queued.created) this.#o.wakeWorkers?.();
    }
  }

  /** Queues another evaluation of an already decided version (policy change, cooldown over). */
  async reevaluate(ref: PackageVersionRef): Promise<void> {
    const queued = await this.#o.jobs.enqueue(
      scanQueue,
      { ...ref, reevaluate: true },
      { dedupeKey: refKey(ref) },
    );
    if (queued.created) this.#o.wakeWorkers?.();
  }

  /** Waits until the version is decided or `timeoutMs` passes; returns what the gate knows then. */
  async awaitDecision(ref: PackageVersionRef, timeoutMs: number): Promise<GateVersion | undefined> {
    const deadline = Date.now() + timeoutMs;
    const key = refKey(ref);
    for (;;) {
      const current = await this.#o.store.version(ref);
      if (!current || decidedStates.includes(current.state)) return current;
      const left = deadline - Date.now();
      if (left <= 0) return current;
      // Woken early by a decision in this process; other processes' decisions arrive by polling.
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.#events.off(key, done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(left, this.#o.pollIntervalMs ?? 250));
        this.#events.on(key, done);
      });
    }
  }

  /** Stores a decision, writes its audit event and wakes waiters. */
  async record(
    ref: PackageVersionRef,
    record: DecisionRecord,
    auditAction = 'version.decide',
  ): Promise<void> {
    const previousState =
      this.#events.listenerCount(changeEvent) > 0 ? (await this.#o.store.version(ref))?.state : undefined;
    const state = await this.#o.store.recordDecision(ref, record);
    await this.#o.audit.append({
      actor: record.decision.decidedBy,
      action: auditAction,
      subject: refKey(ref),
      details: {
        state,
        action: record.decision.action,
        reasons: record.decision.reasons,
        policyDigest: record.decision.policyDigest,
      },
    });
    this.#events.emit(refKey(ref));
    const change: GateChange = { ref, state, previousState, decidedBy: record.decision.decidedBy };
    this.#events.emit(changeEvent, change);
  }

  /** Calls `listener` after every decision this process records; returns the unsubscribe. */
  onChange(listener: (change: GateChange) => void): () => void {
    // A listener's failure must not fail the decision that was already stored.
    const safe = (change: GateChange) => {
      try {
        listener(change);
      } catch {
        // The listener reports its own problems.
      }
    };
    this.#events.on(changeEvent, safe);
    return () => this.#events.off(changeEvent, safe);
  }

  /** A person's decision (reviewer role checked by the caller); the version must be known to the gate. */
  async decideByHand(
    ref: PackageVersionRef,
    action: Exclude<DecisionAction, 'review'>,
    actor: string,
    reason: string,
  ): Promise<GateVersion> {
    const current = await this.#o.store.version(ref);
    if (!current) {
      throw new AirlockError(
        'NOT_FOUND',
        `${ref.name}@${ref.version} is not known to Airlock yet; request it first`,
      );
    }
    const decision: Decision = {
      action,
      reasons: [{ rule: 'manual', message: reason }],
      policyDigest: this.#policy.digest,
      decidedBy: actor,
      at: this.#o.clock.now().toISOString(),
    };
    await this.record(
      ref,
      { decision, findings: current.findings, facts: current.facts },
      `version.${action}`,
    );
    return (await this.#o.store.version(ref))!;
  }
}
