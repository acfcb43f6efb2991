import type { Severity } from '../core/finding.js';
import type { Ecosystem } from '../core/package-ref.js';

/** One range event in OSV's vocabulary; `introduced: "0"` means "since the first version". */
export type RangeEvent =
  | { readonly introduced: string }
  | { readonly fixed: string }
  | { readonly lastAffected: string }
  | { readonly limit: string };

/** A version range as stored: only SEMVER and ECOSYSTEM ranges survive (GIT ranges say nothing of versions). */
export interface AffectedRange {
  readonly type: 'SEMVER' | 'ECOSYSTEM';
  readonly events: readonly RangeEvent[];
}

/** Where an advisory's severity came from: a CVSS vector's base score or the database's own label. */
export type SeveritySource = 'cvss_v3' | 'cvss_v4' | 'database_specific' | 'default';

/** Which versions of one package an advisory affects. */
export interface AffectedPackage {
  readonly ecosystem: Ecosystem;
  /** npm names as published; PyPI names PEP 503-normalised. */
  readonly name: string;
  readonly versions: readonly string[];
  readonly ranges: readonly AffectedRange[];
  /** GHSA's bound for open-ended ranges (`<= 1.2.3`, `< 1.3.0`), applied to the ranges when they have no end. */
  readonly lastKnownAffected?: string;
}

/** An OSV record normalised to what Airlock matches and shows. */
export interface Advisory {
  readonly id: string;
  readonly aliases: readonly string[];
  readonly summary: string;
  readonly modified: string;
  readonly published?: string;
  readonly withdrawn?: string;
  /** OSV `MAL-` records: a malicious package, not a vulnerability. */
  readonly malware: boolean;
  readonly severity: Severity;
  readonly severitySource: SeveritySource;
  readonly cvssScore?: number;
  readonly cvssVector?: string;
  readonly cwes: readonly string[];
  readonly url: string;
  readonly affected: readonly AffectedPackage[];
}

/** `PyPI` → `pypi`, `npm` → `npm`; other OSV ecosystems are not ours. */
export function ecosystemOf(osvEcosystem: string): Ecosystem | undefined {
  if (osvEcosystem === 'npm') return 'npm';
  if (osvEcosystem === 'PyPI') return 'pypi';
  return undefined;
}

/** PEP 503 name normalisation for PyPI; npm names are kept as they are. */
export function normalizePackageName(ecosystem: Ecosystem, name: string): string {
  return ecosystem === 'pypi' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name;
}
