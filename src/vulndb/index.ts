/** The vulndb domain: OSV ingestion, SemVer/PEP 440 matching and the VulnerabilityMatcher behind scans and audits. */
export type { Advisory, AffectedPackage, AffectedRange, RangeEvent, SeveritySource } from './advisory.js';
export { ecosystemOf, normalizePackageName } from './advisory.js';
export { AdvisoryStore, type StoreOutcome } from './advisory-store.js';
export { AdvisoryIndex, type AdvisoryMatch } from './advisory-index.js';
export { OsvVulnerabilityMatcher, PackageScopedVulnerabilityMatcher } from './matcher.js';
export { createVulnerabilityAnalyzer } from './vulnerability-analyzer.js';
export { vulndbMigrations } from './migrations.js';
export { vulndbConfigSchema, defaultVulndbSources, type VulndbConfig } from './config.js';
export {
  importPath,
  importEntries,
  entriesAt,
  type ImportSummary,
  type SkippedRecord,
} from './import/import-advisories.js';
export { SourceStateStore, type SourceState } from './sync/source-state.js';
export { syncSources, type SourceOutcome, type SyncDeps } from './sync/sync-sources.js';
export { createVulndbSyncJobHandler, scheduleVulndbSync, vulndbSyncQueue } from './sync/sync-job.js';
export { parsePackageSpec, queryPackage, type PackageSpec, type QueryResult } from './query.js';
export { compareVersionText, versionOrder } from './versions/ecosystem-order.js';
export { auditBulk, auditQuick, type AdvisoryLookup, type BulkAdvisory } from './npm-audit.js';
