import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Clock } from '../../core/clock.js';
import { systemClock } from '../../core/clock.js';
import { AirlockError, describeError } from '../../errors.js';
import type { AuditLog } from '../../store/ports.js';
import type { AdvisoryStore } from '../advisory-store.js';
import { importPath, type ImportSummary } from '../import/import-advisories.js';
import type { SourceStateStore } from './source-state.js';

export interface SyncSource {
  readonly name: string;
  readonly url: string;
}

export interface SyncDeps {
  readonly store: AdvisoryStore;
  readonly sources: SourceStateStore;
  readonly config: {
    readonly sources: readonly SyncSource[];
    readonly maxDownloadBytes: number;
    readonly downloadTimeoutMs: number;
  };
  /** Rebuilds the matcher's index when anything changed (`OsvVulnerabilityMatcher#refresh`). */
  readonly refresh?: () => Promise<unknown>;
  readonly audit?: Pick<AuditLog, 'append'>;
  readonly clock?: Clock;
  readonly fetch?: typeof fetch;
  readonly onProgress?: (source: string, read: number) => void;
}

export type SourceOutcome =
  | { readonly source: string; readonly status: 'imported'; readonly summary: ImportSummary }
  | { readonly source: string; readonly status: 'not-modified' }
  | { readonly source: string; readonly status: 'failed'; readonly error: string };

/**
 * Fetches every configured source with a conditional request and imports what changed. A download is
 * written to a private temporary file and checked whole (length, zip directory) before anything is imported,
 * so a failed or truncated download leaves the database as it was; the validators only move on success.
 */
export async function syncSources(deps: SyncDeps, signal?: AbortSignal): Promise<SourceOutcome[]> {
  const clock = deps.clock ?? systemClock;
  const outcomes: SourceOutcome[] = [];
  for (const source of deps.config.sources) {
    signal?.throwIfAborted();
    const checkedAt = clock.now().toISOString();
    let outcome: SourceOutcome;
    try {
      outcome = await syncOne(deps, source, checkedAt, signal);
    } catch (error) {
      outcome = { source: source.name, status: 'failed', error: describeError(error) };
      await deps.sources.record({
        name: source.name,
        url: source.url,
        status: 'failed',
        checkedAt,
        error: outcome.error,
      });
    }
    outcomes.push(outcome);
  }
  if (outcomes.some((o) => o.status === 'imported')) await deps.refresh?.();
  await deps.audit?.append({
    actor: 'system',
    action: 'vulndb.sync',
    subject: 'vulndb',
    details: {
      sources: outcomes.map((o) =>
        o.status === 'imported'
          ? {
              source: o.source,
              status: o.status,
              read: o.summary.read,
              ecosystems: o.summary.ecosystems,
              skipped: o.summary.skipped,
            }
          : o,
      ),
    },
  });
  return outcomes;
}

async function syncOne(
  deps: SyncDeps,
  source: SyncSource,
  checkedAt: string,
  signal?: AbortSignal,
): Promise<SourceOutcome> {
  const previous = await deps.sources.get(source.name);
  const headers: Record<string, string> = { accept: 'application/zip, application/octet-stream' };
  if (previous?.url === source.url) {
    if (previous.etag) headers['if-none-match'] = previous.etag;
    if (previous.lastModified) headers['if-modified-since'] = previous.lastModified;
  }
  const timeout = AbortSignal.timeout(deps.config.downloadTimeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  const response = await (deps.fetch ?? fetch)(source.url, { headers, signal: combined, redirect: 'follow' });
  if (response.status === 304) {
    await response.body?.cancel();
    await deps.sources.record({ name: source.name, url: source.url, status: 'not-modified', checkedAt });
    return { source: source.name, status: 'not-modified' };
  }
  if (response.status !== 200 || !response.body) {
    await response.body?.cancel();
    throw new AirlockError('UPSTREAM_UNAVAILABLE', `${source.url} answered HTTP ${response.status}`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'airlock-vulndb-'));
  try {
    const file = join(dir, 'source.zip');
    const size = await download(response, file, deps.config.maxDownloadBytes);
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared !== size)
      throw new AirlockError(
        'UPSTREAM_INVALID',
        `${source.url}: download ended after ${size} of ${declared} bytes`,
      );
    const summary = await importPath(deps.store, file, {
      source: source.name,
      ...(deps.onProgress ? { onProgress: (n: number) => deps.onProgress!(source.name, n) } : {}),
    });
    await deps.sources.record({
      name: source.name,
      url: source.url,
      status: 'imported',
      checkedAt,
      syncedAt: checkedAt,
      etag: response.headers.get('etag'),
      lastModified: response.headers.get('last-modified'),
      summary,
    });
    return { source: source.name, status: 'imported', summary };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function download(response: Response, file: string, maxBytes: number): Promise<number> {
  let size = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > maxBytes)
        callback(
          new AirlockError(
            'PAYLOAD_TOO_LARGE',
            `download exceeds ${maxBytes} bytes (vulndb.maxDownloadBytes)`,
          ),
        );
      else callback(null, chunk);
    },
  });
  await pipeline(
    Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
    limit,
    createWriteStream(file, { mode: 0o600 }),
  );
  return size;
}
