import type { Finding } from './finding.js';
import type { VersionFacts } from './facts.js';
import type { PackageVersionRef } from './package-ref.js';

/** Everything an analyzer may look at for one version; all of it is attacker-controlled. */
export interface AnalysisInput {
  readonly ref: PackageVersionRef;
  /** The version's tarball bytes, integrity already checked against the packument. */
  readonly tarball: Uint8Array;
  /** The packument's entry for this version (`versions[v]`), as upstream sent it. */
  readonly manifest: Readonly<Record<string, unknown>>;
  /** The whole packument (for history: earlier versions, `time`, maintainers), when known. */
  readonly packument?: Readonly<Record<string, unknown>>;
  /** The previous version of the same package by publish time, when known. */
  readonly previous?: {
    readonly version: string;
    readonly manifest: Readonly<Record<string, unknown>>;
    /** Loads the previous tarball lazily (only analyzers that diff contents need it). */
    readonly tarball?: () => Promise<Uint8Array>;
  };
  /** The npm attestations document (`GET /-/npm/v1/attestations/<name>@<version>`), when upstream has one. */
  readonly attestations?: unknown;
}

export interface AnalyzerResult {
  readonly findings: readonly Finding[];
  readonly facts?: VersionFacts;
}

/** One step of barrier 2. The gate runs every analyzer on every new version before the policy decides. */
export interface Analyzer {
  readonly name: string;
  analyze(input: AnalysisInput, signal: AbortSignal): Promise<AnalyzerResult>;
}
