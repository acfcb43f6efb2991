import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type pg from 'pg';
import { AirlockError, describeError } from '../errors.js';
import type { CoreTables } from './tables.js';

export type Engine = 'sqlite' | 'postgres';

/** The Database port: a Kysely handle plus what the engines differ in. Domains add their tables with `withTables`. */
export interface Database {
  readonly engine: Engine;
  readonly db: Kysely<CoreTables>;
  /** Human-readable location, never containing a password. */
  readonly location: string;
  /** PostgreSQL schema the tables live in, when not the default. */
  readonly schema?: string | undefined;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** `sqlite:<path>`, `sqlite::memory:` or `postgres://…`. */
  readonly url: string;
  readonly poolSize?: number;
  /** PostgreSQL schema; created if missing and put first on the search_path. */
  readonly schema?: string | undefined;
}

/** Opens the database named by `url` and checks that it answers. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  // Each driver is loaded only when used: a one-shot `airlock check` on SQLite should not load pg.
  if (options.url.startsWith('sqlite:')) return openSqlite(options.url.slice('sqlite:'.length));
  if (/^postgres(ql)?:\/\//.test(options.url)) return openPostgres(options);
  throw new AirlockError(
    'CONFIG_INVALID',
    `database.url "${redact(options.url)}" is not supported: use sqlite:<path> or postgres://user@host:5432/db`,
  );
}

async function openSqlite(path: string): Promise<Database> {
  const { default: Sqlite } = await import('better-sqlite3');
  const memory = path === ':memory:' || path === '';
  const file = memory ? ':memory:' : resolve(path);
  let handle: BetterSqlite3.Database;
  try {
    if (!memory) mkdirSync(dirname(file), { recursive: true });
    handle = new Sqlite(file);
    handle.pragma('journal_mode = WAL');
    handle.pragma('busy_timeout = 10000');
    handle.pragma('synchronous = NORMAL');
    handle.pragma('foreign_keys = ON');
  } catch (cause) {
    throw new AirlockError(
      'DATA_DIR_UNWRITABLE',
      `cannot open SQLite database ${file}: ${describeError(cause)}; check that the data directory is writable`,
      { cause },
    );
  }
  const db = new Kysely<CoreTables>({ dialect: new SqliteDialect({ database: handle }) });
  return {
    engine: 'sqlite',
    db,
    location: `sqlite:${file}`,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

async function openPostgres(options: DatabaseOptions): Promise<Database> {
  const { default: pg } = await import('pg');
  const location = redact(options.url);
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new AirlockError(
      'CONFIG_INVALID',
      `database.schema "${schema}" must be a lower-case SQL identifier`,
    );
  }
  // int8 (count(*), bigserial ids) arrives as a string by default; our ids and counts fit in a double.
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary'): ((value: string) => unknown) =>
      oid === 20
        ? (value: string) => Number(value)
        : (pg.types.getTypeParser(oid, format) as (value: string) => unknown),
  };
  const poolConfig: pg.PoolConfig = {
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    types,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  };
  if (schema) {
    const setup = new pg.Client({ connectionString: options.url, connectionTimeoutMillis: 10_000 });
    try {
      await setup.connect();
      await setup.query(`create schema if not exists ${schema}`);
    } catch (cause) {
      // Two processes creating the same schema at once race on the catalog; the loser can carry on.
      if ((cause as { code?: string }).code !== '23505') throw unreachable(location, cause);
    } finally {
      await setup.end().catch(() => undefined);
    }
  }
  const pool = new pg.Pool(poolConfig);
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it and the next query reports any real outage.
  });
  const db = new Kysely<CoreTables>({ dialect: new PostgresDialect({ pool }) });
  const database: Database = {
    engine: 'postgres',
    db,
    location: schema ? `${location} (schema ${schema})` : location,
    schema,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
  try {
    await database.ping();
  } catch (cause) {
    await db.destroy().catch(() => undefined);
    throw unreachable(location, cause);
  }
  return database;
}

function unreachable(location: string, cause: unknown): AirlockError {
  const code = (cause as { code?: string }).code;
  return new AirlockError(
    'DATABASE_UNREACHABLE',
    `cannot connect to ${location}: ${code ? `${code} ` : ''}${describeError(cause)}; check database.url and that the server is running`,
    { cause },
  );
}

/** Removes the password from a connection URL so it can be printed and logged. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  }
}
