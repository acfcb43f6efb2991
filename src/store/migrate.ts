import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import { AirlockError, describeError } from '../errors.js';
import type { Database, Engine } from './database.js';

/** A schema change. `db` is untyped on purpose: migrations describe tables as they were then. */
export interface AirlockMigration {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  up(db: Kysely<any>, engine: Engine): Promise<void>;
}

/**
 * A domain's migrations, keyed by name. Names sort into run order across domains, so each domain
 * owns a number range: core 0000–0099, registry/gate 0100, policy 0200, vulndb 0300, scan 0400,
 * attest 0500, sbom/inventory 0600, ui 0700.
 */
export type MigrationSet = Readonly<Record<string, AirlockMigration>>;

const ledger = 'airlock_migrations';

/**
 * Runs every pending migration in one transaction, holding a lock that other processes wait for.
 * Our own small runner rather than Kysely's Migrator: that one introspects every schema in the
 * database, which fails when another schema is dropped mid-query (seen in CI).
 */
export async function migrate(database: Database, sets: readonly MigrationSet[]): Promise<string[]> {
  const all = new Map<string, AirlockMigration>();
  for (const set of sets) {
    for (const [name, migration] of Object.entries(set)) {
      if (all.has(name)) throw new AirlockError('INTERNAL', `two migrations are named ${name}`);
      all.set(name, migration);
    }
  }
  const names = [...all.keys()].sort();
  let current = '';
  try {
    return await database.db.connection().execute(async (conn) => {
      // SQLite: BEGIN IMMEDIATE takes the write lock up front (busy_timeout makes others wait).
      // PostgreSQL: a transaction-scoped advisory lock keyed by the schema serialises the runners.
      await sql.raw(database.engine === 'sqlite' ? 'begin immediate' : 'begin').execute(conn);
      try {
        if (database.engine === 'postgres') {
          await sql`select pg_advisory_xact_lock(hashtext(${`airlock:${database.schema ?? 'public'}`}))`.execute(
            conn,
          );
        }
        await sql
          .raw(`create table if not exists ${ledger} (name text primary key, applied_at text not null)`)
          .execute(conn);
        const done = await sql<{ name: string }>`select name from ${sql.table(ledger)}`.execute(conn);
        const applied = new Set(done.rows.map((r) => r.name));
        const ran: string[] = [];
        for (const name of names) {
          if (applied.has(name)) continue;
          current = name;
          await all.get(name)!.up(conn, database.engine);
          await sql`insert into ${sql.table(ledger)} (name, applied_at) values (${name}, ${new Date().toISOString()})`.execute(
            conn,
          );
          ran.push(name);
        }
        await sql.raw('commit').execute(conn);
        return ran;
      } catch (error) {
        await sql
          .raw('rollback')
          .execute(conn)
          .catch(() => undefined);
        throw error;
      }
    });
  } catch (error) {
    throw new AirlockError(
      'DATABASE_MIGRATION_FAILED',
      `database migration ${current} failed on ${database.location}: ${describeError(error)}`,
      { cause: error },
    );
  }
}

/** Adds an auto-incrementing integer primary key `id`, spelled the way each engine wants it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function addIdColumn<T extends CreateTableBuilder<any, any>>(table: T, engine: Engine): T {
  return (
    engine === 'postgres'
      ? table.addColumn('id', 'bigserial', (c) => c.primaryKey())
      : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
  ) as T;
}
