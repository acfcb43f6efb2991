import { gunzipSync } from 'node:zlib';
import type { TarballContents, TarballFile, TarballProblem } from './contents.js';
import { defaultTarballLimits, type TarballLimits } from './limits.js';
import { tarEntries, type RawTarEntry } from './ustar.js';

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

function gunzipBounded(bytes: Uint8Array, limits: TarballLimits, problems: TarballProblem[]): Uint8Array {
  if (bytes[0] !== GZIP_MAGIC_0 || bytes[1] !== GZIP_MAGIC_1) {
    // Some registries and `npm pack` mistakes ship a plain tar; accept it when it looks like one.
    if (bytes.length >= 512 && String.fromCharCode(...bytes.subarray(257, 262)) === 'ustar') return bytes;
    problems.push({ kind: 'not-gzip', detail: 'the tarball is neither gzip nor tar' });
    return new Uint8Array(0);
  }
  try {
    // maxOutputLength makes zlib stop (with a RangeError) instead of inflating a bomb into memory.
    return gunzipSync(bytes, { maxOutputLength: limits.maxUnpackedBytes });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      problems.push({
        kind: 'decompression-limit',
        detail: `decompresses to more than ${limits.maxUnpackedBytes} bytes (decompression bomb?)`,
      });
    } else {
      problems.push({ kind: 'corrupt', detail: `gzip stream is corrupt: ${(error as Error).message}` });
    }
    return new Uint8Array(0);
  }
}

/**
 * Normalises an archive path the way npm does (first component dropped) and rejects what could escape
 * the package: absolute paths, drive letters, `..` segments.
 */
function packagePath(
  entry: RawTarEntry,
  limits: TarballLimits,
  problems: TarballProblem[],
): string | undefined {
  const raw = entry.name;
  if (raw.length > limits.maxPathLength) {
    problems.push({
      kind: 'path-too-long',
      path: raw.slice(0, 200),
      detail: `path of ${raw.length} characters`,
    });
    return undefined;
  }
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw) || raw.startsWith('\\')) {
    problems.push({ kind: 'absolute-path', path: raw, detail: 'absolute path in the archive' });
    return undefined;
  }
  const segments = raw.split(/[\\/]/).filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) {
    problems.push({ kind: 'path-traversal', path: raw, detail: 'path climbs out of the package with ..' });
    return undefined;
  }
  segments.shift();
  if (segments.length === 0) return undefined;
  if (segments.length > limits.maxDepth) {
    problems.push({ kind: 'too-deep', path: raw, detail: `nested ${segments.length} directories deep` });
    return undefined;
  }
  return segments.join('/');
}

/** Reads a package tarball (gzip or plain tar) into memory with every limit applied; never throws on bad input. */
export function readTarball(
  bytes: Uint8Array,
  limits: TarballLimits = defaultTarballLimits,
): TarballContents {
  const problems: TarballProblem[] = [];
  const files = new Map<string, TarballFile>();
  if (bytes.length > limits.maxCompressedBytes) {
    problems.push({ kind: 'compressed-too-large', detail: `tarball is ${bytes.length} bytes` });
    return { files, problems, entryCount: 0, unpackedBytes: 0 };
  }
  const tar = gunzipBounded(bytes, limits, problems);
  let entryCount = 0;
  let unpackedBytes = 0;
  for (const entry of tarEntries(tar, problems)) {
    entryCount++;
    if (entryCount > limits.maxEntries) {
      problems.push({
        kind: 'too-many-entries',
        detail: `more than ${limits.maxEntries} entries; the rest is unread`,
      });
      break;
    }
    const path = packagePath(entry, limits, problems);
    if (path === undefined) continue;
    if (entry.type === '2' || entry.type === '1') {
      problems.push({
        kind: entry.type === '2' ? 'symlink' : 'hardlink',
        path,
        detail: `${entry.type === '2' ? 'symlink' : 'hardlink'} to ${entry.linkName}`,
      });
      continue;
    }
    if (entry.type === '5') continue;
    if (entry.type !== '0' && entry.type !== '7') {
      problems.push({ kind: 'special-file', path, detail: `entry of tar type "${entry.type}"` });
      continue;
    }
    if (files.has(path))
      problems.push({ kind: 'duplicate-path', path, detail: 'the archive holds this path twice' });
    unpackedBytes += entry.size;
    if (entry.size > limits.maxFileBytes) {
      problems.push({ kind: 'file-too-large', path, detail: `${entry.size} bytes; content not analysed` });
      files.set(path, { path, size: entry.size, mode: entry.mode });
      continue;
    }
    const data = tar.subarray(entry.dataOffset, entry.dataOffset + entry.size);
    files.set(path, { path, size: entry.size, mode: entry.mode, bytes: data });
  }
  return { files, problems, entryCount, unpackedBytes };
}
