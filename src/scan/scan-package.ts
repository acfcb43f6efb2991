import type { AnalysisInput } from '../core/analyzer.js';
import type { Finding } from '../core/finding.js';
import { severityRank } from '../core/finding.js';
import { AirlockError } from '../errors.js';
import { asString, type Json } from './manifest-fields.js';
import { readTarball } from './tarball/read-tarball.js';
import { tarballPackageJson } from './tarball/package-json.js';
import type { ScanVerdict } from './verdict.js';
import type { VersionScanner } from './version-scanner.js';

/** What `airlock scan` prints. */
export interface PackageScanResult {
  readonly package: string;
  readonly version: string;
  readonly verdict: ScanVerdict;
  readonly score: number;
  readonly findings: readonly Finding[];
}

export interface ScanPackageInput {
  readonly tarball: Uint8Array;
  /** Registry manifest of the version; the tarball's package.json stands in when absent (local files). */
  readonly manifest?: Json;
  readonly packument?: Json;
  readonly previous?: AnalysisInput['previous'];
}

/** Scans one package end to end (all scan analyzers) and returns findings worst first. */
export async function scanPackage(
  scanner: VersionScanner,
  input: ScanPackageInput,
): Promise<PackageScanResult> {
  let manifest = input.manifest;
  if (!manifest) {
    try {
      manifest = tarballPackageJson(readTarball(input.tarball));
    } catch (cause) {
      if (cause instanceof AirlockError) manifest = {};
      else throw cause;
    }
  }
  const name = asString(manifest.name) ?? '(unnamed)';
  const version = asString(manifest.version) ?? '0.0.0';
  const outcome = await scanner.scan({
    ref: { ecosystem: 'npm', name, version },
    tarball: input.tarball,
    manifest,
    ...(input.packument ? { packument: input.packument } : {}),
    ...(input.previous ? { previous: input.previous } : {}),
  });
  const findings = [
    ...outcome.findings.malware,
    ...outcome.findings['install-scripts'],
    ...outcome.findings.metadata,
    ...outcome.findings.diff,
  ].sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  return { package: name, version, verdict: outcome.verdict, score: outcome.score, findings };
}
