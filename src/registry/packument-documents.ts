import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import type { Clock } from '../core/clock.js';
import type { GatePolicy } from '../gate/gate-policy.js';
import type { GateStore } from '../gate/gate-store.js';
import type { LoadedPackument } from './packument-service.js';
import { renderPackument } from './packument-filter.js';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

export type DocumentKind = 'full' | 'abbreviated';
export type ContentEncoding = 'identity' | 'gzip' | 'br';

/** One filtered packument document, ready to send; compressed forms are made once, on first demand. */
export class ServedDocument {
  readonly etag: string;
  readonly #encoded = new Map<ContentEncoding, Promise<Buffer>>();

  constructor(readonly body: Buffer) {
    this.etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
    this.#encoded.set('identity', Promise.resolve(body));
  }

  encoded(encoding: ContentEncoding): Promise<Buffer> {
    let ready = this.#encoded.get(encoding);
    if (!ready) {
      ready =
        encoding === 'gzip'
          ? gzipAsync(this.body, { level: 6 })
          : brotliAsync(this.body, {
              params: {
                // Quality 5 compresses a 20 MB packument in well under a second; 11 would take far longer.
                [zlibConstants.BROTLI_PARAM_QUALITY]: 5,
                [zlibConstants.BROTLI_PARAM_SIZE_HINT]: this.body.length,
              },
            });
      this.#encoded.set(encoding, ready);
    }
    return ready;
  }

  get bytes(): number {
    return this.body.length * 2;
  }
}

interface Rendered {
  readonly full: ServedDocument;
  readonly abbreviated: ServedDocument;
  /** When a young version becomes listable and the documents must be made again. */
  readonly expiresAt: number;
}

export interface PackumentDocumentsOptions {
  readonly store: GateStore;
  readonly clock: Clock;
  readonly policy: () => GatePolicy;
  /** Budget for cached documents (bytes of JSON, compressed forms come on top). */
  readonly maxCacheBytes?: number;
}

/**
 * The filtered documents clients get, computed once per (packument, gate revision, policy, base URL)
 * and reused until one of those changes: a request for a warm packument costs a map lookup, not a
 * parse-filter-serialise of megabytes (Verdaccio's weak spot).
 */
export class PackumentDocuments {
  readonly #o: PackumentDocumentsOptions;
  readonly #cache = new Map<string, Promise<Rendered>>();
  readonly #sizes = new Map<string, number>();
  #bytes = 0;

  constructor(options: PackumentDocumentsOptions) {
    this.#o = options;
  }

  async get(loaded: LoadedPackument, tarballBase: string, kind: DocumentKind): Promise<ServedDocument> {
    const policy = this.#o.policy();
    const key = [
      loaded.packument.name,
      loaded.blob,
      loaded.revision,
      policy.digest,
      policy.mode,
      tarballBase,
    ].join('\n');
    let rendered = this.#cache.get(key);
    if (rendered) {
      const ready = await rendered;
      if (ready.expiresAt > this.#o.clock.now().getTime()) {
        // Refresh recency: Map order is the LRU order.
        this.#cache.delete(key);
        this.#cache.set(key, rendered);
        return ready[kind];
      }
      this.#evict(key);
    }
    rendered = this.#render(loaded, tarballBase, policy);
    this.#cache.set(key, rendered);
    rendered.then(
      (r) => this.#account(key, r.full.bytes + r.abbreviated.bytes),
      () => this.#evict(key),
    );
    return (await rendered)[kind];
  }

  async #render(loaded: LoadedPackument, tarballBase: string, policy: GatePolicy): Promise<Rendered> {
    const states = await this.#o.store.states('npm', loaded.packument.name);
    const now = this.#o.clock.now();
    let expiresAt = Number.POSITIVE_INFINITY;
    const rendered = renderPackument(
      loaded.packument,
      (entry) => {
        const known = states.get(entry.version);
        if (policy.mode === 'monitor' || loaded.source === 'private') return true;
        if (known?.state === 'approved') return true;
        if (known && known.state !== 'pending' && known.state !== 'scanning') return false;
        if (known?.baseline) return true;
        const ref = { ecosystem: 'npm' as const, name: loaded.packument.name, version: entry.version };
        if (policy.listable(ref, entry.publishedAt, now)) return true;
        const from = policy.listableFrom(ref, entry.publishedAt);
        if (from) expiresAt = Math.min(expiresAt, from.getTime());
        return false;
      },
      tarballBase,
    );
    return {
      full: new ServedDocument(rendered.full),
      abbreviated: new ServedDocument(rendered.abbreviated),
      expiresAt,
    };
  }

  #account(key: string, bytes: number): void {
    if (!this.#cache.has(key)) return;
    this.#sizes.set(key, bytes);
    this.#bytes += bytes;
    const budget = this.#o.maxCacheBytes ?? 192 * 1024 * 1024;
    for (const oldest of this.#cache.keys()) {
      if (this.#bytes <= budget || oldest === key) break;
      this.#evict(oldest);
    }
  }

  #evict(key: string): void {
    this.#cache.delete(key);
    this.#bytes -= this.#sizes.get(key) ?? 0;
    this.#sizes.delete(key);
  }
}
