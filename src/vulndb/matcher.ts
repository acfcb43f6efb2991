import type { Finding } from '../core/finding.js';
import { refKey, type Ecosystem, type PackageVersionRef } from '../core/package-ref.js';
import type { VulnerabilityMatcher } from '../core/vulnerability-matcher.js';
import { normalizePackageName } from './advisory.js';
import { AdvisoryIndex, type AdvisoryMatch } from './advisory-index.js';
import type { AdvisoryStore } from './advisory-store.js';
import { mergeMatches } from './finding-merge.js';

/**
 * The VulnerabilityMatcher over Airlock's advisory database. The index is loaded from the database on first use
 * and rebuilt by `refresh()` after an import or sync; matching never queries the database per component.
 */
export class OsvVulnerabilityMatcher implements VulnerabilityMatcher {
  private index: Promise<AdvisoryIndex> | undefined;
  private loadedRevision: string | undefined;

  constructor(private readonly store: AdvisoryStore) {}

  async matchMany(refs: readonly PackageVersionRef[]): Promise<ReadonlyMap<string, readonly Finding[]>> {
    return matchWith(await this.current(), refs);
  }

  /** The advisories (not yet merged into findings) that affect one version; npm audit needs their ranges. */
  async matchAdvisories(ecosystem: Ecosystem, name: string, version: string): Promise<AdvisoryMatch[]> {
    const index = await this.current();
    return index.match(ecosystem, normalizePackageName(ecosystem, name), version);
  }

  /** Rebuilds the index from the database; matching keeps using the old one until the new one is ready. */
  async refresh(): Promise<number> {
    const revision = await this.store.revision();
    const next = loadIndex(this.store);
    const index = await next;
    this.index = next;
    this.loadedRevision = revision;
    return index.size;
  }

  /**
   * Rebuilds the index only when the database changed since it was loaded (another node synced); cheap enough
   * to call every minute. Resolves to whether it rebuilt.
   */
  async refreshIfChanged(): Promise<boolean> {
    if (this.loadedRevision !== undefined && (await this.store.revision()) === this.loadedRevision)
      return false;
    await this.refresh();
    return true;
  }

  private current(): Promise<AdvisoryIndex> {
    if (!this.index) {
      this.index = (async () => {
        // The revision is read before the rows, so an import racing the load shows up as a change later.
        const revision = await this.store.revision();
        const index = await loadIndex(this.store);
        this.loadedRevision ??= revision;
        return index;
      })();
      // A failed load must not stick: the next call tries again.
      this.index.catch(() => (this.index = undefined));
    }
    return this.index;
  }
}

async function loadIndex(store: AdvisoryStore): Promise<AdvisoryIndex> {
  const index = new AdvisoryIndex();
  for await (const page of store.active()) for (const advisory of page) index.add(advisory);
  return index;
}

function matchWith(
  index: AdvisoryIndex,
  refs: readonly PackageVersionRef[],
): Map<string, readonly Finding[]> {
  const result = new Map<string, readonly Finding[]>();
  for (const ref of refs) {
    const name = normalizePackageName(ref.ecosystem, ref.name);
    const matches = index.match(ref.ecosystem, name, ref.version);
    if (matches.length > 0)
      result.set(refKey(ref), mergeMatches(ref.ecosystem, ref.name, ref.version, matches));
  }
  return result;
}

/**
 * Matching for one-shot processes (`airlock check` in CI): reads only the advisories of the packages asked
 * about, so a cold process does not pay for loading the whole index (seconds at 200k advisories).
 */
export class PackageScopedVulnerabilityMatcher implements VulnerabilityMatcher {
  constructor(private readonly store: AdvisoryStore) {}

  async matchMany(refs: readonly PackageVersionRef[]): Promise<ReadonlyMap<string, readonly Finding[]>> {
    const index = new AdvisoryIndex();
    const names = new Map<Ecosystem, string[]>();
    for (const ref of refs) {
      const list = names.get(ref.ecosystem) ?? [];
      list.push(normalizePackageName(ref.ecosystem, ref.name));
      names.set(ref.ecosystem, list);
    }
    // An advisory naming packages of two ecosystems comes back once per ecosystem: index it once.
    const seen = new Set<string>();
    for (const [ecosystem, list] of names)
      for (const advisory of await this.store.forPackages(ecosystem, list)) {
        if (seen.has(advisory.id)) continue;
        seen.add(advisory.id);
        index.add(advisory);
      }
    return matchWith(index, refs);
  }
}
