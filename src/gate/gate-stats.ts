import { sql, type Kysely } from 'kysely';
import { severities, type Severity } from '../core/finding.js';
import type { Database } from '../store/database.js';
import type { GateState, GateTables } from './tables.js';

/** Findings of the versions decided on one UTC day, per severity. */
export type SeverityDay = { readonly day: string } & Readonly<Record<Severity, number>>;

/** Aggregates over the gate's versions for the dashboard's overview; bounded output, SQL-side work. */
export class GateStats {
  readonly #database: Database;
  readonly #db: Kysely<GateTables>;

  constructor(database: Database) {
    this.#database = database;
    this.#db = database.db.withTables<GateTables>() as unknown as Kysely<GateTables>;
  }

  /**
   * Findings by severity per day for the `days` days up to `now`, bucketed by when each version was
   * last decided (so a re-decided version counts once, on its latest day). Every day is present.
   */
  async findingsBySeverity(now: Date, days: number): Promise<SeverityDay[]> {
    const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    first.setUTCDate(first.getUTCDate() - (days - 1));
    const since = first.toISOString();
    // The findings are a JSON array per version: let the engine unnest and count them.
    const query =
      this.#database.engine === 'postgres'
        ? sql<{ day: string; severity: string | null; count: number | string }>`
            select substr(v.updated_at, 1, 10) as day, f.value ->> 'severity' as severity, count(*) as count
            from gate_versions v, json_array_elements(v.findings_json::json) as f(value)
            where v.updated_at >= ${since} and v.findings_json is not null
              and json_typeof(v.findings_json::json) = 'array'
            group by 1, 2`
        : sql<{ day: string; severity: string | null; count: number | string }>`
            select substr(v.updated_at, 1, 10) as day, json_extract(f.value, '$.severity') as severity,
              count(*) as count
            from gate_versions v, json_each(v.findings_json) as f
            where v.updated_at >= ${since} and v.findings_json is not null
              and json_type(v.findings_json) = 'array'
            group by 1, 2`;
    const rows = (await query.execute(this.#db)).rows;
    const byDay = new Map<string, Record<Severity, number>>();
    for (let i = 0; i < days; i++) {
      const day = new Date(first.getTime() + i * 86_400_000).toISOString().slice(0, 10);
      byDay.set(day, { info: 0, low: 0, moderate: 0, high: 0, critical: 0 });
    }
    for (const row of rows) {
      const counts = byDay.get(row.day);
      const severity = severities.find((s) => s === row.severity);
      if (counts && severity) counts[severity] += Number(row.count);
    }
    return [...byDay].map(([day, counts]) => ({ day, ...counts }));
  }

  /** How many versions are in each gate state. */
  async versionsByState(): Promise<Record<GateState, number>> {
    const rows = await this.#db
      .selectFrom('gate_versions')
      .select(['state', (eb) => eb.fn.countAll<number | string>().as('count')])
      .groupBy('state')
      .execute();
    const out: Record<GateState, number> = { pending: 0, scanning: 0, approved: 0, review: 0, rejected: 0 };
    for (const row of rows) if (row.state in out) out[row.state] = Number(row.count);
    return out;
  }

  /**
   * A cheap fingerprint of the review queue and of the latest change to any version: when another
   * process decides something, the fingerprint moves, and this node's live clients hear of it.
   */
  async changeMarks(): Promise<{ queue: string; versions: string }> {
    const queue = await this.#db
      .selectFrom('gate_versions')
      .select([
        (eb) => eb.fn.countAll<number | string>().as('count'),
        (eb) => eb.fn.max('updated_at').as('latest'),
      ])
      .where('state', '=', 'review')
      .executeTakeFirst();
    const latest = await this.#db
      .selectFrom('gate_versions')
      .select((eb) => eb.fn.max('updated_at').as('latest'))
      .executeTakeFirst();
    return {
      queue: `${Number(queue?.count ?? 0)}|${queue?.latest ?? ''}`,
      versions: latest?.latest ?? '',
    };
  }
}
