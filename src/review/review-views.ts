import type { PackageVersionRef } from '../core/package-ref.js';
import { AirlockError, describeError } from '../errors.js';
import type { GateStore, GateVersion } from '../gate/gate-store.js';
import { tarballPackageJson, type TarballContents } from '../scan/tarball/index.js';
import { evidenceExcerpt, type EvidenceExcerpt } from './evidence-excerpt.js';
import { Lru } from './lru.js';
import { previousApproved } from './previous-approved.js';
import type { StoredTarballs } from './stored-tarballs.js';
import { diffVersions, type VersionDiff } from './version-diff.js';

export interface ReviewViewsOptions {
  readonly versions: Pick<GateStore, 'version' | 'versions'>;
  readonly tarballs: Pick<StoredTarballs, 'contents'>;
}

/** What a reviewer sees beyond the stored decision: the diff to the last approved version, code excerpts. */
export class ReviewViews {
  readonly #o: ReviewViewsOptions;
  // Keyed by the two blobs' integrities: content-addressed, so a cached diff never goes stale.
  readonly #diffs = new Lru<string, VersionDiff>(64);

  constructor(options: ReviewViewsOptions) {
    this.#o = options;
  }

  /** The structured diff of `ref` against the previous approved version of the package. */
  async diff(ref: PackageVersionRef): Promise<VersionDiff> {
    const current = await this.#known(ref);
    const signals = current.findings.filter((f) => f.analyzer === 'diff');
    const empty = (problem: string) =>
      diffVersions({
        version: ref.version,
        manifest: {},
        contents: { files: new Map(), problems: [], entryCount: 0, unpackedBytes: 0 },
        signals,
        problems: [problem],
      });
    if (!current.blobIntegrity) return empty(`${ref.version} has not been fetched into quarantine yet`);
    const previous = previousApproved(current, await this.#o.versions.versions(ref.ecosystem, ref.name));
    const key = `${current.blobIntegrity}|${previous?.blobIntegrity ?? ''}|${signals.length}`;
    const cached = this.#diffs.get(key);
    if (cached) return cached;

    const mine = await this.#read(current);
    if ('problem' in mine) return empty(mine.problem);
    const problems: string[] = [];
    let theirs: { version: string; manifest: Record<string, unknown>; contents: TarballContents } | undefined;
    if (!previous) problems.push(`no earlier version of ${ref.name} is approved: everything is new`);
    else if (!previous.blobIntegrity) problems.push(`the tarball of ${previous.ref.version} is not stored`);
    else {
      const read = await this.#read(previous);
      if ('problem' in read) problems.push(read.problem);
      else theirs = { version: previous.ref.version, ...read };
    }
    const diff = diffVersions({
      version: ref.version,
      manifest: mine.manifest,
      contents: mine.contents,
      ...(theirs ? { previous: theirs } : {}),
      signals,
      problems,
    });
    this.#diffs.set(key, diff);
    return diff;
  }

  /** Lines around `line` of `file` in the version's stored tarball. */
  async excerpt(
    ref: PackageVersionRef,
    file: string,
    line: number,
    context: number,
  ): Promise<EvidenceExcerpt> {
    const current = await this.#known(ref);
    if (!current.blobIntegrity) {
      return { file, line, lines: [], problem: `${ref.version} has not been fetched into quarantine yet` };
    }
    const contents = await this.#o.tarballs.contents(current.blobIntegrity);
    return evidenceExcerpt(contents, file, line, context);
  }

  async #known(ref: PackageVersionRef): Promise<GateVersion> {
    const current = await this.#o.versions.version(ref);
    if (!current) throw new AirlockError('NOT_FOUND', `${ref.name}@${ref.version} is not known to Airlock`);
    return current;
  }

  async #read(
    v: GateVersion,
  ): Promise<{ manifest: Record<string, unknown>; contents: TarballContents } | { problem: string }> {
    try {
      const contents = await this.#o.tarballs.contents(v.blobIntegrity ?? '');
      return { manifest: tarballPackageJson(contents), contents };
    } catch (error) {
      return { problem: `cannot read the tarball of ${v.ref.version}: ${describeError(error)}` };
    }
  }
}
