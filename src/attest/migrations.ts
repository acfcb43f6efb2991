import type { MigrationSet } from '../store/migrate.js';

/** Schema of the attest domain (number range 0500). */
export const attestMigrations: MigrationSet = {
  '0501-attest-registry-keys': {
    async up(db) {
      // One row per upstream registry: the last keys document it served, shared by every Airlock node.
      await db.schema
        .createTable('attest_registry_keys')
        .addColumn('upstream', 'text', (c) => c.primaryKey())
        .addColumn('document_json', 'text', (c) => c.notNull())
        .addColumn('fetched_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
};
