/** One regular file of a package tarball, held in memory under its path without the `package/` prefix. */
export interface TarballFile {
  readonly path: string;
  readonly size: number;
  readonly mode: number;
  /** The content; absent when the file was over `maxFileBytes` (its size is still known). */
  readonly bytes?: Uint8Array;
}

export type TarballProblemKind =
  | 'not-gzip'
  | 'corrupt'
  | 'truncated'
  | 'bad-checksum'
  | 'decompression-limit'
  | 'compressed-too-large'
  | 'too-many-entries'
  | 'file-too-large'
  | 'too-deep'
  | 'path-too-long'
  | 'absolute-path'
  | 'path-traversal'
  | 'symlink'
  | 'hardlink'
  | 'special-file'
  | 'duplicate-path';

/** Something hostile or broken in the archive; the reader skips the entry and reports it. */
export interface TarballProblem {
  readonly kind: TarballProblemKind;
  readonly path?: string;
  readonly detail: string;
}

/** What a tarball holds, read entirely in memory; nothing is ever written to disk. */
export interface TarballContents {
  readonly files: ReadonlyMap<string, TarballFile>;
  readonly problems: readonly TarballProblem[];
  readonly entryCount: number;
  readonly unpackedBytes: number;
}
