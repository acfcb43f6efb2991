import type { Kysely, Selectable } from 'kysely';
import type { PackageVersionRef } from '../core/package-ref.js';
import type { Database } from '../store/database.js';
import type { GateBlockedAttemptsTable, GateTables } from './tables.js';

/** Who tried to install a blocked version: the token's name (or `anonymous`) and where from. */
export interface Requester {
  readonly principal: string;
  readonly clientIp: string;
  readonly userAgent: string;
}

/** Attempts of one requester at one blocked version, as the buffer hands them to the store. */
export interface BlockedAttemptBatchEntry extends Requester {
  readonly ref: PackageVersionRef;
  readonly reason: string;
  readonly attempts: number;
  readonly firstAt: string;
  readonly lastAt: string;
}

/** One aggregated row: how often, first and last time, and the latest reason. */
export interface BlockedAttempt extends BlockedAttemptBatchEntry {
  readonly id: number;
}

export interface BlockedAttemptQuery {
  readonly limit: number;
  /** Only rows whose last attempt is at or after this ISO time. */
  readonly since?: string;
  readonly name?: string;
}

/** Bounds on attacker-supplied text kept per row. */
export const blockedAttemptLimits = {
  principal: 100,
  clientIp: 64,
  userAgent: 200,
  reason: 500,
} as const;

/** SQL storage of refused tarball requests, aggregated per (version, principal, client IP). */
export class BlockedAttemptStore {
  readonly #db: Kysely<GateTables>;

  constructor(database: Database) {
    this.#db = database.db.withTables<GateTables>() as unknown as Kysely<GateTables>;
  }

  /** Adds a batch in one transaction: new requesters get a row, known ones a higher count. */
  async add(batch: readonly BlockedAttemptBatchEntry[]): Promise<void> {
    if (batch.length === 0) return;
    await this.#db.transaction().execute(async (trx) => {
      for (const entry of batch) {
        await trx
          .insertInto('gate_blocked_attempts')
          .values({
            ecosystem: entry.ref.ecosystem,
            name: entry.ref.name,
            version: entry.ref.version,
            principal: entry.principal,
            client_ip: entry.clientIp,
            user_agent: entry.userAgent,
            reason: entry.reason,
            attempts: entry.attempts,
            first_at: entry.firstAt,
            last_at: entry.lastAt,
          })
          .onConflict((oc) =>
            oc.columns(['ecosystem', 'name', 'version', 'principal', 'client_ip']).doUpdateSet((eb) => ({
              attempts: eb(eb.ref('gate_blocked_attempts.attempts'), '+', eb.ref('excluded.attempts')),
              last_at: eb.ref('excluded.last_at'),
              user_agent: eb.ref('excluded.user_agent'),
              reason: eb.ref('excluded.reason'),
            })),
          )
          .execute();
      }
    });
  }

  /** The most recent attempts first. */
  async list(query: BlockedAttemptQuery): Promise<BlockedAttempt[]> {
    let select = this.#db.selectFrom('gate_blocked_attempts').selectAll();
    if (query.since) select = select.where('last_at', '>=', query.since);
    if (query.name) select = select.where('name', '=', query.name);
    const rows = await select.orderBy('last_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
    return rows.map(toAttempt);
  }

  /** Deletes the oldest rows beyond `keep`, at most `batch` per call; returns how many went. */
  async prune(keep: number, batch = 5_000): Promise<number> {
    const oldest = this.#db
      .selectFrom('gate_blocked_attempts')
      .select('id')
      .orderBy('last_at', 'desc')
      .orderBy('id', 'desc')
      .limit(batch)
      .offset(keep);
    const result = await this.#db
      .deleteFrom('gate_blocked_attempts')
      .where('id', 'in', (eb) => eb.selectFrom(oldest.as('o')).select('o.id'))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function toAttempt(row: Selectable<GateBlockedAttemptsTable>): BlockedAttempt {
  return {
    id: row.id,
    ref: {
      ecosystem: row.ecosystem as PackageVersionRef['ecosystem'],
      name: row.name,
      version: row.version,
    },
    principal: row.principal,
    clientIp: row.client_ip,
    userAgent: row.user_agent,
    reason: row.reason,
    attempts: row.attempts,
    firstAt: row.first_at,
    lastAt: row.last_at,
  };
}
