import type { Readable } from 'node:stream';

/** A stored blob: its sha512 integrity in npm's SRI form (`sha512-<base64>`) and its size. */
export interface BlobRef {
  readonly integrity: string;
  readonly size: number;
}

/** Content-addressed blob storage (tarballs, archives). Writes are atomic: a blob is whole or absent. */
export interface BlobStore {
  /** Stores bytes; rejects with INTEGRITY_MISMATCH (storing nothing) when `expectedIntegrity` differs. */
  put(
    data: Uint8Array | AsyncIterable<Uint8Array>,
    options?: { expectedIntegrity?: string; maxBytes?: number },
  ): Promise<BlobRef>;
  has(integrity: string): Promise<boolean>;
  /** Whole blob in memory; BLOB_NOT_FOUND when absent, BLOB_CORRUPT when verify-on-read fails. */
  get(integrity: string): Promise<Buffer>;
  /** Streaming read; BLOB_NOT_FOUND when absent. */
  stream(integrity: string): Promise<Readable>;
  /** Throws when the store cannot be read and written (readiness). */
  ping(): Promise<void>;
  readonly location: string;
}

export interface EnqueueOptions {
  /** At most one unfinished job per key: enqueueing again returns the existing job. */
  readonly dedupeKey?: string;
  readonly runAt?: Date;
  readonly maxAttempts?: number;
}

export interface ClaimedJob<P = unknown> {
  readonly id: number;
  readonly queue: string;
  readonly payload: P;
  /** Attempts including this one. */
  readonly attempts: number;
  readonly maxAttempts: number;
}

/** A durable job queue in the database; claims are leases, so a dead worker's job is picked up again. */
export interface JobQueue {
  enqueue(
    queue: string,
    payload: unknown,
    options?: EnqueueOptions,
  ): Promise<{ id: number; created: boolean }>;
  /** Leases up to `limit` runnable jobs (queued and due, or running with an expired lease). */
  claim(
    queues: readonly string[],
    workerId: string,
    options: { limit: number; leaseMs: number },
  ): Promise<ClaimedJob[]>;
  complete(id: number, workerId: string): Promise<void>;
  /** Schedules a retry with backoff, or dead-letters the job after its last attempt. */
  fail(id: number, workerId: string, error: string): Promise<'retry' | 'dead'>;
  extendLease(id: number, workerId: string, leaseMs: number): Promise<void>;
  /** Gives a leased job back without counting the attempt (a shutdown interrupted it). */
  release?(id: number, workerId: string): Promise<void>;
  /** Unfinished jobs per queue, for /metrics and the dashboard. */
  depth(): Promise<Record<string, { queued: number; running: number; dead: number }>>;
}

export interface AuditEventInput {
  /** Who: a token name, `policy`, `system` or `anonymous`. */
  readonly actor: string;
  /** What, as a dotted verb: `version.approve`, `token.create`, `policy.apply`. */
  readonly action: string;
  /** What it was done to: `npm:lodash@4.17.21`, `token:ci`. */
  readonly subject: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface AuditEvent extends AuditEventInput {
  readonly id: number;
  readonly at: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly prevHash: string;
  readonly hash: string;
}

export type AuditVerification =
  | { readonly intact: true; readonly events: number; readonly lastHash: string }
  | {
      readonly intact: false;
      readonly events: number;
      readonly firstBadId: number;
      readonly problem: string;
    };

/** Append-only, hash-chained audit log. */
export interface AuditLog {
  append(event: AuditEventInput): Promise<AuditEvent>;
  list(filter?: {
    actor?: string;
    action?: string;
    subjectPrefix?: string;
    beforeId?: number;
    limit?: number;
  }): Promise<AuditEvent[]>;
  verify(): Promise<AuditVerification>;
}
