import type { MigrationSet } from '../store/migrate.js';

/** vulndb tables: advisories (normalised OSV records), their packages (the index), and sync sources. */
export const vulndbMigrations: MigrationSet = {
  '0301-vulndb-advisories': {
    async up(db) {
      await db.schema
        .createTable('vulndb_advisories')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('modified', 'text', (c) => c.notNull())
        .addColumn('withdrawn', 'text')
        .addColumn('malware', 'integer', (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('advisory_json', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('imported_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('vulndb_packages')
        .addColumn('advisory_id', 'text', (c) => c.notNull())
        .addColumn('ecosystem', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('vulndb_packages_pk', ['advisory_id', 'ecosystem', 'name'])
        .execute();
      await db.schema
        .createIndex('vulndb_packages_name')
        .on('vulndb_packages')
        .columns(['ecosystem', 'name'])
        .execute();
      await db.schema
        .createTable('vulndb_sources')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('etag', 'text')
        .addColumn('last_modified', 'text')
        .addColumn('checked_at', 'text')
        .addColumn('synced_at', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('summary_json', 'text')
        .addColumn('error', 'text')
        .execute();
    },
  },
};
