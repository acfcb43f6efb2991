import type { DecisionAction, DecisionReason } from '../core/decision.js';
import type { VersionFacts } from '../core/facts.js';
import type { Finding } from '../core/finding.js';
import type { PackageVersionRef } from '../core/package-ref.js';

export interface PolicyInput {
  readonly ref: PackageVersionRef;
  readonly facts: VersionFacts;
  readonly findings: readonly Finding[];
  /** Imported from an existing lockfile: already in use, so the cooldown does not hold it. */
  readonly baseline: boolean;
  readonly now: Date;
}

export interface PolicyOutcome {
  readonly action: DecisionAction;
  readonly reasons: readonly DecisionReason[];
  /** When a timed hold ends and the version should be decided again. */
  readonly reevaluateAt?: string | undefined;
}

/** What the gate needs of the policy: a decision per version, and whether an unevaluated version may be listed. */
export interface GatePolicy {
  readonly digest: string;
  /** `monitor` computes and records decisions but serves everything. */
  readonly mode: 'enforce' | 'monitor';
  decide(input: PolicyInput): Promise<PolicyOutcome>;
  /** True when a version not yet evaluated could still be approved, so metadata may list it. */
  listable(ref: PackageVersionRef, publishedAt: string | undefined, now: Date): boolean;
  /** When `listable` turns true for a version published at `publishedAt` (for cache expiry). */
  listableFrom(ref: PackageVersionRef, publishedAt: string | undefined): Date | undefined;
}
