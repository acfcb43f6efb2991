import { isAbsolute, join, resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import type { AirlockConfig } from '../config/schema.js';
import { openDatabase, type Database } from '../store/database.js';
import { migrate } from '../store/migrate.js';
import { allMigrations } from '../migrations.js';
import { SqlAuditLog } from '../audit/audit-log-sql.js';
import { TokenStore } from '../auth/tokens.js';
import type { CliContext } from './context.js';

/** What commands that work on the database directly (no server) get. */
export interface LocalStores {
  readonly config: Readonly<AirlockConfig>;
  readonly database: Database;
  readonly audit: SqlAuditLog;
  readonly tokens: TokenStore;
}

/** The database URL the config names, or the embedded SQLite file under the data directory. */
export function databaseUrlFor(config: Readonly<AirlockConfig>, cwd: string): string {
  if (config.database.url) return config.database.url;
  const dataDir = isAbsolute(config.dataDir) ? config.dataDir : resolve(cwd, config.dataDir);
  return `sqlite:${join(dataDir, 'airlock.db')}`;
}

/** Loads the config, opens and migrates the database, runs `fn`, and always closes the database. */
export async function withLocalStores<T>(
  configFile: string | undefined,
  ctx: CliContext,
  fn: (stores: LocalStores) => Promise<T>,
): Promise<T> {
  const file = configFile === undefined ? undefined : resolve(ctx.cwd, configFile);
  const config = loadConfig({ file, env: ctx.env });
  const database = await openDatabase({
    url: databaseUrlFor(config, ctx.cwd),
    poolSize: Math.min(config.database.poolSize, 4),
    schema: config.database.schema,
  });
  try {
    await migrate(database, allMigrations);
    const audit = new SqlAuditLog(database);
    const tokens = new TokenStore(database, audit);
    return await fn({ config, database, audit, tokens });
  } finally {
    await database.close();
  }
}
