import type { Generated, Selectable } from 'kysely';
import { AirlockError } from '../errors.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { Ecosystem, PackageVersionRef } from '../core/package-ref.js';
import type { Database } from '../store/database.js';
import type { AuditLog } from '../store/ports.js';
import type { Waiver } from './waiver.js';
import { validateWaiverInput, type WaiverInput } from './waiver-input.js';

// Kysely's withTables wants object types with index signatures, which interfaces lack.
export type PolicyWaiversTable = {
  id: Generated<number>;
  ecosystem: string;
  name: string;
  range: string;
  rule: string;
  until: string;
  reason: string;
  created_by: string;
  created_at: string;
  removed_at: string | null;
  removed_by: string | null;
};

type Tables = { policy_waivers: PolicyWaiversTable };

export interface WaiverListFilter {
  readonly ecosystem?: Ecosystem;
  readonly name?: string;
  /** Include waivers that have expired (removed ones are never listed). */
  readonly includeExpired?: boolean;
}

/** The waivers port the gate and the API use. */
export interface WaiverStore {
  add(input: WaiverInput, actor: string): Promise<Waiver>;
  remove(id: number, actor: string, reason?: string): Promise<Waiver>;
  list(filter?: WaiverListFilter): Promise<Waiver[]>;
  /** Waivers in force now for this package (what `evaluate` needs). */
  activeFor(ref: Pick<PackageVersionRef, 'ecosystem' | 'name'>): Promise<Waiver[]>;
}

/** Waivers in the `policy_waivers` table; every add and remove is an audit event. */
export class SqlWaiverStore implements WaiverStore {
  readonly #database: Database;
  readonly #audit: AuditLog;
  readonly #clock: Clock;

  constructor(database: Database, audit: AuditLog, clock: Clock = systemClock) {
    this.#database = database;
    this.#audit = audit;
    this.#clock = clock;
  }

  get #db() {
    return this.#database.db.withTables<Tables>();
  }

  /** Validates and stores a waiver; a waiver the audit log cannot record is not kept. */
  async add(input: WaiverInput, actor: string): Promise<Waiver> {
    const now = this.#clock.now();
    const valid = validateWaiverInput(input, now);
    const row = await this.#db
      .insertInto('policy_waivers')
      .values({ ...valid, created_by: actor, created_at: now.toISOString() })
      .returningAll()
      .executeTakeFirstOrThrow();
    const waiver = toWaiver(row);
    try {
      await this.#audit.append({
        actor,
        action: 'waiver.add',
        subject: `${waiver.ecosystem}:${waiver.name}@${waiver.range}`,
        details: { id: waiver.id, rule: waiver.rule, until: waiver.until, reason: waiver.reason },
      });
    } catch (error) {
      await this.#db.deleteFrom('policy_waivers').where('id', '=', row.id).execute();
      throw error;
    }
    return waiver;
  }

  /** Ends a waiver now; NOT_FOUND when there is no such waiver or it was removed already. */
  async remove(id: number, actor: string, reason?: string): Promise<Waiver> {
    const row = await this.#db
      .selectFrom('policy_waivers')
      .selectAll()
      .where('id', '=', id)
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    if (!row) throw new AirlockError('NOT_FOUND', `no waiver with id ${id}; see \`airlock waivers list\``);
    const removedAt = this.#clock.now().toISOString();
    const result = await this.#db
      .updateTable('policy_waivers')
      .set({ removed_at: removedAt, removed_by: actor })
      .where('id', '=', id)
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n)
      throw new AirlockError('NOT_FOUND', `waiver ${id} was removed meanwhile`);
    const waiver = toWaiver(row);
    await this.#audit.append({
      actor,
      action: 'waiver.remove',
      subject: `${waiver.ecosystem}:${waiver.name}@${waiver.range}`,
      details: { id, rule: waiver.rule, ...(reason ? { reason } : {}) },
    });
    return waiver;
  }

  /** Waivers not removed, newest first; expired ones only when asked for. */
  async list(filter: WaiverListFilter = {}): Promise<Waiver[]> {
    let query = this.#db.selectFrom('policy_waivers').selectAll().where('removed_at', 'is', null);
    if (filter.ecosystem !== undefined) query = query.where('ecosystem', '=', filter.ecosystem);
    if (filter.name !== undefined) query = query.where('name', '=', filter.name);
    // ISO-8601 UTC text from toISOString sorts as time, so expiry is a text comparison.
    if (!filter.includeExpired) query = query.where('until', '>', this.#clock.now().toISOString());
    const rows = await query.orderBy('id', 'desc').limit(10_000).execute();
    return rows.map(toWaiver);
  }

  async activeFor(ref: Pick<PackageVersionRef, 'ecosystem' | 'name'>): Promise<Waiver[]> {
    return this.list({ ecosystem: ref.ecosystem, name: ref.name });
  }
}

function toWaiver(row: Selectable<PolicyWaiversTable>): Waiver {
  return {
    id: row.id,
    ecosystem: row.ecosystem as Ecosystem,
    name: row.name,
    range: row.range,
    rule: row.rule,
    until: row.until,
    reason: row.reason,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}
