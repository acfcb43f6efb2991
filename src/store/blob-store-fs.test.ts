import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { FsBlobStore } from './blob-store-fs.js';
import { isAirlockError } from '../errors.js';

const sri = (bytes: Buffer | string, algorithm = 'sha512') =>
  `${algorithm}-${createHash(algorithm).update(bytes).digest('base64')}`;

/** Every file under `dir`, relative paths. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

async function* chunks(parts: string[], failAfter?: number): AsyncIterable<Uint8Array> {
  let i = 0;
  for (const part of parts) {
    if (failAfter !== undefined && i === failAfter) throw new Error('connection reset by upstream');
    i += 1;
    yield Buffer.from(part);
    await Promise.resolve();
  }
}

describe('FsBlobStore', () => {
  let root: string;
  let store: FsBlobStore;
  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'airlock-blobs-'));
    store = await FsBlobStore.open({ root });
  });
  afterEach(() => {
    chmodSync(root, 0o755);
    rmSync(root, { recursive: true, force: true });
  });

  it('stores bytes under their sha512 and reads them back whole or streamed', async () => {
    const ref = await store.put(Buffer.from('hello tarball'));
    expect(ref).toEqual({ integrity: sri('hello tarball'), size: 13 });
    expect(await store.has(ref.integrity)).toBe(true);
    expect((await store.get(ref.integrity)).toString()).toBe('hello tarball');
    expect(await text(await store.stream(ref.integrity))).toBe('hello tarball');
    const hex = createHash('sha512').update('hello tarball').digest('hex');
    expect(filesUnder(root)).toEqual([join('sha512', hex.slice(0, 2), hex.slice(2, 4), hex)]);
  });

  it('streams a put from an async iterable and is idempotent', async () => {
    const a = await store.put(chunks(['ab', 'cd', 'ef']));
    const b = await store.put(Buffer.from('abcdef'));
    expect(a).toEqual(b);
    expect(filesUnder(root)).toHaveLength(1);
  });

  it('accepts a matching expected integrity, including multi-hash and sha1 forms', async () => {
    const body = Buffer.from('package contents');
    await expect(store.put(body, { expectedIntegrity: sri(body) })).resolves.toMatchObject({ size: 16 });
    await expect(
      store.put(body, { expectedIntegrity: `${sri(body, 'sha1')} ${sri(body)}` }),
    ).resolves.toBeDefined();
    await expect(store.put(body, { expectedIntegrity: sri(body, 'sha1') })).resolves.toBeDefined();
  });

  it('rejects a mismatching integrity and stores nothing', async () => {
    const error = await store
      .put(chunks(['evil ', 'bytes']), { expectedIntegrity: sri('good bytes') })
      .catch((e: unknown) => e);
    expect(isAirlockError(error, 'INTEGRITY_MISMATCH')).toBe(true);
    expect(filesUnder(root)).toEqual([]);
    expect(await store.has(sri('evil bytes'))).toBe(false);
  });

  it('rejects blobs over maxBytes and stores nothing', async () => {
    const error = await store.put(chunks(['12345', '67890']), { maxBytes: 7 }).catch((e: unknown) => e);
    expect(isAirlockError(error, 'PAYLOAD_TOO_LARGE')).toBe(true);
    expect(filesUnder(root)).toEqual([]);
  });

  it('leaves no partial blob when the source stream fails midway', async () => {
    const error = await store
      .put(chunks(['first part ', 'second part ', 'third'], 2))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/connection reset by upstream/);
    expect(filesUnder(root)).toEqual([]);
    expect(await store.has(sri('first part second part '))).toBe(false);
  });

  it('clears temp files left by a writer that died, but not ones still being written', async () => {
    const stale = join(root, 'tmp', 'put-1-dead');
    const fresh = join(root, 'tmp', 'put-2-busy');
    writeFileSync(stale, 'half a tarball');
    writeFileSync(fresh, 'being written');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    utimesSync(stale, twoHoursAgo, twoHoursAgo);
    await FsBlobStore.open({ root });
    expect(filesUnder(root)).toEqual([join('tmp', 'put-2-busy')]);
  });

  it('answers BLOB_NOT_FOUND for a missing blob and false from has() for junk', async () => {
    const missing = sri('never stored');
    expect(isAirlockError(await store.get(missing).catch((e: unknown) => e), 'BLOB_NOT_FOUND')).toBe(true);
    expect(isAirlockError(await store.stream(missing).catch((e: unknown) => e), 'BLOB_NOT_FOUND')).toBe(true);
    expect(await store.has('../../etc/passwd')).toBe(false);
    expect(isAirlockError(await store.get('sha512-../../x').catch((e: unknown) => e), 'BAD_REQUEST')).toBe(
      true,
    );
  });

  it('detects a blob corrupted on disk when verify-on-read is on', async () => {
    const ref = await store.put(Buffer.from('original'));
    const hex = Buffer.from(ref.integrity.slice('sha512-'.length), 'base64').toString('hex');
    writeFileSync(join(root, 'sha512', hex.slice(0, 2), hex.slice(2, 4), hex), 'tampered');
    expect((await store.get(ref.integrity)).toString()).toBe('tampered');

    const verifying = await FsBlobStore.open({ root, verifyOnRead: true });
    expect(isAirlockError(await verifying.get(ref.integrity).catch((e: unknown) => e), 'BLOB_CORRUPT')).toBe(
      true,
    );
    const streamed = await text(await verifying.stream(ref.integrity)).catch((e: unknown) => e);
    expect(isAirlockError(streamed, 'BLOB_CORRUPT')).toBe(true);

    const good = await verifying.put(Buffer.from('fine'));
    expect(await text(await verifying.stream(good.integrity))).toBe('fine');
  });

  it('reports a data directory it cannot write to, even as root', async () => {
    // chmod does not stop root, so block the directories with plain files instead.
    rmSync(join(root, 'tmp'), { recursive: true });
    writeFileSync(join(root, 'tmp'), 'not a directory');
    const pingError = await store.ping().catch((e: unknown) => e);
    expect(isAirlockError(pingError, 'DATA_DIR_UNWRITABLE')).toBe(true);
    expect((pingError as Error).message).toContain(root);
    expect(
      isAirlockError(await store.put(Buffer.from('x')).catch((e: unknown) => e), 'DATA_DIR_UNWRITABLE'),
    ).toBe(true);
    const openError = await FsBlobStore.open({ root: join(root, 'tmp', 'blobs') }).catch((e: unknown) => e);
    expect(isAirlockError(openError, 'DATA_DIR_UNWRITABLE')).toBe(true);
  });

  it.skipIf(process.getuid?.() === 0)('reports a read-only directory clearly', async () => {
    chmodSync(join(root, 'tmp'), 0o500);
    try {
      const pingError = await store.ping().catch((e: unknown) => e);
      expect(isAirlockError(pingError, 'DATA_DIR_UNWRITABLE')).toBe(true);
      expect((pingError as Error).message).toContain(root);
      const putError = await store.put(Buffer.from('x')).catch((e: unknown) => e);
      expect(isAirlockError(putError, 'DATA_DIR_UNWRITABLE')).toBe(true);
      const openError = await FsBlobStore.open({ root }).catch((e: unknown) => e);
      expect(isAirlockError(openError, 'DATA_DIR_UNWRITABLE')).toBe(true);
    } finally {
      chmodSync(join(root, 'tmp'), 0o755);
    }
  });
});
