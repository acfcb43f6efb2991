import type { MigrationSet } from './store/migrate.js';
import { coreMigrations } from './store/core-migrations.js';
import { vulndbMigrations } from './vulndb/migrations.js';

/** Every domain's migrations, in the order the composition root applies them (names decide run order). */
export const allMigrations: readonly MigrationSet[] = [coreMigrations, vulndbMigrations];
