import type { Ecosystem } from '../core/package-ref.js';
import type { Advisory, AffectedPackage } from './advisory.js';
import { compileAffected, fixesAbove, isAffected, type CompiledAffected } from './affected-match.js';
import { versionOrder } from './versions/ecosystem-order.js';

/** One advisory that matched one version, with the fixes above that version. */
export interface AdvisoryMatch {
  readonly advisory: Advisory;
  readonly fixedIn: readonly string[];
}

interface Entry {
  readonly advisory: Advisory;
  readonly affected: AffectedPackage;
  /** Compiled on the first lookup of the package: most packages of a 200k-record database are never asked for. */
  compiled?: CompiledAffected;
}

/**
 * The in-memory index matching runs on: affected entries per `ecosystem:name`, each compiled (versions parsed and
 * sorted) once on first use; a lookup is a map hit and a few comparisons, so thousands of components match in
 * milliseconds.
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
      list.push({ advisory, affected });
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
      const compiled = (entry.compiled ??= compileAffected(entry.affected));
      if (!isAffected(compiled, version, parsed)) continue;
      const previous = matches.get(entry.advisory.id);
      const fixedIn = fixesAbove(compiled, parsed);
      matches.set(entry.advisory.id, {
        advisory: entry.advisory,
        fixedIn: previous ? [...new Set([...previous.fixedIn, ...fixedIn])] : fixedIn,
      });
    }
    return [...matches.values()];
  }
}
