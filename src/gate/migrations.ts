import type { MigrationSet } from '../store/migrate.js';

export const gateMigrations: MigrationSet = {
  '0100-gate-versions-packages': {
    async up(db) {
      await db.schema
        .createTable('gate_versions')
        .addColumn('ecosystem', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('published_at', 'text')
        .addColumn('integrity', 'text', (c) => c.notNull())
        .addColumn('blob_integrity', 'text')
        .addColumn('decision_json', 'text')
        .addColumn('findings_json', 'text')
        .addColumn('facts_json', 'text')
        .addColumn('reevaluate_at', 'text')
        .addColumn('baseline', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('gate_versions_pk', ['ecosystem', 'name', 'version'])
        .execute();
      await db.schema
        .createIndex('gate_versions_state')
        .on('gate_versions')
        .columns(['state', 'updated_at'])
        .execute();
      await db.schema
        .createIndex('gate_versions_reevaluate')
        .on('gate_versions')
        .column('reevaluate_at')
        .execute();
      await db.schema
        .createTable('gate_packages')
        .addColumn('ecosystem', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('packument_blob', 'text')
        .addColumn('etag', 'text')
        .addColumn('last_modified', 'text')
        .addColumn('fetched_at', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('gate_packages_pk', ['ecosystem', 'name'])
        .execute();
    },
  },
};
