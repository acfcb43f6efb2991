import { readFile, stat } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { AirlockError, describeError } from '../../errors.js';
import {
  defaultReadLimits,
  formatOf,
  isSafeEntryName,
  type RawEntry,
  type ReadLimits,
} from './raw-record.js';

/**
 * Reads the JSON and YAML documents of an OSV archive (`all.zip`) into memory, never onto disk. Entries with
 * unsafe names, declared or actual sizes over the limits, or bomb-like compression ratios are reported and
 * skipped; a damaged archive (truncated download) fails as a whole before any entry is returned.
 */
export async function* readZip(
  path: string,
  limits: ReadLimits = defaultReadLimits,
): AsyncGenerator<RawEntry> {
  const { zip, buffer } = await openZip(path);
  let total = 0;
  let count = 0;
  try {
    for (;;) {
      const entry = await nextEntry(zip);
      if (!entry) return;
      if (++count > limits.maxEntries) {
        yield {
          origin: path,
          problem: `archive has more than ${limits.maxEntries} entries; the rest is skipped`,
        };
        return;
      }
      const raw: unknown = entry.fileName;
      const name = Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw);
      if (name.endsWith('/')) continue;
      const origin = `${path}:${name}`;
      if (!isSafeEntryName(name)) {
        yield { origin, problem: 'unsafe entry name (absolute path or ..)' };
        continue;
      }
      const format = formatOf(name);
      if (!format) continue;
      if (entry.uncompressedSize > limits.maxEntryBytes) {
        yield {
          origin,
          problem: `entry is ${entry.uncompressedSize} bytes, over the ${limits.maxEntryBytes}-byte limit`,
        };
        continue;
      }
      if (
        entry.uncompressedSize > 1024 * 1024 &&
        entry.uncompressedSize > entry.compressedSize * limits.maxCompressionRatio
      ) {
        yield { origin, problem: 'compression ratio suggests a zip bomb' };
        continue;
      }
      total += entry.uncompressedSize;
      if (total > limits.maxTotalBytes) {
        yield { origin, problem: `archive expands past ${limits.maxTotalBytes} bytes; the rest is skipped` };
        return;
      }
      try {
        const bytes = buffer
          ? inflateEntry(entry, rawFromBuffer(buffer, entry), limits.maxEntryBytes)
          : await readEntry(zip, entry, limits.maxEntryBytes);
        const text = bytes.toString('utf8');
        yield { origin, format, text };
      } catch (cause) {
        yield { origin, problem: `unreadable entry: ${describeError(cause)}` };
      }
    }
  } finally {
    zip.close();
  }
}

/** Archives up to this size are read into memory first: per-entry file reads made imports 15× slower. */
const inMemoryLimit = 512 * 1024 * 1024;

async function openZip(path: string): Promise<{ zip: ZipFile; buffer: Buffer | undefined }> {
  const size = (await stat(path)).size;
  const buffer = size <= inMemoryLimit ? await readFile(path) : undefined;
  return new Promise((resolve, reject) => {
    // decodeStrings: false leaves names as bytes so a bad name skips one entry instead of failing the archive.
    const options = { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true };
    const done = (err: Error | null, zip?: ZipFile) => {
      if (err || !zip)
        reject(
          new AirlockError(
            'ADVISORY_INVALID',
            `${path} is not a readable zip archive (truncated or damaged?): ${describeError(err)}`,
            { cause: err },
          ),
        );
      else resolve({ zip, buffer });
    };
    if (buffer) yauzl.fromBuffer(buffer, options, done);
    else yauzl.open(path, options, done);
  });
}

function nextEntry(zip: ZipFile): Promise<Entry | undefined> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
    };
    const onEntry = (entry: Entry) => {
      cleanup();
      resolve(entry);
    };
    const onEnd = () => {
      cleanup();
      resolve(undefined);
    };
    const onError = (err: Error) => {
      cleanup();
      reject(new AirlockError('ADVISORY_INVALID', `zip archive is damaged: ${err.message}`, { cause: err }));
    };
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

/** The entry's stored bytes, sliced out of an in-memory archive (no stream per entry). */
function rawFromBuffer(buffer: Buffer, entry: Entry): Buffer {
  const at = entry.relativeOffsetOfLocalHeader;
  if (at + 30 > buffer.length || buffer.readUInt32LE(at) !== 0x04034b50)
    throw new Error('bad local file header');
  const start = at + 30 + buffer.readUInt16LE(at + 26) + buffer.readUInt16LE(at + 28);
  if (start + entry.compressedSize > buffer.length)
    throw new Error('entry data runs past the end of the archive');
  return buffer.subarray(start, start + entry.compressedSize);
}

/** Inflates (or takes as stored) one entry, capped at `maxBytes` and checked against its declared size. */
function inflateEntry(entry: Entry, raw: Buffer, maxBytes: number): Buffer {
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8)
    throw new Error(`unsupported compression method ${entry.compressionMethod}`);
  if (entry.isEncrypted()) throw new Error('entry is encrypted');
  const data = entry.compressionMethod === 8 ? inflateRawSync(raw, { maxOutputLength: maxBytes }) : raw;
  if (data.length !== entry.uncompressedSize)
    throw new Error(`entry inflates to ${data.length} bytes, not the ${entry.uncompressedSize} it declares`);
  return data;
}

/** Reads the entry's raw bytes from the file and inflates them in one call (archives too big for memory). */
function readEntry(zip: ZipFile, entry: Entry, maxBytes: number): Promise<Buffer> {
  if (entry.compressedSize > maxBytes) return Promise.reject(new Error(`entry is over ${maxBytes} bytes`));
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, { decodeFileData: false }, (err, stream) => {
      if (err || !stream) {
        reject(err ?? new Error('no stream'));
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', reject);
      stream.on('end', () => {
        try {
          resolve(inflateEntry(entry, Buffer.concat(chunks), maxBytes));
        } catch (cause) {
          reject(cause instanceof Error ? cause : new Error(String(cause)));
        }
      });
    });
  });
}
