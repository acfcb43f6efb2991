import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database, type Engine } from '../database.js';
import { migrate, type MigrationSet } from '../migrate.js';
import { allMigrations } from '../../migrations.js';

/** PostgreSQL for tests: CI and dev machines have one at 127.0.0.1:5432 (trust auth, database `test`). */
export const testPostgresUrl =
  process.env.AIRLOCK_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  readonly database: Database;
  /** What another process needs to open the same database (url + schema). */
  readonly url: string;
  readonly schema: string | undefined;
  /** Closes the handle and drops the schema / deletes the file. */
  dispose(): Promise<void>;
}

/** A fresh, migrated database on `engine`: a temp SQLite file, or a PostgreSQL schema of its own. */
export async function createTestDatabase(
  engine: Engine,
  migrations: readonly MigrationSet[] = allMigrations,
): Promise<TestDatabase> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'airlock-db-'));
    const url = `sqlite:${join(dir, 'airlock.db')}`;
    const database = await openDatabase({ url });
    await migrate(database, migrations);
    return {
      database,
      url,
      schema: undefined,
      dispose: async () => {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const database = await openDatabase({ url: testPostgresUrl, schema, poolSize: 5 });
  await migrate(database, migrations);
  return {
    database,
    url: testPostgresUrl,
    schema,
    dispose: async () => {
      await database.close();
      await dropSchema(schema);
    },
  };
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: testPostgresUrl });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}

/** Both engines, for `describe.each(engines)` contract suites. */
export const engines: readonly Engine[] = ['sqlite', 'postgres'];
