import { stat } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { AirlockError, describeError } from '../../errors.js';
import type { Advisory } from '../advisory.js';
import type { AdvisoryStore, StoreOutcome } from '../advisory-store.js';
import { parseOsvRecord } from '../osv/parse-record.js';
import { readDirectory, readSingleFile } from './dir-reader.js';
import type { RawEntry, ReadLimits } from './raw-record.js';
import { readZip } from './zip-reader.js';

/** Per-ecosystem outcome counts of one import. */
export type EcosystemTally = Record<StoreOutcome, number>;

/** One record (or archive entry) that was not imported, and why. */
export interface SkippedRecord {
  readonly origin: string;
  readonly id?: string;
  readonly reason: string;
}

export interface ImportSummary {
  readonly source: string;
  /** Documents read from the source. */
  readonly read: number;
  readonly ecosystems: Readonly<Record<string, EcosystemTally>>;
  readonly skipped: number;
  /** Valid records of other ecosystems (Maven, Go, …), left out on purpose. */
  readonly ignored: number;
  /** The first skipped records (at most 100), so a summary stays small. */
  readonly problems: readonly SkippedRecord[];
}

export interface ImportOptions {
  /** Name stored with each advisory (a sync source name, or `import`). */
  readonly source: string;
  readonly onProgress?: (read: number) => void;
  readonly limits?: ReadLimits;
  readonly batchSize?: number;
}

/** Reads a zip archive, a directory tree or a single JSON/YAML file, whichever `path` is. */
export async function entriesAt(path: string, limits?: ReadLimits): Promise<AsyncIterable<RawEntry>> {
  const info = await stat(path).catch((cause: unknown) => {
    throw new AirlockError('NOT_FOUND', `cannot read ${path}: ${describeError(cause)}`, { cause });
  });
  if (info.isDirectory()) return readDirectory(path, limits);
  if (path.toLowerCase().endsWith('.zip')) return readZip(path, limits);
  return readSingleFile(path, limits);
}

/** Imports every OSV record of a path; see `importEntries`. */
export async function importPath(
  store: AdvisoryStore,
  path: string,
  options: ImportOptions,
): Promise<ImportSummary> {
  return importEntries(store, await entriesAt(path, options.limits), options);
}

/**
 * Parses, validates and stores records in batches. A bad record is skipped and counted with its id and reason;
 * the rest still imports. Batches commit one by one, so every advisory is either its old or its new self.
 */
export async function importEntries(
  store: AdvisoryStore,
  entries: AsyncIterable<RawEntry>,
  options: ImportOptions,
): Promise<ImportSummary> {
  const batchSize = options.batchSize ?? 1000;
  const ecosystems: Record<string, EcosystemTally> = Object.create(null) as Record<string, EcosystemTally>;
  const problems: SkippedRecord[] = [];
  let skipped = 0;
  let ignored = 0;
  let read = 0;
  let batch: Advisory[] = [];
  const skip = (record: SkippedRecord) => {
    skipped++;
    if (problems.length < 100) problems.push(record);
  };
  const flush = async () => {
    if (batch.length === 0) return;
    const outcomes = await store.upsert(batch, options.source);
    batch.forEach((advisory, i) => {
      for (const eco of new Set(advisory.affected.map((a) => a.ecosystem))) {
        const tally = (ecosystems[eco] ??= { added: 0, updated: 0, withdrawn: 0, unchanged: 0 });
        tally[outcomes[i]!]++;
      }
    });
    batch = [];
  };
  for await (const entry of entries) {
    if ('problem' in entry) {
      skip({ origin: entry.origin, reason: entry.problem });
      continue;
    }
    read++;
    if (read % 1000 === 0) options.onProgress?.(read);
    let document: unknown;
    try {
      document =
        entry.format === 'json'
          ? JSON.parse(entry.text)
          : parseYaml(entry.text, { maxAliasCount: 100, uniqueKeys: true });
    } catch (cause) {
      skip({
        origin: entry.origin,
        reason: `malformed ${entry.format.toUpperCase()}: ${describeError(cause).split('\n')[0]}`,
      });
      continue;
    }
    const result = parseOsvRecord(document);
    if (!result.ok && result.ignored) {
      ignored++;
      continue;
    }
    if (!result.ok) {
      skip({ origin: entry.origin, ...(result.id ? { id: result.id } : {}), reason: result.reason });
      continue;
    }
    batch.push(result.advisory);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  options.onProgress?.(read);
  return { source: options.source, read, ecosystems, skipped, ignored, problems };
}
