import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import type { Ecosystem } from '../core/package-ref.js';
import type { Advisory } from './advisory.js';
import type { VulndbTables } from './tables.js';
import type { CoreTables } from '../store/tables.js';

/** What storing one batch did, per ecosystem the advisories name. */
export type StoreOutcome = 'added' | 'updated' | 'withdrawn' | 'unchanged';

export interface EcosystemCount {
  readonly ecosystem: string;
  readonly advisories: number;
}

/** Advisories in the database: upserts keep the newest `modified`, and a content hash spots real changes. */
export class AdvisoryStore {
  private readonly db: Kysely<CoreTables & VulndbTables>;

  constructor(
    database: Database,
    private readonly clock: Clock = systemClock,
  ) {
    this.db = database.db.withTables<VulndbTables>();
  }

  /** Stores a batch in one transaction; returns each advisory's outcome in input order. */
  async upsert(advisories: readonly Advisory[], source: string): Promise<StoreOutcome[]> {
    // Duplicates inside one batch: the newest modified wins, like across batches.
    const byId = new Map<string, Advisory>();
    for (const a of advisories) {
      const seen = byId.get(a.id);
      if (!seen || a.modified >= seen.modified) byId.set(a.id, a);
    }
    const ids = [...byId.keys()];
    const now = this.clock.now().toISOString();
    return this.db.transaction().execute(async (trx) => {
      const existing = new Map<
        string,
        { modified: string; content_hash: string; withdrawn: string | null }
      >();
      for (let i = 0; i < ids.length; i += 500) {
        const rows = await trx
          .selectFrom('vulndb_advisories')
          .select(['id', 'modified', 'content_hash', 'withdrawn'])
          .where('id', 'in', ids.slice(i, i + 500))
          .execute();
        for (const r of rows) existing.set(r.id, r);
      }
      const outcomes = new Map<string, StoreOutcome>();
      const rows: VulndbTables['vulndb_advisories'][] = [];
      for (const advisory of byId.values()) {
        const json = JSON.stringify(advisory);
        const hash = createHash('sha256').update(json).digest('hex');
        const old = existing.get(advisory.id);
        if (old && (old.content_hash === hash || old.modified > advisory.modified)) {
          outcomes.set(advisory.id, 'unchanged');
          continue;
        }
        outcomes.set(
          advisory.id,
          advisory.withdrawn !== undefined
            ? old?.withdrawn
              ? 'unchanged'
              : 'withdrawn'
            : old
              ? 'updated'
              : 'added',
        );
        rows.push({
          id: advisory.id,
          modified: advisory.modified,
          withdrawn: advisory.withdrawn ?? null,
          malware: advisory.malware ? 1 : 0,
          content_hash: hash,
          advisory_json: json,
          source,
          imported_at: now,
        });
      }
      // 8 columns a row keeps each statement far below PostgreSQL's 65,535 parameters.
      for (let i = 0; i < rows.length; i += 500) {
        const chunk = rows.slice(i, i + 500);
        await trx
          .insertInto('vulndb_advisories')
          .values(chunk)
          .onConflict((oc) =>
            oc.column('id').doUpdateSet((eb) => ({
              modified: eb.ref('excluded.modified'),
              withdrawn: eb.ref('excluded.withdrawn'),
              malware: eb.ref('excluded.malware'),
              content_hash: eb.ref('excluded.content_hash'),
              advisory_json: eb.ref('excluded.advisory_json'),
              source: eb.ref('excluded.source'),
              imported_at: eb.ref('excluded.imported_at'),
            })),
          )
          .execute();
        const changed = chunk.map((r) => r.id);
        await trx.deleteFrom('vulndb_packages').where('advisory_id', 'in', changed).execute();
        const packages = new Map<string, VulndbTables['vulndb_packages']>();
        for (const id of changed) {
          for (const p of byId.get(id)!.affected)
            packages.set(`${id}\0${p.ecosystem}\0${p.name}`, {
              advisory_id: id,
              ecosystem: p.ecosystem,
              name: p.name,
            });
        }
        const list = [...packages.values()];
        for (let j = 0; j < list.length; j += 1000)
          await trx
            .insertInto('vulndb_packages')
            .values(list.slice(j, j + 1000))
            .execute();
      }
      return advisories.map((a) => outcomes.get(a.id) ?? 'unchanged');
    });
  }

  /** Every advisory that is not withdrawn, in pages, for the in-memory index. */
  async *active(pageSize = 5000): AsyncGenerator<Advisory[]> {
    let after = '';
    for (;;) {
      const rows = await this.db
        .selectFrom('vulndb_advisories')
        .select(['id', 'advisory_json'])
        .where('withdrawn', 'is', null)
        .where('id', '>', after)
        .orderBy('id')
        .limit(pageSize)
        .execute();
      if (rows.length === 0) return;
      yield rows.map((r) => JSON.parse(r.advisory_json) as Advisory);
      after = rows[rows.length - 1]!.id;
    }
  }

  /** Advisories (withdrawn ones included) that name one package. */
  forPackage(ecosystem: Ecosystem, name: string): Promise<Advisory[]> {
    return this.forPackages(ecosystem, [name]);
  }

  /**
   * Advisories (withdrawn ones included) that name any of `names`, each once: a few queries of up to 500 names
   * instead of one per package (a 2,000-package lockfile in a cold CI process).
   */
  async forPackages(ecosystem: Ecosystem, names: readonly string[]): Promise<Advisory[]> {
    const unique = [...new Set(names)];
    const seen = new Set<string>();
    const result: Advisory[] = [];
    for (let i = 0; i < unique.length; i += 500) {
      const rows = await this.db
        .selectFrom('vulndb_advisories')
        .select(['vulndb_advisories.id', 'vulndb_advisories.advisory_json'])
        .where(
          'vulndb_advisories.id',
          'in',
          this.db
            .selectFrom('vulndb_packages')
            .select('vulndb_packages.advisory_id')
            .where('vulndb_packages.ecosystem', '=', ecosystem)
            .where('vulndb_packages.name', 'in', unique.slice(i, i + 500)),
        )
        .orderBy('vulndb_advisories.id')
        .execute();
      for (const row of rows) {
        if (seen.has(row.id)) continue;
        seen.add(row.id);
        result.push(JSON.parse(row.advisory_json) as Advisory);
      }
    }
    return result;
  }

  /** Changes whenever an import stored anything: row count and newest import time. */
  async revision(): Promise<string> {
    const row = await this.db
      .selectFrom('vulndb_advisories')
      .select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('imported_at').as('latest')])
      .executeTakeFirstOrThrow();
    return `${Number(row.n)}:${row.latest ?? ''}`;
  }

  /**
   * Whether nothing was ever imported. One row read, where `counts()` scans every advisory (seconds at 200k,
   * which was most of a cold `airlock check`).
   */
  async isEmpty(): Promise<boolean> {
    const row = await this.db.selectFrom('vulndb_advisories').select('id').limit(1).executeTakeFirst();
    return row === undefined;
  }

  /** Active advisories per ecosystem, and how many are withdrawn. */
  async counts(): Promise<{ perEcosystem: EcosystemCount[]; withdrawn: number; total: number }> {
    const per = await this.db
      .selectFrom('vulndb_packages')
      .innerJoin('vulndb_advisories', 'vulndb_advisories.id', 'vulndb_packages.advisory_id')
      .select([
        'vulndb_packages.ecosystem',
        (eb) => eb.fn.count<number>('vulndb_packages.advisory_id').distinct().as('n'),
      ])
      .where('vulndb_advisories.withdrawn', 'is', null)
      .groupBy('vulndb_packages.ecosystem')
      .orderBy('vulndb_packages.ecosystem')
      .execute();
    const totals = await this.db
      .selectFrom('vulndb_advisories')
      .select([
        (eb) => eb.fn.countAll<number>().as('total'),
        (eb) => eb.fn.count<number>('withdrawn').as('withdrawn'),
      ])
      .executeTakeFirstOrThrow();
    return {
      perEcosystem: per.map((r) => ({ ecosystem: r.ecosystem, advisories: Number(r.n) })),
      withdrawn: Number(totals.withdrawn),
      total: Number(totals.total),
    };
  }
}
