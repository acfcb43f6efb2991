import { sql } from 'kysely';
import type { MigrationSet } from './migrate.js';
import { addIdColumn } from './migrate.js';

export const coreMigrations: MigrationSet = {
  '0001-core-tokens-audit-jobs': {
    async up(db, engine) {
      await addIdColumn(db.schema.createTable('tokens'), engine)
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();

      await addIdColumn(db.schema.createTable('audit_events'), engine)
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('details_json', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull().unique())
        .execute();
      await db.schema.createIndex('audit_events_subject').on('audit_events').column('subject').execute();

      await addIdColumn(db.schema.createTable('jobs'), engine)
        .addColumn('queue', 'text', (c) => c.notNull())
        .addColumn('dedupe_key', 'text')
        .addColumn('payload_json', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('max_attempts', 'integer', (c) => c.notNull())
        .addColumn('run_at', 'text', (c) => c.notNull())
        .addColumn('locked_by', 'text')
        .addColumn('locked_until', 'text')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('jobs_claim').on('jobs').columns(['status', 'queue', 'run_at']).execute();
      // Idempotent enqueue: one unfinished job per dedupe key (partial unique index works on both engines).
      await db.schema
        .createIndex('jobs_dedupe_open')
        .on('jobs')
        .column('dedupe_key')
        .unique()
        .where(sql.ref('dedupe_key'), 'is not', null)
        .where(sql.ref('status'), 'in', sql`('queued', 'running')`)
        .execute();
    },
  },
  '0002-core-token-active-name': {
    async up(db) {
      // `token revoke <name>` must name one token: at most one unrevoked token per name.
      await db.schema
        .createIndex('tokens_active_name')
        .on('tokens')
        .column('name')
        .unique()
        .where(sql.ref('revoked_at'), 'is', null)
        .execute();
    },
  },
  '0003-core-jobs-finished': {
    async up(db) {
      // Throughput (finished jobs per hour) reads done jobs by queue and finish time.
      await db.schema
        .createIndex('jobs_finished')
        .on('jobs')
        .columns(['queue', 'status', 'updated_at'])
        .execute();
    },
  },
};
