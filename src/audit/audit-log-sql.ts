import { sql, type Kysely, type Selectable } from 'kysely';
import { AirlockError } from '../errors.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { Database } from '../store/database.js';
import type { AuditEvent, AuditEventInput, AuditLog, AuditVerification } from '../store/ports.js';
import type { AuditEventsTable, CoreTables } from '../store/tables.js';
import { canonicalJson } from './canonical-json.js';
import { eventHash, genesisHash } from './audit-chain.js';
import { verifyChain } from './verify-chain.js';

export interface AuditListFilter {
  actor?: string;
  action?: string;
  subjectPrefix?: string;
  beforeId?: number;
  limit?: number;
}

const maxFieldLength = 512;
const maxDetailsLength = 64 * 1024;

/** The AuditLog port on the `audit_events` table: append-only and hash-chained. */
export class SqlAuditLog implements AuditLog {
  readonly #database: Database;
  readonly #clock: Clock;

  constructor(database: Database, clock: Clock = systemClock) {
    this.#database = database;
    this.#clock = clock;
  }

  /** Appends one event after the current last one; appends from every process are serialized. */
  async append(input: AuditEventInput): Promise<AuditEvent> {
    const details = input.details ?? {};
    const detailsJson = canonicalJson(details);
    checkSizes(input, detailsJson);
    return this.#serialized(async (db) => {
      const last = await db
        .selectFrom('audit_events')
        .select('hash')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      const prevHash = last?.hash ?? genesisHash;
      const at = this.#clock.now().toISOString();
      const fields = { at, actor: input.actor, action: input.action, subject: input.subject };
      // Hash what will be read back: the stored canonical text, parsed again.
      const hash = eventHash({ ...fields, details: JSON.parse(detailsJson), prevHash });
      const row = await db
        .insertInto('audit_events')
        .values({ ...fields, details_json: detailsJson, prev_hash: prevHash, hash })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toEvent(row);
    });
  }

  /** Newest first, filtered; at most `limit` (default 100, at most 1000). */
  async list(filter: AuditListFilter = {}): Promise<AuditEvent[]> {
    let query = this.#database.db.selectFrom('audit_events').selectAll();
    if (filter.actor !== undefined) query = query.where('actor', '=', filter.actor);
    if (filter.action !== undefined) query = query.where('action', '=', filter.action);
    if (filter.subjectPrefix !== undefined && filter.subjectPrefix !== '') {
      const prefix = filter.subjectPrefix;
      query = query.where(sql<string>`substr(subject, 1, ${prefix.length})`, '=', prefix);
    }
    if (filter.beforeId !== undefined) query = query.where('id', '<', filter.beforeId);
    const limit = Math.min(Math.max(1, Math.floor(filter.limit ?? 100)), 1000);
    const rows = await query.orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toEvent);
  }

  /** Walks the whole chain in id order and reports the first edited or missing event. */
  async verify(): Promise<AuditVerification> {
    const db = this.#database.db;
    const batches = async function* (): AsyncGenerator<Selectable<AuditEventsTable>[]> {
      let afterId = 0;
      for (;;) {
        const rows = await db
          .selectFrom('audit_events')
          .selectAll()
          .where('id', '>', afterId)
          .orderBy('id')
          .limit(1000)
          .execute();
        if (rows.length === 0) return;
        yield rows;
        afterId = rows[rows.length - 1]?.id ?? afterId;
      }
    };
    return verifyChain(batches());
  }

  /** Runs `work` holding the log's write lock, so each append sees the true last event. */
  async #serialized<T>(work: (db: Kysely<CoreTables>) => Promise<T>): Promise<T> {
    const db = this.#database.db;
    if (this.#database.engine === 'postgres') {
      return db.transaction().execute(async (trx) => {
        // One lock per schema, released at commit; other schemas (test runs) do not wait on it.
        await sql`select pg_advisory_xact_lock(hashtext('airlock.audit_events.' || current_schema()))`.execute(
          trx,
        );
        return work(trx);
      });
    }
    // SQLite: BEGIN IMMEDIATE takes the write lock before reading the last event, so another process
    // cannot append between our read and our insert (a deferred BEGIN would only lock at the insert).
    return db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      try {
        const result = await work(conn);
        await sql`commit`.execute(conn);
        return result;
      } catch (error) {
        await sql`rollback`.execute(conn).catch(() => undefined);
        throw error;
      }
    });
  }
}

function checkSizes(input: AuditEventInput, detailsJson: string): void {
  for (const [field, value] of [
    ['actor', input.actor],
    ['action', input.action],
    ['subject', input.subject],
  ] as const) {
    if (value.length === 0 || value.length > maxFieldLength) {
      throw new AirlockError('BAD_REQUEST', `audit event ${field} must be 1–${maxFieldLength} characters`);
    }
  }
  if (detailsJson.length > maxDetailsLength) {
    throw new AirlockError('BAD_REQUEST', `audit event details exceed ${maxDetailsLength} characters`);
  }
}

function toEvent(row: Selectable<AuditEventsTable>): AuditEvent {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    details: JSON.parse(row.details_json) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
