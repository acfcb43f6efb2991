import { AirlockError } from '../errors.js';
import {
  defaultTarballLimits,
  readTarball,
  type TarballContents,
  type TarballLimits,
} from '../scan/tarball/index.js';
import type { BlobStore } from '../store/ports.js';
import { Lru } from './lru.js';

export interface StoredTarballsOptions {
  readonly blobs: Pick<BlobStore, 'get'>;
  /** Tighter than the scanner's: these reads happen on a reviewer's request, in the server process. */
  readonly limits?: TarballLimits;
  readonly cacheEntries?: number;
  /** Only tarballs that unpack to at most this many bytes are kept in the cache. */
  readonly maxCachedBytes?: number;
}

export const reviewTarballLimits: TarballLimits = {
  ...defaultTarballLimits,
  maxCompressedBytes: 32 * 1024 * 1024,
  maxUnpackedBytes: 128 * 1024 * 1024,
  maxFileBytes: 16 * 1024 * 1024,
};

/** Reads stored tarballs (content-addressed, so immutable) for the review views, with a small cache. */
export class StoredTarballs {
  readonly #o: StoredTarballsOptions;
  readonly #cache: Lru<string, Promise<TarballContents>>;

  constructor(options: StoredTarballsOptions) {
    this.#o = options;
    this.#cache = new Lru(options.cacheEntries ?? 4);
  }

  /** The files of the blob `integrity`; BLOB_NOT_FOUND when it is not stored. */
  contents(integrity: string): Promise<TarballContents> {
    const cached = this.#cache.get(integrity);
    if (cached) return cached;
    const read = this.#read(integrity);
    this.#cache.set(integrity, read);
    read.then(
      (contents) => {
        if (contents.unpackedBytes > (this.#o.maxCachedBytes ?? 32 * 1024 * 1024))
          this.#cache.delete(integrity);
      },
      () => this.#cache.delete(integrity),
    );
    return read;
  }

  async #read(integrity: string): Promise<TarballContents> {
    const bytes = await this.#o.blobs.get(integrity);
    const limits = this.#o.limits ?? reviewTarballLimits;
    if (bytes.length > limits.maxCompressedBytes) {
      throw new AirlockError(
        'PAYLOAD_TOO_LARGE',
        `the tarball is ${bytes.length} bytes, more than the ${limits.maxCompressedBytes} the review views read`,
      );
    }
    return readTarball(bytes, limits);
  }
}
