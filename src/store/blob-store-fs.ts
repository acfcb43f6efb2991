import { mkdir, open, readdir, readFile, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { createHash, randomBytes } from 'node:crypto';
import { AirlockError, describeError, isAirlockError } from '../errors.js';
import type { BlobRef, BlobStore } from './ports.js';
import { MultiHasher, formatSha512, matchesIntegrity, parseIntegrity, sha512Of } from './integrity.js';

/** Age after which a temp file is taken to belong to a writer that died. */
const staleTempMs = 60 * 60_000;

export interface FsBlobStoreOptions {
  /** Directory holding the store; created when missing. */
  readonly root: string;
  /** Re-hash every blob read and fail with BLOB_CORRUPT when it no longer matches its name. */
  readonly verifyOnRead?: boolean;
}

/**
 * Blobs on the local filesystem at `<root>/sha512/<hex[0..2]>/<hex[2..4]>/<hex>`.
 * Writes stream into `<root>/tmp/` (same filesystem, so rename is atomic), are fsynced, then renamed
 * into place: a reader sees a whole blob or none, even when the writer dies midway.
 */
export class FsBlobStore implements BlobStore {
  readonly location: string;
  readonly #root: string;
  readonly #tmp: string;
  readonly #verifyOnRead: boolean;

  private constructor(options: FsBlobStoreOptions) {
    this.#root = resolve(options.root);
    this.#tmp = join(this.#root, 'tmp');
    this.#verifyOnRead = options.verifyOnRead ?? false;
    this.location = this.#root;
  }

  /** Creates the directories and checks that they are writable (DATA_DIR_UNWRITABLE otherwise). */
  static async open(options: FsBlobStoreOptions): Promise<FsBlobStore> {
    const store = new FsBlobStore(options);
    try {
      await mkdir(join(store.#root, 'sha512'), { recursive: true });
      await mkdir(store.#tmp, { recursive: true });
    } catch (cause) {
      throw store.#unwritable(cause);
    }
    await store.ping();
    await store.#removeStaleTemps();
    return store;
  }

  /** Stores bytes; the blob's name is its sha512, so storing the same bytes twice is a no-op. */
  async put(
    data: Uint8Array | AsyncIterable<Uint8Array>,
    options: { expectedIntegrity?: string; maxBytes?: number } = {},
  ): Promise<BlobRef> {
    const expected =
      options.expectedIntegrity === undefined ? undefined : parseIntegrity(options.expectedIntegrity);
    const hasher = new MultiHasher(expected?.map((h) => h.algorithm));
    const tempPath = join(this.#tmp, `put-${process.pid}-${randomBytes(8).toString('hex')}`);
    let file: FileHandle | undefined;
    try {
      try {
        file = await open(tempPath, 'wx', 0o644);
      } catch (cause) {
        throw this.#unwritable(cause);
      }
      let size = 0;
      const chunks = data instanceof Uint8Array ? [data] : data;
      for await (const chunk of chunks) {
        size += chunk.byteLength;
        if (options.maxBytes !== undefined && size > options.maxBytes) {
          throw new AirlockError(
            'PAYLOAD_TOO_LARGE',
            `blob is larger than the limit of ${options.maxBytes} bytes; nothing was stored`,
          );
        }
        hasher.update(chunk);
        await file.write(chunk);
      }
      const digests = hasher.digests();
      if (expected && !matchesIntegrity(expected, digests)) {
        throw new AirlockError(
          'INTEGRITY_MISMATCH',
          `content does not match the expected integrity ${options.expectedIntegrity ?? ''}; nothing was stored`,
        );
      }
      await file.sync();
      await file.close();
      file = undefined;
      const digest = digests.get('sha512') as Buffer;
      const target = this.#pathOf(digest);
      await mkdir(join(target, '..'), { recursive: true });
      await rename(tempPath, target);
      await syncDirectory(join(target, '..'));
      return { integrity: formatSha512(digest), size };
    } catch (error) {
      await file?.close().catch(() => undefined);
      await rm(tempPath, { force: true }).catch(() => undefined);
      if (isAirlockError(error)) throw error;
      throw new AirlockError('INTERNAL', `storing a blob in ${this.#root} failed: ${describeError(error)}`, {
        cause: error,
      });
    }
  }

  async has(integrity: string): Promise<boolean> {
    let path: string;
    try {
      path = this.#pathOf(sha512Of(integrity));
    } catch {
      return false;
    }
    return stat(path).then(
      (s) => s.isFile(),
      () => false,
    );
  }

  /** The whole blob; BLOB_CORRUPT when verify-on-read is on and the bytes no longer match. */
  async get(integrity: string): Promise<Buffer> {
    const digest = sha512Of(integrity);
    let bytes: Buffer;
    try {
      bytes = await readFile(this.#pathOf(digest));
    } catch (cause) {
      throw this.#readError(integrity, cause);
    }
    if (this.#verifyOnRead && !createHash('sha512').update(bytes).digest().equals(digest)) {
      throw corrupt(integrity);
    }
    return bytes;
  }

  /** A stream of the blob; with verify-on-read the stream errors with BLOB_CORRUPT at its end. */
  async stream(integrity: string): Promise<Readable> {
    const digest = sha512Of(integrity);
    const path = this.#pathOf(digest);
    const file = await open(path, 'r').catch((cause: unknown) => {
      throw this.#readError(integrity, cause);
    });
    // Opening first turns a missing blob into BLOB_NOT_FOUND now rather than a stream error later.
    const source = file.createReadStream();
    if (!this.#verifyOnRead) return source;
    const hash = createHash('sha512');
    const verifier = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        done(null, chunk);
      },
      flush(done) {
        done(hash.digest().equals(digest) ? null : corrupt(integrity));
      },
    });
    source.on('error', (error) => verifier.destroy(error));
    return source.pipe(verifier);
  }

  /** Writes, reads back and deletes a probe file; DATA_DIR_UNWRITABLE when any step fails. */
  async ping(): Promise<void> {
    const probe = join(this.#tmp, `probe-${process.pid}-${randomBytes(6).toString('hex')}`);
    const content = randomBytes(16);
    try {
      const file = await open(probe, 'wx');
      try {
        await file.write(content);
      } finally {
        await file.close();
      }
      const back = await readFile(probe);
      if (!back.equals(content)) throw new Error('the probe file read back differently');
    } catch (cause) {
      throw this.#unwritable(cause);
    } finally {
      await rm(probe, { force: true }).catch(() => undefined);
    }
  }

  /** Temp files of writers that died mid-write; old ones only, as another process may be writing now. */
  async #removeStaleTemps(): Promise<void> {
    const cutoff = Date.now() - staleTempMs;
    for (const name of await readdir(this.#tmp).catch(() => [])) {
      const path = join(this.#tmp, name);
      const info = await stat(path).catch(() => undefined);
      if (info?.isFile() && info.mtimeMs < cutoff) await rm(path, { force: true }).catch(() => undefined);
    }
  }

  #pathOf(digest: Buffer): string {
    const hex = digest.toString('hex');
    return join(this.#root, 'sha512', hex.slice(0, 2), hex.slice(2, 4), hex);
  }

  #unwritable(cause: unknown): AirlockError {
    const code = (cause as NodeJS.ErrnoException).code;
    return new AirlockError(
      'DATA_DIR_UNWRITABLE',
      `blob directory ${this.#root} is not writable (${code ?? describeError(cause)}); fix its permissions or set blobs.path`,
      { cause },
    );
  }

  #readError(integrity: string, cause: unknown): AirlockError {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') {
      return new AirlockError('BLOB_NOT_FOUND', `blob ${integrity} is not in the store`, { cause });
    }
    return new AirlockError('INTERNAL', `cannot read blob ${integrity}: ${describeError(cause)}`, { cause });
  }
}

function corrupt(integrity: string): AirlockError {
  return new AirlockError(
    'BLOB_CORRUPT',
    `blob ${integrity} no longer matches its hash on disk; delete it so it is fetched again`,
  );
}

/** Makes a rename durable: the directory entry itself must reach the disk. */
async function syncDirectory(path: string): Promise<void> {
  const dir = await open(path, 'r');
  try {
    await dir.sync();
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic, only less durable.
  } finally {
    await dir.close();
  }
}
