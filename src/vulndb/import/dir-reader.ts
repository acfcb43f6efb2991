import { lstat, opendir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { defaultReadLimits, formatOf, type RawEntry, type ReadLimits } from './raw-record.js';

/**
 * Reads every JSON/YAML file under a directory (the GitHub advisory database's `advisories/…/GHSA-x.json`
 * tree, the PyPA database's `vulns/<pkg>/PYSEC-x.yaml`). Symlinks are not followed, hidden folders are skipped.
 */
export async function* readDirectory(
  root: string,
  limits: ReadLimits = defaultReadLimits,
): AsyncGenerator<RawEntry> {
  let count = 0;
  const pending = [root];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    const names: { name: string; isDir: boolean; isFile: boolean }[] = [];
    for await (const d of await opendir(dir))
      names.push({ name: d.name, isDir: d.isDirectory(), isFile: d.isFile() });
    names.sort((a, b) => (a.name < b.name ? 1 : -1));
    for (const entry of names) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDir) {
        pending.push(path);
        continue;
      }
      const format = entry.isFile ? formatOf(entry.name) : undefined;
      if (!format) continue;
      const origin = relative(root, path) || path;
      if (++count > limits.maxEntries) {
        yield { origin, problem: `more than ${limits.maxEntries} files; the rest is skipped` };
        return;
      }
      const stat = await lstat(path);
      if (stat.size > limits.maxEntryBytes) {
        yield { origin, problem: `file is ${stat.size} bytes, over the ${limits.maxEntryBytes}-byte limit` };
        continue;
      }
      yield { origin, format, text: await readFile(path, 'utf8') };
    }
  }
}

/** A single advisory file. */
export async function* readSingleFile(
  path: string,
  limits: ReadLimits = defaultReadLimits,
): AsyncGenerator<RawEntry> {
  const format = formatOf(path);
  if (!format) {
    yield { origin: path, problem: 'not a .json, .yaml or .yml file' };
    return;
  }
  const stat = await lstat(path);
  if (stat.size > limits.maxEntryBytes) {
    yield {
      origin: path,
      problem: `file is ${stat.size} bytes, over the ${limits.maxEntryBytes}-byte limit`,
    };
    return;
  }
  yield { origin: path, format, text: await readFile(path, 'utf8') };
}
