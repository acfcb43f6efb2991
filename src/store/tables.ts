import type { Generated } from 'kysely';

/*
 * Storage conventions, the same on SQLite and PostgreSQL:
 * - timestamps are ISO-8601 UTC text from Date#toISOString() (sortable as text);
 * - JSON documents are text columns named *_json;
 * - booleans are integers 0/1;
 * - ids are integers (bigserial on PostgreSQL, parsed to number).
 * Each domain declares its own tables next to its code and reaches them with `db.withTables<…>()`.
 */

export interface TokensTable {
  id: Generated<number>;
  name: string;
  role: string;
  /** sha256 hex of the token; the token itself is never stored. */
  token_hash: string;
  /** First characters of the token, shown in listings so people can tell tokens apart. */
  prefix: string;
  created_at: string;
  created_by: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AuditEventsTable {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details_json: string;
  prev_hash: string;
  hash: string;
}

export interface JobsTable {
  id: Generated<number>;
  queue: string;
  /** When set, at most one unfinished job per key exists (idempotent enqueue). */
  dedupe_key: string | null;
  payload_json: string;
  status: 'queued' | 'running' | 'done' | 'dead';
  attempts: number;
  max_attempts: number;
  run_at: string;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface CoreTables {
  tokens: TokensTable;
  audit_events: AuditEventsTable;
  jobs: JobsTable;
}
