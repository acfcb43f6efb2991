import type { Ecosystem } from '../core/package-ref.js';
import type { Advisory } from './advisory.js';
import { compileAffected, fixesAbove, isAffected, type CompiledAffected } from './affected-match.js';
import { versionOrder } from './versions/ecosystem-order.js';

/** One advisory that matched one version, with the fixes above that version. */
export interface AdvisoryMatch {
  readonly advisory: Advisory;
  readonly fixedIn: readonly string[];
}

interface Entry {
  readonly advisory: Advisory;
  readonly affected: CompiledAffected;
}

/**
 * The in-memory index matching runs on: compiled affected entries per `ecosystem:name`. Building it parses every
 * range once; a lookup is a map hit and a few comparisons, so thousands of components match in milliseconds.
 */
export class AdvisoryIndex {
  private readonly entries = new Map<string, Entry[]>();
  private count = 0;

  /** Adds an advisory; withdrawn ones are left out, so they never match. */
  add(advisory: Advisory): void {
    if (advisory.withdrawn !== undefined) return;
    this.count++;
    for (const affected of advisory.affected) {
      const key = `${affected.ecosystem}:${affected.name}`;
      let list = this.entries.get(key);
      if (!list) this.entries.set(key, (list = []));
      list.push({ advisory, affected: compileAffected(affected) });
    }
  }

  get size(): number {
    return this.count;
  }

  /** Advisories affecting `name@version` (name already normalised), one match per advisory id. */
  match(ecosystem: Ecosystem, name: string, version: string): AdvisoryMatch[] {
    const list = this.entries.get(`${ecosystem}:${name}`);
    if (!list) return [];
    const parsed = versionOrder(ecosystem).parse(version);
    const matches = new Map<string, AdvisoryMatch>();
    for (const entry of list) {
      if (!isAffected(entry.affected, version, parsed)) continue;
      const previous = matches.get(entry.advisory.id);
      const fixedIn = fixesAbove(entry.affected, parsed);
      matches.set(entry.advisory.id, {
        advisory: entry.advisory,
        fixedIn: previous ? [...new Set([...previous.fixedIn, ...fixedIn])] : fixedIn,
      });
    }
    return [...matches.values()];
  }
}
