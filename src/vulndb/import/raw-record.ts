/** One document an import source read, or why an entry of the source was not read. */
export type RawEntry =
  | { readonly origin: string; readonly format: 'json' | 'yaml'; readonly text: string }
  | { readonly origin: string; readonly problem: string };

/** Limits every reader applies; advisory files are small, so anything big is hostile or broken. */
export interface ReadLimits {
  /** Largest single document, uncompressed. */
  readonly maxEntryBytes: number;
  /** Largest sum of uncompressed bytes read from one source (zip bombs stop here). */
  readonly maxTotalBytes: number;
  readonly maxEntries: number;
  /** Largest uncompressed/compressed ratio of a zip entry over 1 MiB. */
  readonly maxCompressionRatio: number;
}

export const defaultReadLimits: ReadLimits = {
  maxEntryBytes: 8 * 1024 * 1024,
  maxTotalBytes: 8 * 1024 * 1024 * 1024,
  maxEntries: 2_000_000,
  maxCompressionRatio: 200,
};

/** `advisories/GHSA-x.json` is fine; absolute paths, drive letters, backslashes and `..` segments are not. */
export function isSafeEntryName(name: string): boolean {
  if (name.length === 0 || name.length > 1024) return false;
  if (name.startsWith('/') || name.includes('\\') || /^[A-Za-z]:/.test(name) || name.includes('\0'))
    return false;
  return !name.split('/').some((segment) => segment === '..');
}

/** The document format of a file name, or undefined for files imports skip. */
export function formatOf(name: string): 'json' | 'yaml' | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  return undefined;
}
