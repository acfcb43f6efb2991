/**
 * What analyzers learned about a version, for the policy to decide on. Every field is optional: an
 * analyzer that did not run leaves its facts out, and the policy treats a missing fact as unknown.
 */
export interface VersionFacts {
  /** Upstream publish time (ISO), from the packument's `time`. */
  publishedAt?: string;
  /** First publish of the package (ISO). */
  packageCreatedAt?: string;
  hasInstallScripts?: boolean;
  /** Install scripts appear in this version but in no earlier version of the package. */
  installScriptsFirstSeen?: boolean;
  /** SPDX expression or raw licence string as declared. */
  license?: string;
  deprecated?: string;
  maintainers?: readonly string[];
  maintainerChanged?: boolean;
  weeklyDownloads?: number;
  hasRepository?: boolean;
  /** The popular package name this one imitates, when the metadata analyzer suspects typosquatting. */
  typosquatOf?: string;
  // Provenance (attest domain)
  hasProvenance?: boolean;
  sourceRepo?: string;
  builder?: string;
  provenanceRegression?: boolean;
  sourceRepoChanged?: boolean;
  unsigned?: boolean;
  // Malware scan (scan domain)
  scanVerdict?: 'clean' | 'suspicious' | 'malicious';
  scanScore?: number;
  scanIncomplete?: boolean;
  /** Other facts domains add; keys are namespaced `domain.fact`. */
  extra?: Readonly<Record<string, unknown>>;
}
