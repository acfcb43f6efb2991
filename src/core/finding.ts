/** Severity order is significant: later entries are worse. */
export const severities = ['info', 'low', 'moderate', 'high', 'critical'] as const;
export type Severity = (typeof severities)[number];

/**
 * Analyzer names findings carry, so policy rules can select them:
 * `integrity` (tarball vs packument), `vulnerability` (known advisories), `malware` (behaviour analysis and
 * known-malicious records), `install-scripts`, `metadata` (typosquat, age, popularity, deprecation,
 * maintainers), `provenance` (registry signatures, Sigstore attestations), `secrets`, `license`, `diff`
 * (changes from the previous version). Rule ids are `<analyzer>/<rule>`-free short names documented in
 * each domain's rule catalogue.
 */
export type AnalyzerName =
  | 'integrity'
  | 'vulnerability'
  | 'malware'
  | 'install-scripts'
  | 'metadata'
  | 'provenance'
  | 'secrets'
  | 'license'
  | 'diff';

/** One shape for findings everywhere: CLI JSON, API, UI and SARIF (see ARCHITECTURE.md). */
export interface Finding {
  readonly analyzer: string;
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly evidence?: string;
  readonly advisory?: AdvisoryRef;
}

export interface AdvisoryRef {
  readonly id: string;
  readonly aliases?: readonly string[];
  readonly url?: string;
  readonly fixedIn?: readonly string[];
  readonly cvssScore?: number;
}

export function severityRank(severity: Severity): number {
  return severities.indexOf(severity);
}

export function isAtLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) >= severityRank(threshold);
}

export function maxSeverity(findings: readonly Pick<Finding, 'severity'>[]): Severity | undefined {
  let worst: Severity | undefined;
  for (const f of findings)
    if (worst === undefined || severityRank(f.severity) > severityRank(worst)) worst = f.severity;
  return worst;
}
