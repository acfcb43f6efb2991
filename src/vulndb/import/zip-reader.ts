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
  const zip = await openZip(path);
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
        const text = (await readEntry(zip, entry, limits.maxEntryBytes)).toString('utf8');
        yield { origin, format, text };
      } catch (cause) {
        yield { origin, problem: `unreadable entry: ${describeError(cause)}` };
      }
    }
  } finally {
    zip.close();
  }
}

function openZip(path: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    // decodeStrings: false leaves names as bytes so a bad name skips one entry instead of failing the archive.
    yauzl.open(
      path,
      { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true },
      (err, zip) => {
        if (err || !zip)
          reject(
            new AirlockError(
              'ADVISORY_INVALID',
              `${path} is not a readable zip archive (truncated or damaged?): ${describeError(err)}`,
              { cause: err },
            ),
          );
        else resolve(zip);
      },
    );
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

function readEntry(zip: ZipFile, entry: Entry, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) {
        reject(err ?? new Error('no stream'));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        // validateEntrySizes catches lies at the end; this stops a lying entry from filling memory first.
        if (size > maxBytes) stream.destroy(new Error(`entry expands past ${maxBytes} bytes`));
        else chunks.push(chunk);
      });
      stream.on('error', reject);
      stream.on('end', () => resolve(Buffer.concat(chunks)));
    });
  });
}
