/** Bounds on what one tarball may make us hold in memory; a hostile archive hits these, not the process. */
export interface TarballLimits {
  /** Largest gzip input accepted. */
  readonly maxCompressedBytes: number;
  /** Cap on decompressed bytes (the tar stream); a decompression bomb stops here. */
  readonly maxUnpackedBytes: number;
  readonly maxEntries: number;
  /** Files larger than this are listed but their bytes are not kept. */
  readonly maxFileBytes: number;
  /** Directory nesting beyond this is reported and the entry skipped. */
  readonly maxDepth: number;
  readonly maxPathLength: number;
}

export const defaultTarballLimits: TarballLimits = {
  maxCompressedBytes: 200 * 1024 * 1024,
  maxUnpackedBytes: 256 * 1024 * 1024,
  maxEntries: 20_000,
  maxFileBytes: 64 * 1024 * 1024,
  maxDepth: 32,
  maxPathLength: 1024,
};
