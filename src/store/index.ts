export { openDatabase, redact, type Database, type DatabaseOptions, type Engine } from './database.js';
export { migrate, addIdColumn, type AirlockMigration, type MigrationSet } from './migrate.js';
export type * from './ports.js';
export type { CoreTables } from './tables.js';
export { FsBlobStore, type FsBlobStoreOptions } from './blob-store-fs.js';
export { parseIntegrity, sha512Of, formatSha512, type IntegrityHash } from './integrity.js';
export { SqlJobQueue, type SqlJobQueueOptions } from './job-queue-sql.js';
export { JobRunner, type JobHandler, type JobRunnerOptions } from './job-runner.js';
