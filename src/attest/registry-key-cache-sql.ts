import type { Database } from '../store/database.js';

type AttestTables = {
  attest_registry_keys: { upstream: string; document_json: string; fetched_at: string };
};

/** Where a keyring keeps the last keys document it fetched, so restarts and other nodes reuse it. */
export interface RegistryKeyCache {
  load(upstream: string): Promise<{ document: unknown; fetchedAt: Date } | undefined>;
  save(upstream: string, document: unknown, fetchedAt: Date): Promise<void>;
}

const maxDocumentChars = 256 * 1024;

/** The key cache in the database (SQLite or PostgreSQL). */
export class SqlRegistryKeyCache implements RegistryKeyCache {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  async load(upstream: string): Promise<{ document: unknown; fetchedAt: Date } | undefined> {
    const row = await this.#db()
      .selectFrom('attest_registry_keys')
      .select(['document_json', 'fetched_at'])
      .where('upstream', '=', upstream)
      .executeTakeFirst();
    if (!row || row.document_json.length > maxDocumentChars) return undefined;
    return { document: JSON.parse(row.document_json) as unknown, fetchedAt: new Date(row.fetched_at) };
  }

  async save(upstream: string, document: unknown, fetchedAt: Date): Promise<void> {
    const documentJson = JSON.stringify(document);
    if (documentJson.length > maxDocumentChars) return;
    const at = fetchedAt.toISOString();
    await this.#db()
      .insertInto('attest_registry_keys')
      .values({ upstream, document_json: documentJson, fetched_at: at })
      .onConflict((oc) => oc.column('upstream').doUpdateSet({ document_json: documentJson, fetched_at: at }))
      .execute();
  }

  #db() {
    return this.#database.db.withTables<AttestTables>();
  }
}
