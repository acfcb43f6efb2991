import type { MigrationSet } from '../store/migrate.js';
import { addIdColumn } from '../store/migrate.js';

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
  '0101-gate-blocked-attempts': {
    async up(db, engine) {
      // One row per (version, requester): a flood of retries bumps a counter instead of adding rows.
      await addIdColumn(db.schema.createTable('gate_blocked_attempts'), engine)
        .addColumn('ecosystem', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('principal', 'text', (c) => c.notNull())
        .addColumn('client_ip', 'text', (c) => c.notNull())
        .addColumn('user_agent', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('first_at', 'text', (c) => c.notNull())
        .addColumn('last_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('gate_blocked_attempts_who')
        .on('gate_blocked_attempts')
        .columns(['ecosystem', 'name', 'version', 'principal', 'client_ip'])
        .unique()
        .execute();
      await db.schema
        .createIndex('gate_blocked_attempts_last')
        .on('gate_blocked_attempts')
        .column('last_at')
        .execute();
    },
  },
  '0102-gate-versions-updated': {
    async up(db) {
      // The dashboard's findings-over-time and change detection read versions by when they last changed.
      await db.schema.createIndex('gate_versions_updated').on('gate_versions').column('updated_at').execute();
    },
  },
};
