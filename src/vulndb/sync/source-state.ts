import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.js';
import type { CoreTables } from '../../store/tables.js';
import type { VulndbTables } from '../tables.js';

/** What the database remembers of one sync source. */
export interface SourceState {
  readonly name: string;
  readonly url: string;
  readonly etag: string | null;
  readonly lastModified: string | null;
  readonly checkedAt: string | null;
  readonly syncedAt: string | null;
  /** `never`, `imported`, `not-modified` or `failed`. */
  readonly status: string;
  readonly summary: unknown;
  readonly error: string | null;
}

/** The `vulndb_sources` table: validators for conditional requests and the last outcome per source. */
export class SourceStateStore {
  private readonly db: Kysely<CoreTables & VulndbTables>;

  constructor(database: Database) {
    this.db = database.db.withTables<VulndbTables>();
  }

  async get(name: string): Promise<SourceState | undefined> {
    const row = await this.db
      .selectFrom('vulndb_sources')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row && toState(row);
  }

  async list(): Promise<SourceState[]> {
    const rows = await this.db.selectFrom('vulndb_sources').selectAll().orderBy('name').execute();
    return rows.map(toState);
  }

  /** Records an attempt; validators are only replaced when `etag`/`lastModified` are given (a success). */
  async record(
    state: Pick<SourceState, 'name' | 'url' | 'status' | 'checkedAt'> &
      Partial<Pick<SourceState, 'etag' | 'lastModified' | 'syncedAt' | 'summary' | 'error'>>,
  ): Promise<void> {
    const previous = await this.get(state.name);
    const sameUrl = previous?.url === state.url;
    const row: VulndbTables['vulndb_sources'] = {
      name: state.name,
      url: state.url,
      // A changed URL invalidates the validators of the old one.
      etag: state.etag !== undefined ? state.etag : sameUrl ? (previous?.etag ?? null) : null,
      last_modified:
        state.lastModified !== undefined
          ? state.lastModified
          : sameUrl
            ? (previous?.lastModified ?? null)
            : null,
      checked_at: state.checkedAt,
      synced_at: state.syncedAt ?? previous?.syncedAt ?? null,
      status: state.status,
      summary_json:
        state.summary !== undefined
          ? JSON.stringify(state.summary)
          : previous
            ? JSON.stringify(previous.summary)
            : null,
      error: state.error ?? null,
    };
    await this.db
      .insertInto('vulndb_sources')
      .values(row)
      .onConflict((oc) => oc.column('name').doUpdateSet(row))
      .execute();
  }
}

function toState(row: VulndbTables['vulndb_sources']): SourceState {
  return {
    name: row.name,
    url: row.url,
    etag: row.etag,
    lastModified: row.last_modified,
    checkedAt: row.checked_at,
    syncedAt: row.synced_at,
    status: row.status,
    summary: row.summary_json === null ? null : (JSON.parse(row.summary_json) as unknown),
    error: row.error,
  };
}
