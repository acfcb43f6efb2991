import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import type { VersionFacts } from '../core/facts.js';
import type { Finding } from '../core/finding.js';
import type { PackageVersionRef } from '../core/package-ref.js';
import type { Packument, VersionEntry } from '../registry/packument.js';
import { isAirlockError } from '../errors.js';
import { integrityMismatch } from '../store/integrity.js';
import type { BlobStore, ClaimedJob } from '../store/ports.js';
import type { JobHandler } from '../store/job-runner.js';
import type { Gate } from './gate.js';
import type { ScanPipeline } from './pipeline.js';
import { decidedStates } from './tables.js';

export interface ScanJobDeps {
  readonly gate: Gate;
  readonly blobs: BlobStore;
  readonly pipeline: ScanPipeline;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly packument: (name: string) => Promise<Packument | undefined>;
  readonly fetchTarball: (entry: VersionEntry) => Promise<Buffer>;
  /** The stored tarball of a version, when Airlock has one (the previous version, for diffs). */
  readonly storedTarball?: (ref: PackageVersionRef) => Promise<Buffer | undefined>;
  /** The npm attestations document of a version, when upstream has one (undefined otherwise). */
  readonly attestations?: (
    ref: PackageVersionRef,
    manifest: Readonly<Record<string, unknown>>,
    signal: AbortSignal,
  ) => Promise<unknown>;
}

interface ScanPayload extends PackageVersionRef {
  readonly reevaluate?: boolean;
}

/** The `gate.scan` job: fetch into quarantine, check integrity, run every analyzer, let the policy decide. */
export function scanJobHandler(deps: ScanJobDeps): JobHandler {
  return async (job: ClaimedJob, signal: AbortSignal) => {
    const payload = job.payload as ScanPayload;
    const ref: PackageVersionRef = {
      ecosystem: payload.ecosystem,
      name: payload.name,
      version: payload.version,
    };
    const current = await deps.gate.store.version(ref);
    if (!current) return;
    if (decidedStates.includes(current.state) && !payload.reevaluate) return;
    if (payload.reevaluate && current.decision && current.decision.decidedBy !== 'policy') return;
    if (!payload.reevaluate) await deps.gate.store.markScanning(ref);

    const packument = await deps.packument(ref.name);
    const entry = packument?.versions.get(ref.version);
    if (!packument || !entry) {
      await decide(deps, ref, [], {}, current.baseline, {
        analyzer: 'integrity',
        rule: 'version-missing',
        severity: 'high',
        message: `${ref.name}@${ref.version} is not in the upstream packument any more`,
      });
      return;
    }

    let tarball: Buffer;
    if (current.blobIntegrity && (await deps.blobs.has(current.blobIntegrity))) {
      tarball = await deps.blobs.get(current.blobIntegrity);
    } else {
      try {
        tarball = await deps.fetchTarball(entry);
      } catch (error) {
        // A foreign tarball URL or an oversized tarball is the upstream's fault and will not heal by retrying.
        if (!isAirlockError(error, 'UPSTREAM_INVALID')) throw error;
        await decide(deps, ref, [], { publishedAt: entry.publishedAt }, current.baseline, {
          analyzer: 'integrity',
          rule: 'tarball-unfetchable',
          severity: 'critical',
          message: error.message,
        });
        return;
      }
      const mismatch = integrityMismatch(tarball, entry.integrity);
      if (mismatch) {
        // The bytes are not stored: nothing that failed its integrity check may be served later.
        await decide(deps, ref, [], { publishedAt: entry.publishedAt }, current.baseline, {
          analyzer: 'integrity',
          rule: 'integrity-mismatch',
          severity: 'critical',
          message: mismatch,
        });
        return;
      }
      const blob = await deps.blobs.put(tarball);
      await deps.gate.store.setBlob(ref, blob.integrity);
    }
    signal.throwIfAborted();

    const previous = previousVersion(packument, entry);
    let attestations: unknown;
    try {
      attestations = await deps.attestations?.(ref, entry.manifest, signal);
    } catch (error) {
      deps.logger.warn({ err: error, ref }, 'could not fetch attestations');
    }
    const result = await deps.pipeline.run(
      {
        ref,
        tarball,
        manifest: entry.manifest,
        packument: packument.raw,
        ...(previous
          ? {
              previous: {
                version: previous.version,
                manifest: previous.manifest,
                tarball: () => previousTarball(deps, { ...ref, version: previous.version }, previous),
              },
            }
          : {}),
        ...(attestations !== undefined ? { attestations } : {}),
      },
      signal,
    );
    const facts: VersionFacts = {
      ...result.facts,
      ...(entry.publishedAt ? { publishedAt: entry.publishedAt } : {}),
    };
    const findings: Finding[] = [...result.findings];
    if (entry.integrity.startsWith('sha1-')) {
      findings.push({
        analyzer: 'integrity',
        rule: 'weak-integrity',
        severity: 'low',
        message: 'upstream gives only a sha1 shasum for this tarball',
      });
    }
    await decide(deps, ref, findings, facts, current.baseline);
  };
}

async function decide(
  deps: ScanJobDeps,
  ref: PackageVersionRef,
  findings: Finding[],
  facts: VersionFacts,
  baseline: boolean,
  extra?: Finding,
): Promise<void> {
  const all = extra ? [...findings, extra] : findings;
  const now = deps.clock.now();
  // Read again: an import may have marked the version as baseline while it was being scanned.
  baseline = baseline || ((await deps.gate.store.version(ref))?.baseline ?? false);
  const policy = deps.gate.policy;
  const outcome = await policy.decide({ ref, facts, findings: all, baseline, now });
  await deps.gate.record(ref, {
    decision: {
      action: outcome.action,
      reasons: outcome.reasons,
      policyDigest: policy.digest,
      decidedBy: 'policy',
      at: now.toISOString(),
    },
    findings: all,
    facts,
    reevaluateAt: outcome.reevaluateAt,
  });
}

/** The previous version's bytes: Airlock's copy, else upstream's after the same integrity check. */
async function previousTarball(
  deps: ScanJobDeps,
  ref: PackageVersionRef,
  entry: VersionEntry,
): Promise<Uint8Array> {
  const stored = await deps.storedTarball?.(ref);
  if (stored) return stored;
  const bytes = await deps.fetchTarball(entry);
  const mismatch = integrityMismatch(bytes, entry.integrity);
  if (mismatch) throw new Error(`previous version ${ref.version}: ${mismatch}`);
  return bytes;
}

/** The version published last before `entry` (by publish time), for analyzers that compare. */
function previousVersion(packument: Packument, entry: VersionEntry): VersionEntry | undefined {
  if (!entry.publishedAt) return undefined;
  let best: VersionEntry | undefined;
  for (const candidate of packument.versions.values()) {
    if (!candidate.publishedAt || candidate.publishedAt >= entry.publishedAt) continue;
    if (!best || candidate.publishedAt > (best.publishedAt ?? '')) best = candidate;
  }
  return best;
}
