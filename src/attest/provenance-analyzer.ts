import { systemClock, type Clock } from '../core/clock.js';
import type { Analyzer, AnalysisInput, AnalyzerResult } from '../core/analyzer.js';
import type { VersionFacts } from '../core/facts.js';
import type { Finding, Severity } from '../core/finding.js';
import type { PackageVersionRef } from '../core/package-ref.js';
import { describeError } from '../errors.js';
import type { AttestationsVerifier, ProvenanceVerdict } from './attestations-verifier.js';
import {
  earlierProvenance,
  hasUpstreamProvenance,
  normalizeRepoUrl,
  type EarlierVersionFacts,
} from './provenance-history.js';
import type { RegistryKeyring } from './registry-keyring.js';
import type { RegistryKeySet } from './registry-keys.js';
import { verifyRegistrySignatures, type RegistrySignatureResult } from './registry-signature.js';

/** Stored facts of earlier versions, so provenance can be compared across versions. */
export interface ProvenanceHistory {
  earlierFacts(ref: PackageVersionRef, signal: AbortSignal): Promise<readonly EarlierVersionFacts[]>;
}

export interface ProvenanceAnalyzerDeps {
  readonly verifier: AttestationsVerifier;
  /** Registry signing keys (upstream `/-/npm/v1/keys`, or the configured static set). */
  readonly keyring: RegistryKeyring;
  /** npm publish-attestation keys shipped with the trust root; upstream keys are added to them. */
  readonly attestationKeys?: RegistryKeySet;
  readonly history?: ProvenanceHistory;
  readonly clock?: Clock;
}

const analyzer = 'provenance';

const signatureFindings: Record<RegistrySignatureResult['status'], { rule: string; severity: Severity }> = {
  valid: { rule: 'registry-signature', severity: 'info' },
  invalid: { rule: 'registry-signature-invalid', severity: 'critical' },
  missing: { rule: 'registry-signature-missing', severity: 'high' },
  'unknown-key': { rule: 'registry-signature-unknown-key', severity: 'high' },
  'expired-key': { rule: 'registry-signature-key-expired', severity: 'high' },
  'not-signed-upstream': { rule: 'registry-unsigned', severity: 'info' },
};

/** The `provenance` analyzer: registry signatures and Sigstore attestations, compared with earlier versions. */
export function createProvenanceAnalyzer(deps: ProvenanceAnalyzerDeps): Analyzer {
  const clock = deps.clock ?? systemClock;
  return {
    name: analyzer,
    async analyze(input: AnalysisInput, signal: AbortSignal): Promise<AnalyzerResult> {
      const { name, version } = input.ref;
      const findings: Finding[] = [];
      const add = (rule: string, severity: Severity, message: string, evidence?: string) =>
        findings.push({ analyzer, rule, severity, message, ...(evidence === undefined ? {} : { evidence }) });
      const publishedAt = publishTime(input.packument, version);

      const lookup = await deps.keyring.keys(signal);
      const signature = verifyRegistrySignatures(
        { name, version, dist: input.manifest.dist, publishedAt: publishedAt ?? clock.now() },
        lookup.keys,
      );
      const sf = signatureFindings[signature.status];
      add(sf.rule, sf.severity, signature.message, lookup.problem);

      const verdict = verifyAttestations(deps, input, lookup.keys);
      const claimed = hasUpstreamProvenance(input.manifest);
      if (verdict?.valid && verdict.provenance) {
        const p = verdict.provenance;
        add(
          'provenance-verified',
          'info',
          `built from ${p.sourceRepo}@${p.commit ?? p.ref} by ${p.workflowPath} on ${p.builderId}`,
          verdict.attestations
            .map((a) => `${a.kind}: log index ${a.transparencyLog?.logIndex ?? '?'}`)
            .join('; '),
        );
      } else if (verdict) {
        add('provenance-invalid', 'critical', `attestations do not verify: ${verdict.reason ?? 'invalid'}`);
      } else if (claimed) {
        add(
          'provenance-unavailable',
          'high',
          'upstream lists attestations for this version but none were supplied',
        );
      } else {
        add('provenance-absent', 'info', 'this version has no provenance attestations');
      }

      const hasProvenance = verdict?.valid === true;
      let stored: readonly EarlierVersionFacts[] = [];
      try {
        stored = deps.history ? await deps.history.earlierFacts(input.ref, signal) : [];
      } catch (error) {
        add(
          'provenance-history-unavailable',
          'low',
          `earlier versions' facts unavailable: ${describeError(error)}`,
        );
      }
      const earlier = earlierProvenance(input.packument, version, publishedAt, stored);
      const provenanceRegression = !hasProvenance && earlier.lastWithProvenance !== undefined;
      if (provenanceRegression) {
        add(
          'provenance-regression',
          'high',
          `${earlier.lastWithProvenance} was published with provenance or trusted publishing, ${version} is not`,
        );
      }
      const sourceRepo = verdict?.valid ? verdict.provenance?.sourceRepo : undefined;
      let sourceRepoChanged: boolean | undefined;
      if (sourceRepo !== undefined) {
        const before = earlier.lastSourceRepo;
        sourceRepoChanged = before !== undefined && before.repo !== normalizeRepoUrl(sourceRepo);
        if (sourceRepoChanged && before) {
          add(
            'source-repo-changed',
            'high',
            `built from ${sourceRepo}, but ${before.version} came from ${before.repo}`,
          );
        }
      }

      const facts: VersionFacts = {
        hasProvenance,
        unsigned: signature.status === 'missing' || signature.status === 'not-signed-upstream',
        provenanceRegression,
        ...(sourceRepo === undefined ? {} : { sourceRepo }),
        ...(verdict?.valid && verdict.provenance ? { builder: verdict.provenance.builderId } : {}),
        ...(sourceRepoChanged === undefined ? {} : { sourceRepoChanged }),
        extra: extraFacts(signature, verdict),
      };
      return { findings, facts };
    },
  };
}

function verifyAttestations(
  deps: ProvenanceAnalyzerDeps,
  input: AnalysisInput,
  upstreamKeys: RegistryKeySet,
): ProvenanceVerdict | undefined {
  if (input.attestations === undefined) return undefined;
  // The shipped keys carry start and end dates; upstream's only add keys the shipped set does not know.
  const keys = new Map(upstreamKeys);
  for (const [id, key] of deps.attestationKeys ?? []) keys.set(id, key);
  return deps.verifier.verify({
    name: input.ref.name,
    version: input.ref.version,
    tarball: input.tarball,
    document: input.attestations,
    attestationKeys: keys,
  });
}

function extraFacts(
  signature: RegistrySignatureResult,
  verdict: ProvenanceVerdict | undefined,
): Record<string, unknown> {
  const extra: Record<string, unknown> = { 'attest.registrySignature': signature.status };
  if (!verdict) return extra;
  extra['attest.attestations'] = verdict.valid ? 'valid' : 'invalid';
  const p = verdict.valid ? verdict.provenance : undefined;
  if (p) {
    extra['attest.commit'] = p.commit;
    extra['attest.ref'] = p.ref;
    extra['attest.workflow'] = p.workflowPath;
    extra['attest.invocation'] = p.invocationId;
    const slsa = verdict.attestations.find((a) => a.kind === 'slsa-provenance');
    extra['attest.logIndex'] = slsa?.transparencyLog?.logIndex;
    extra['attest.signedAt'] = slsa?.signingTime;
  }
  return extra;
}

function publishTime(
  packument: Readonly<Record<string, unknown>> | undefined,
  version: string,
): Date | undefined {
  const time = packument?.time;
  if (typeof time !== 'object' || time === null) return undefined;
  const value = Object.hasOwn(time, version) ? (time as Record<string, unknown>)[version] : undefined;
  if (typeof value !== 'string') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
