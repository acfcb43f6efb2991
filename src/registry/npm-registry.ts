import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { PackageVersionRef } from '../core/package-ref.js';
import { AirlockError } from '../errors.js';
import type { Gate } from '../gate/gate.js';
import type { GateVersion } from '../gate/gate-store.js';
import { integrityMismatch } from '../store/integrity.js';
import type { BlobStore } from '../store/ports.js';
import type { DocumentKind, PackumentDocuments, ServedDocument } from './packument-documents.js';
import type { LoadedPackument, PackumentService } from './packument-service.js';
import type { VersionEntry } from './packument.js';
import { likelyVersions } from './packument.js';
import type { NpmUpstream } from './upstream-client.js';

export interface NpmRegistryOptions {
  readonly gate: Gate;
  readonly packuments: PackumentService;
  readonly documents: PackumentDocuments;
  readonly blobs: BlobStore;
  readonly upstream: NpmUpstream;
  readonly logger: Logger;
  readonly waitForDecisionMs: number;
  /** Where a person reviews a blocked version (the dashboard), given its name and version. */
  readonly reviewUrl: (base: string, ref: PackageVersionRef) => string;
}

export type TarballAnswer =
  | { readonly kind: 'served'; readonly stream: Readable }
  | { readonly kind: 'blocked'; readonly message: string; readonly reason: string }
  | { readonly kind: 'pending'; readonly message: string; readonly retryAfterSeconds: number };

/** The npm side of barrier 1 and 3: metadata shows only what may be installed, tarballs only approved. */
export class NpmRegistry {
  readonly #o: NpmRegistryOptions;

  constructor(options: NpmRegistryOptions) {
    this.#o = options;
  }

  async loadOrNotFound(name: string, options: { prefetch?: boolean } = {}): Promise<LoadedPackument> {
    const loaded = await this.#o.packuments.load(name, options);
    if (!loaded) {
      const why = this.#o.packuments.isPrivateScope(name)
        ? 'it is in a private scope and has not been published to Airlock'
        : 'neither Airlock nor the upstream registry has it';
      throw new AirlockError('NOT_FOUND', `package ${name} not found: ${why}`);
    }
    return loaded;
  }

  async document(name: string, base: string, kind: DocumentKind): Promise<ServedDocument> {
    const loaded = await this.loadOrNotFound(name);
    return this.#o.documents.get(loaded, `${base}/npm/${name}/-/`, kind);
  }

  /** Starts validation of the versions a resolver will probably pick, so most installs never wait. */
  async prefetch(loaded: LoadedPackument['packument']): Promise<void> {
    for (const version of likelyVersions(loaded)) {
      const entry = loaded.versions.get(version);
      if (!entry) continue;
      await this.#o.gate.request(
        { ecosystem: 'npm', name: loaded.name, version },
        { integrity: entry.integrity, publishedAt: entry.publishedAt },
      );
    }
  }

  /** A tarball request: approved versions stream, unknown ones are validated first (bounded wait). */
  async tarball(name: string, version: string, base: string): Promise<TarballAnswer> {
    const ref: PackageVersionRef = { ecosystem: 'npm', name, version };
    // The install path: an approved version Airlock holds is served from its own store, with no
    // packument load (which may revalidate upstream) in the way.
    const known = await this.#o.gate.store.version(ref);
    if (
      known?.state === 'approved' &&
      known.blobIntegrity &&
      (await this.#o.blobs.has(known.blobIntegrity))
    ) {
      return { kind: 'served', stream: await this.#o.blobs.stream(known.blobIntegrity) };
    }
    const loaded = await this.loadOrNotFound(name);
    const entry = loaded.packument.versions.get(version);
    let current = await this.#o.gate.store.version(ref);
    if (!entry && !current) throw new AirlockError('NOT_FOUND', `${name}@${version} does not exist`);
    if (!current || current.state === 'pending' || current.state === 'scanning') {
      if (entry)
        await this.#o.gate.request(ref, { integrity: entry.integrity, publishedAt: entry.publishedAt });
      current = await this.#o.gate.awaitDecision(ref, this.#o.waitForDecisionMs);
    }
    const monitor = this.#o.gate.policy.mode === 'monitor';
    if (current?.state === 'approved' || (monitor && entry)) {
      return { kind: 'served', stream: await this.#stream(ref, current, entry) };
    }
    if (!current || current.state === 'pending' || current.state === 'scanning') {
      return {
        kind: 'pending',
        retryAfterSeconds: 10,
        message: `${name}@${version} is still being scanned by Airlock; retry in a few seconds`,
      };
    }
    const reason = current.decision?.reasons.map((r) => r.message).join('; ') ?? current.state;
    return {
      kind: 'blocked',
      reason,
      message: `${name}@${version} is blocked by Airlock: ${reason}. Review: ${this.#o.reviewUrl(base, ref)}`,
    };
  }

  async #stream(
    ref: PackageVersionRef,
    current: GateVersion | undefined,
    entry: VersionEntry | undefined,
  ): Promise<Readable> {
    if (current?.blobIntegrity && (await this.#o.blobs.has(current.blobIntegrity))) {
      return this.#o.blobs.stream(current.blobIntegrity);
    }
    // Approved by hand before it was fetched, or the blob store was replaced: fetch, check, keep.
    if (!entry)
      throw new AirlockError('BLOB_NOT_FOUND', `the tarball of ${ref.name}@${ref.version} is missing`);
    const bytes = await this.#o.upstream.tarball(entry.tarballUrl);
    const mismatch = integrityMismatch(bytes, entry.integrity);
    if (mismatch) throw new AirlockError('INTEGRITY_MISMATCH', `${ref.name}@${ref.version}: ${mismatch}`);
    const blob = await this.#o.blobs.put(bytes);
    if (current) await this.#o.gate.store.setBlob(ref, blob.integrity);
    return this.#o.blobs.stream(blob.integrity);
  }
}
