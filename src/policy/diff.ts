import type { Decision, DecisionAction } from '../core/decision.js';
import type { VersionFacts } from '../core/facts.js';
import type { Finding } from '../core/finding.js';
import { refKey, type PackageVersionRef } from '../core/package-ref.js';
import type { CompiledPolicy } from './compile.js';
import { evaluate } from './evaluate.js';
import type { PolicyDecision, VersionOrigin } from './types.js';
import type { Waiver } from './waiver.js';

/** A version as the gate stores it: what re-evaluation reads (the gate's storage provides these). */
export interface StoredVersion {
  readonly ref: PackageVersionRef;
  /** Gate state; only `approved`, `review` and `rejected` are re-evaluated, others are still in the pipeline. */
  readonly state: string;
  readonly facts: VersionFacts;
  readonly findings: readonly Finding[];
  /** The decision in force, if any; `decidedBy` other than `policy` marks a person's decision. */
  readonly decision?: Decision | undefined;
  readonly origin?: VersionOrigin;
}

/**
 * What a policy change does to one stored version:
 * - `revoke`: approved, now blocked, and revoked (`--revoke`, or the firing rule has `revoke: true`);
 * - `would-block`: approved, now blocked, but kept approved because revocation is explicit;
 * - `release`: held or rejected by policy, now approved;
 * - `reclassify`: held ↔ rejected by policy;
 * - `kept-manual`: a person's review/reject stands although the policy would now approve.
 */
export type ChangeKind = 'revoke' | 'would-block' | 'release' | 'reclassify' | 'kept-manual';

export interface VersionChange {
  readonly ref: PackageVersionRef;
  readonly kind: ChangeKind;
  readonly from: string;
  readonly to: DecisionAction;
  /** What the previous policy says for it now, when one was given (tells policy changes from drift). */
  readonly previousAction?: DecisionAction;
  readonly decision: PolicyDecision;
}

export interface PolicyDiff {
  readonly fromDigest?: string;
  readonly toDigest: string;
  readonly revoke: boolean;
  readonly changes: readonly VersionChange[];
  readonly unchanged: number;
  /** Versions still pending or scanning: the pipeline decides them under the new policy. */
  readonly skipped: number;
}

export interface DiffInput {
  readonly versions: Iterable<StoredVersion>;
  readonly policy: CompiledPolicy;
  readonly previous?: CompiledPolicy;
  /** Every waiver that may apply (the engine picks per version). */
  readonly waivers: readonly Waiver[];
  readonly now: Date;
  /** `--revoke`: approved versions the new policy blocks are revoked, not only reported. */
  readonly revoke?: boolean;
}

const stateActions: Readonly<Record<string, DecisionAction>> = {
  approved: 'approve',
  review: 'review',
  rejected: 'reject',
};

/** Re-evaluates one stored version under `policy`; `change` is undefined when nothing would change. */
export function reevaluate(
  version: StoredVersion,
  options: Omit<DiffInput, 'versions'>,
): { decision: PolicyDecision; change?: VersionChange } | undefined {
  const current = stateActions[version.state];
  if (current === undefined) return undefined;
  const run = (policy: CompiledPolicy) =>
    evaluate({
      ref: version.ref,
      facts: version.facts,
      findings: version.findings,
      policy,
      waivers: options.waivers,
      now: options.now,
      ...(version.origin ? { origin: version.origin } : {}),
    });
  const decision = run(options.policy);
  const kind = classify(current, decision, version.decision, options.revoke === true);
  if (kind === undefined) return { decision };
  const previousAction = options.previous ? run(options.previous).action : undefined;
  return {
    decision,
    change: {
      ref: version.ref,
      kind,
      from: version.state,
      to: decision.action,
      ...(previousAction ? { previousAction } : {}),
      decision,
    },
  };
}

function classify(
  current: DecisionAction,
  next: PolicyDecision,
  stored: Decision | undefined,
  revokeAll: boolean,
): ChangeKind | undefined {
  if (current === next.action) return undefined;
  if (current === 'approve') return revokeAll || next.revoke ? 'revoke' : 'would-block';
  const byPerson = stored !== undefined && stored.decidedBy !== 'policy';
  if (byPerson) return 'kept-manual';
  return next.action === 'approve' ? 'release' : 'reclassify';
}

/** Previews (and plans) a policy change over stored versions: a pure function, no I/O. */
export function diffPolicy(input: DiffInput): PolicyDiff {
  const changes: VersionChange[] = [];
  let unchanged = 0;
  let skipped = 0;
  // Group waivers by package once, so each version only looks at its own.
  const byPackage = new Map<string, Waiver[]>();
  for (const w of input.waivers) {
    const key = `${w.ecosystem}:${w.name.toLowerCase()}`;
    byPackage.set(key, [...(byPackage.get(key) ?? []), w]);
  }
  const patterned = input.waivers.filter((w) => w.name.includes('*'));
  for (const version of input.versions) {
    const own = byPackage.get(`${version.ref.ecosystem}:${version.ref.name.toLowerCase()}`) ?? [];
    const result = reevaluate(version, {
      ...input,
      waivers: patterned.length ? [...own, ...patterned] : own,
    });
    if (result === undefined) skipped++;
    else if (result.change) changes.push(result.change);
    else unchanged++;
  }
  changes.sort((a, b) => refKey(a.ref).localeCompare(refKey(b.ref)));
  return {
    ...(input.previous ? { fromDigest: input.previous.digest } : {}),
    toDigest: input.policy.digest,
    revoke: input.revoke === true,
    changes,
    unchanged,
    skipped,
  };
}

const summaryListLimit = 100;

/** The details of the one `policy.apply` audit event: counts and (bounded) lists of refs per kind. */
export function diffSummary(diff: PolicyDiff): Record<string, unknown> {
  const kinds: ChangeKind[] = ['revoke', 'would-block', 'release', 'reclassify', 'kept-manual'];
  const counts: Record<string, number> = {};
  const lists: Record<string, string[]> = {};
  for (const kind of kinds) {
    const of = diff.changes.filter((c) => c.kind === kind);
    counts[kind] = of.length;
    lists[kind] = of.slice(0, summaryListLimit).map((c) => refKey(c.ref));
  }
  return {
    ...(diff.fromDigest ? { from: diff.fromDigest } : {}),
    to: diff.toDigest,
    revoke: diff.revoke,
    counts: { ...counts, unchanged: diff.unchanged, skipped: diff.skipped },
    versions: lists,
  };
}
