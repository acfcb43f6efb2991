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

  constructor(private readonly store: AdvisoryStore) {}

  async matchMany(refs: readonly PackageVersionRef[]): Promise<ReadonlyMap<string, readonly Finding[]>> {
    const index = await this.current();
    const result = new Map<string, readonly Finding[]>();
    for (const ref of refs) {
      const name = normalizePackageName(ref.ecosystem, ref.name);
      const matches = index.match(ref.ecosystem, name, ref.version);
      if (matches.length > 0)
        result.set(refKey(ref), mergeMatches(ref.ecosystem, ref.name, ref.version, matches));
    }
    return result;
  }

  /** The advisories (not yet merged into findings) that affect one version; npm audit needs their ranges. */
  async matchAdvisories(ecosystem: Ecosystem, name: string, version: string): Promise<AdvisoryMatch[]> {
    const index = await this.current();
    return index.match(ecosystem, normalizePackageName(ecosystem, name), version);
  }

  /** Rebuilds the index from the database; matching keeps using the old one until the new one is ready. */
  async refresh(): Promise<number> {
    const next = loadIndex(this.store);
    const index = await next;
    this.index = next;
    return index.size;
  }

  private current(): Promise<AdvisoryIndex> {
    if (!this.index) {
      this.index = loadIndex(this.store);
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
