import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { AirlockError } from '../../errors.js';
import { makeTar, type TarEntrySpec } from '../tarball/write-tar.js';

const MAX_TARBALL_BYTES = 200 * 1024 * 1024;
const MAX_DIRECTORY_FILES = 20_000;
const MAX_DIRECTORY_BYTES = 256 * 1024 * 1024;
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);

/** A `.tgz`/`.tar` file from disk, size-checked before it is read. */
export function readTarballFile(path: string): Uint8Array {
  const size = statSync(path).size;
  if (size > MAX_TARBALL_BYTES)
    throw new AirlockError(
      'PAYLOAD_TOO_LARGE',
      `${path} is ${size} bytes; the limit is ${MAX_TARBALL_BYTES}`,
    );
  return readFileSync(path);
}

/**
 * Packs an unpacked package directory into an in-memory tarball so it goes through the same reader as
 * registry tarballs. Symlinks are left out (npm pack does not follow them either); node_modules and .git too.
 */
export function packDirectory(dir: string): Uint8Array {
  const entries: TarEntrySpec[] = [];
  let bytes = 0;
  const walk = (current: string, depth: number): void => {
    if (depth > 32) return;
    for (const name of readdirSync(current).sort()) {
      const full = join(current, name);
      const stat = lstatSync(full);
      if (stat.isSymbolicLink()) continue;
      if (stat.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(name)) walk(full, depth + 1);
        continue;
      }
      if (!stat.isFile()) continue;
      bytes += stat.size;
      if (entries.length >= MAX_DIRECTORY_FILES || bytes > MAX_DIRECTORY_BYTES)
        throw new AirlockError(
          'PAYLOAD_TOO_LARGE',
          `${dir} holds more than ${MAX_DIRECTORY_FILES} files or ${MAX_DIRECTORY_BYTES} bytes`,
        );
      entries.push({
        name: `package/${relative(dir, full).split('\\').join('/')}`,
        content: readFileSync(full),
        mode: stat.mode & 0o777,
      });
    }
  };
  walk(dir, 0);
  return gzipSync(makeTar(entries));
}
