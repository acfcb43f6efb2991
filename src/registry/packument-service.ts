import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import { AirlockError, isAirlockError } from '../errors.js';
import type { GateStore } from '../gate/gate-store.js';
import type { BlobStore } from '../store/ports.js';
import type { NpmUpstream } from './upstream-client.js';
import { parsePackument, type Packument } from './packument.js';

export interface PackumentServiceOptions {
  readonly store: GateStore;
  readonly blobs: BlobStore;
  readonly upstream: NpmUpstream;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly ttlMs: number;
  /** Scopes only ever served from Airlock's private store. */
  readonly privateScopes: readonly string[];
  /** Called with the versions worth validating in advance when a packument is fetched anew. */
  readonly onNewPackument?: (packument: Packument) => Promise<void>;
}

export interface LoadedPackument {
  readonly packument: Packument;
  readonly source: 'upstream' | 'private';
  readonly revision: number;
  /** The blob the packument came from: with the revision, the key of the rendered documents. */
  readonly blob: string;
}

/**
 * Upstream and private packuments, cached in the blob store and revalidated after a TTL. When the
 * upstream is down the cached copy keeps approved versions installable; nothing new gets in.
 */
export class PackumentService {
  readonly #o: PackumentServiceOptions;
  readonly #parsed = new Map<string, Packument>();
  readonly #inflight = new Map<string, Promise<LoadedPackument | undefined>>();

  constructor(options: PackumentServiceOptions) {
    this.#o = options;
  }

  isPrivateScope(name: string): boolean {
    return this.#o.privateScopes.some((scope) => name.startsWith(`${scope}/`));
  }

  /**
   * The packument of `name`, or undefined when neither Airlock nor upstream knows it. `prefetch: false`
   * skips validating likely versions in advance (an import names exactly the versions it wants).
   */
  load(name: string, options: { prefetch?: boolean } = {}): Promise<LoadedPackument | undefined> {
    const running = this.#inflight.get(name);
    if (running) return running;
    const work = this.#load(name, options.prefetch ?? true).finally(() => this.#inflight.delete(name));
    this.#inflight.set(name, work);
    return work;
  }

  async #load(name: string, prefetch: boolean): Promise<LoadedPackument | undefined> {
    const row = await this.#o.store.package('npm', name);
    if (row?.source === 'private') return this.#fromBlob(name, row.packument_blob, 'private', row.revision);
    if (this.isPrivateScope(name)) return undefined;
    const fresh =
      row?.fetched_at &&
      row.packument_blob &&
      this.#o.clock.now().getTime() - Date.parse(row.fetched_at) < this.#o.ttlMs;
    if (row?.packument_blob && fresh)
      return this.#fromBlob(name, row.packument_blob, 'upstream', row.revision);

    let fetched;
    try {
      fetched = await this.#o.upstream.packument(name, {
        ...(row?.packument_blob && row.etag ? { etag: row.etag } : {}),
        ...(row?.packument_blob && row.last_modified ? { lastModified: row.last_modified } : {}),
      });
    } catch (error) {
      if (row?.packument_blob && isAirlockError(error, 'UPSTREAM_UNAVAILABLE')) {
        this.#o.logger.warn(
          { err: error, package: name },
          'upstream unavailable; serving the cached packument',
        );
        return this.#fromBlob(name, row.packument_blob, 'upstream', row.revision);
      }
      throw error;
    }
    if (fetched.status === 'not-found') return undefined;
    if (fetched.status === 'not-modified') {
      if (!row?.packument_blob)
        throw new AirlockError('UPSTREAM_INVALID', `upstream answered 304 for ${name} unasked`);
      await this.#o.store.touchFetched('npm', name);
      return this.#fromBlob(name, row.packument_blob, 'upstream', row.revision);
    }
    // Validate before storing: a malformed document never replaces the cached one.
    const packument = parsePackument(fetched.body, name);
    if (packument.dropped.length > 0) {
      this.#o.logger.warn(
        { package: name, dropped: packument.dropped.slice(0, 20) },
        'dropped malformed versions',
      );
    }
    const blob = await this.#o.blobs.put(fetched.body);
    this.#parsed.set(blob.integrity, packument);
    await this.#o.store.savePackument('npm', name, {
      source: 'upstream',
      blob: blob.integrity,
      etag: fetched.etag,
      lastModified: fetched.lastModified,
    });
    if (prefetch && row?.packument_blob !== blob.integrity) await this.#o.onNewPackument?.(packument);
    const saved = await this.#o.store.package('npm', name);
    this.#trim();
    return { packument, source: 'upstream', revision: saved?.revision ?? 1, blob: blob.integrity };
  }

  async #fromBlob(
    name: string,
    blob: string | null,
    source: 'upstream' | 'private',
    revision: number,
  ): Promise<LoadedPackument | undefined> {
    if (!blob) return undefined;
    let packument = this.#parsed.get(blob);
    if (!packument) {
      packument = parsePackument(await this.#o.blobs.get(blob), name);
      this.#parsed.set(blob, packument);
      this.#trim();
    }
    return { packument, source, revision, blob };
  }

  /** Parsed packuments are big (typescript's is ~20 MB of JSON); keep only a few. */
  #trim(): void {
    while (this.#parsed.size > 8) {
      const oldest = this.#parsed.keys().next().value;
      if (oldest === undefined) break;
      this.#parsed.delete(oldest);
    }
  }
}
