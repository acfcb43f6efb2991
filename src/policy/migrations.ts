import type { MigrationSet } from '../store/migrate.js';
import { addIdColumn } from '../store/migrate.js';

/** The policy domain's tables (number range 0200). */
export const policyMigrations: MigrationSet = {
  '0200-policy-waivers': {
    async up(db, engine) {
      // Removed waivers keep their row (removed_at/removed_by): what was waived when stays answerable.
      await addIdColumn(db.schema.createTable('policy_waivers'), engine)
        .addColumn('ecosystem', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('range', 'text', (c) => c.notNull())
        .addColumn('rule', 'text', (c) => c.notNull())
        .addColumn('until', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('removed_at', 'text')
        .addColumn('removed_by', 'text')
        .execute();
      await db.schema
        .createIndex('policy_waivers_package')
        .on('policy_waivers')
        .columns(['ecosystem', 'name', 'until'])
        .execute();
    },
  },
};
