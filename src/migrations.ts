import type { MigrationSet } from './store/migrate.js';
import { coreMigrations } from './store/core-migrations.js';
import { gateMigrations } from './gate/migrations.js';
import { policyMigrations } from './policy/migrations.js';
import { attestMigrations } from './attest/migrations.js';

/** Every domain's migrations, in the order the composition root applies them (names decide run order). */
// prettier-ignore
export const allMigrations: readonly MigrationSet[] = [
  coreMigrations,
  gateMigrations,
  policyMigrations,
  attestMigrations,
];
