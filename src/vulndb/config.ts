import { z } from 'zod';
import { durationSchema } from '../config/duration.js';

/** OSV's per-ecosystem archives: every npm and PyPI record, one JSON file per advisory. */
export const defaultVulndbSources = [
  { name: 'osv-npm', url: 'https://osv-vulnerabilities.storage.googleapis.com/npm/all.zip' },
  { name: 'osv-pypi', url: 'https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip' },
];

const sourceSchema = z.strictObject({
  /** Shown by `airlock vulndb status` and stored with each advisory. */
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/),
  /** An OSV zip archive over http(s). */
  url: z.url({ protocol: /^https?$/ }),
});

/** Settings of the vulndb domain; every key has a safe default. */
export const vulndbConfigSchema = z
  .strictObject({
    sources: z.array(sourceSchema).max(50).default(defaultVulndbSources),
    /** How often the server syncs the sources; 0 turns scheduled sync off. */
    syncIntervalMs: durationSchema.default(6 * 3_600_000),
    /** Largest archive a sync downloads. */
    maxDownloadBytes: z
      .number()
      .int()
      .positive()
      .default(1024 * 1024 * 1024),
    /** Whole-download timeout of one source. */
    downloadTimeoutMs: durationSchema.default(600_000),
  })
  .default({
    sources: defaultVulndbSources,
    syncIntervalMs: 6 * 3_600_000,
    maxDownloadBytes: 1024 * 1024 * 1024,
    downloadTimeoutMs: 600_000,
  });

export type VulndbConfig = z.output<typeof vulndbConfigSchema>;
