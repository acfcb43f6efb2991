import type { Kysely } from 'kysely';
import type { Clock } from '../core/clock.js';
import type { Decision } from '../core/decision.js';
import type { VersionFacts } from '../core/facts.js';
import type { Finding } from '../core/finding.js';
import type { PackageVersionRef } from '../core/package-ref.js';
import type { Database } from '../store/database.js';
import {
  stateOf,
  type GatePackagesTable,
  type GateState,
  type GateTables,
  type GateVersionsTable,
} from './tables.js';

/** One version as the gate knows it. */
export interface GateVersion {
  readonly ref: PackageVersionRef;
  readonly state: GateState;
  readonly publishedAt: string | undefined;
  readonly integrity: string;
  readonly blobIntegrity: string | undefined;
  readonly decision: Decision | undefined;
  readonly findings: readonly Finding[];
  readonly facts: VersionFacts;
  readonly reevaluateAt: string | undefined;
  readonly baseline: boolean;
  readonly updatedAt: string;
}

export interface DecisionRecord {
  readonly decision: Decision;
  readonly findings: readonly Finding[];
  readonly facts: VersionFacts;
  readonly reevaluateAt?: string | undefined;
}

/** SQL storage of the gate: version states and the packuments they belong to. */
export class GateStore {
  readonly #db: Kysely<GateTables>;
  readonly #clock: Clock;

  constructor(database: Database, clock: Clock) {
    this.#db = database.db.withTables<GateTables>() as unknown as Kysely<GateTables>;
    this.#clock = clock;
  }

  async package(ecosystem: string, name: string): Promise<GatePackagesTable | undefined> {
    return this.#db
      .selectFrom('gate_packages')
      .selectAll()
      .where('ecosystem', '=', ecosystem)
      .where('name', '=', name)
      .executeTakeFirst();
  }

  /** Records a (re)fetched packument; the revision moves when its bytes changed. */
  async savePackument(
    ecosystem: string,
    name: string,
    input: {
      source: 'upstream' | 'private';
      blob: string;
      etag?: string | undefined;
      lastModified?: string | undefined;
    },
  ): Promise<void> {
    const now = this.#clock.now().toISOString();
    await this.#db
      .insertInto('gate_packages')
      .values({
        ecosystem,
        name,
        revision: 1,
        source: input.source,
        packument_blob: input.blob,
        etag: input.etag ?? null,
        last_modified: input.lastModified ?? null,
        fetched_at: now,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.columns(['ecosystem', 'name']).doUpdateSet((eb) => ({
          revision: eb
            .case()
            .when('gate_packages.packument_blob', '=', input.blob)
            .then(eb.ref('gate_packages.revision'))
            .else(eb(eb.ref('gate_packages.revision'), '+', 1))
            .end(),
          source: input.source,
          packument_blob: input.blob,
          etag: input.etag ?? null,
          last_modified: input.lastModified ?? null,
          fetched_at: now,
          updated_at: now,
        })),
      )
      .execute();
  }

  /** Upstream confirmed the cached packument (304). */
  async touchFetched(ecosystem: string, name: string): Promise<void> {
    await this.#db
      .updateTable('gate_packages')
      .set({ fetched_at: this.#clock.now().toISOString() })
      .where('ecosystem', '=', ecosystem)
      .where('name', '=', name)
      .execute();
  }

  /** State of every version the gate has seen of one package. */
  async states(
    ecosystem: string,
    name: string,
  ): Promise<Map<string, { state: GateState; baseline: boolean }>> {
    const rows = await this.#db
      .selectFrom('gate_versions')
      .select(['version', 'state', 'baseline'])
      .where('ecosystem', '=', ecosystem)
      .where('name', '=', name)
      .execute();
    return new Map(rows.map((r) => [r.version, { state: r.state, baseline: r.baseline === 1 }]));
  }

  async version(ref: PackageVersionRef): Promise<GateVersion | undefined> {
    const row = await this.#db
      .selectFrom('gate_versions')
      .selectAll()
      .where('ecosystem', '=', ref.ecosystem)
      .where('name', '=', ref.name)
      .where('version', '=', ref.version)
      .executeTakeFirst();
    return row && toVersion(row);
  }

  async versions(ecosystem: string, name: string): Promise<GateVersion[]> {
    const rows = await this.#db
      .selectFrom('gate_versions')
      .selectAll()
      .where('ecosystem', '=', ecosystem)
      .where('name', '=', name)
      .execute();
    return rows.map(toVersion);
  }

  async listByState(state: GateState, limit = 500): Promise<GateVersion[]> {
    const rows = await this.#db
      .selectFrom('gate_versions')
      .selectAll()
      .where('state', '=', state)
      .orderBy('updated_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toVersion);
  }

  /** Versions whose cooldown (or other timed hold) has ended by `now`. */
  async dueForReevaluation(now: Date, limit = 200): Promise<GateVersion[]> {
    const rows = await this.#db
      .selectFrom('gate_versions')
      .selectAll()
      .where('reevaluate_at', 'is not', null)
      .where('reevaluate_at', '<=', now.toISOString())
      .limit(limit)
      .execute();
    return rows.map(toVersion);
  }

  /** Creates a `pending` row unless the version is known; true when it was created. */
  async ensurePending(
    ref: PackageVersionRef,
    input: { integrity: string; publishedAt: string | undefined; baseline?: boolean },
  ): Promise<boolean> {
    const now = this.#clock.now().toISOString();
    const result = await this.#db
      .insertInto('gate_versions')
      .values({
        ecosystem: ref.ecosystem,
        name: ref.name,
        version: ref.version,
        state: 'pending',
        published_at: input.publishedAt ?? null,
        integrity: input.integrity,
        blob_integrity: null,
        decision_json: null,
        findings_json: null,
        facts_json: null,
        reevaluate_at: null,
        baseline: input.baseline ? 1 : 0,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.columns(['ecosystem', 'name', 'version']).doNothing())
      .executeTakeFirst();
    const created = Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    if (!created && input.baseline) {
      await this.#whereRef(this.#db.updateTable('gate_versions').set({ baseline: 1 }), ref).execute();
    }
    return created;
  }

  async markScanning(ref: PackageVersionRef): Promise<void> {
    await this.#whereRef(
      this.#db
        .updateTable('gate_versions')
        .set({ state: 'scanning', updated_at: this.#clock.now().toISOString() }),
      ref,
    )
      .where('state', 'in', ['pending', 'scanning'])
      .execute();
  }

  async setBlob(ref: PackageVersionRef, blobIntegrity: string): Promise<void> {
    await this.#whereRef(
      this.#db.updateTable('gate_versions').set({ blob_integrity: blobIntegrity }),
      ref,
    ).execute();
  }

  /** Stores a decision and moves the package revision, in one transaction. */
  async recordDecision(ref: PackageVersionRef, record: DecisionRecord): Promise<GateState> {
    const state = stateOf(record.decision.action);
    const now = this.#clock.now().toISOString();
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .updateTable('gate_versions')
        .set({
          state,
          decision_json: JSON.stringify(record.decision),
          findings_json: JSON.stringify(record.findings),
          facts_json: JSON.stringify(record.facts),
          reevaluate_at: record.reevaluateAt ?? null,
          updated_at: now,
        })
        .where('ecosystem', '=', ref.ecosystem)
        .where('name', '=', ref.name)
        .where('version', '=', ref.version)
        .execute();
      await trx
        .insertInto('gate_packages')
        .values({
          ecosystem: ref.ecosystem,
          name: ref.name,
          revision: 1,
          source: 'upstream',
          packument_blob: null,
          etag: null,
          last_modified: null,
          fetched_at: null,
          updated_at: now,
        })
        .onConflict((oc) =>
          oc.columns(['ecosystem', 'name']).doUpdateSet((eb) => ({
            revision: eb(eb.ref('gate_packages.revision'), '+', 1),
            updated_at: now,
          })),
        )
        .execute();
    });
    return state;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  #whereRef<Q extends { where: (...args: any[]) => Q }>(query: Q, ref: PackageVersionRef): Q {
    return query
      .where('ecosystem', '=', ref.ecosystem)
      .where('name', '=', ref.name)
      .where('version', '=', ref.version);
  }
}

function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  return JSON.parse(text) as T;
}

function toVersion(row: GateVersionsTable): GateVersion {
  return {
    ref: { ecosystem: row.ecosystem as PackageVersionRef['ecosystem'], name: row.name, version: row.version },
    state: row.state,
    publishedAt: row.published_at ?? undefined,
    integrity: row.integrity,
    blobIntegrity: row.blob_integrity ?? undefined,
    decision: parseJson<Decision | undefined>(row.decision_json, undefined),
    findings: parseJson<Finding[]>(row.findings_json, []),
    facts: parseJson<VersionFacts>(row.facts_json, {}),
    reevaluateAt: row.reevaluate_at ?? undefined,
    baseline: row.baseline === 1,
    updatedAt: row.updated_at,
  };
}
