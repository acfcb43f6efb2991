import type { Decision } from '../core/decision.js';
import type { VersionFacts } from '../core/facts.js';
import type { Finding } from '../core/finding.js';
import type { PackageVersionRef } from '../core/package-ref.js';
import type { CompiledPolicy } from './compile.js';
import type { RuleId } from './rule-ids.js';
import type { Waiver } from './waiver.js';

/** Where a version came from: proxied from upstream, or published to Airlock itself. */
export type VersionOrigin = 'upstream' | 'private';

/** Everything one decision is made from; the engine reads nothing else (no clock, no I/O). */
export interface EvaluateInput {
  readonly ref: PackageVersionRef;
  readonly facts: VersionFacts;
  readonly findings: readonly Finding[];
  readonly policy: CompiledPolicy;
  /** Waivers to consider; expired ones and ones for other packages are ignored here. */
  readonly waivers: readonly Waiver[];
  readonly now: Date;
  /** Default `upstream`; `private` overrides approve only privately published versions. */
  readonly origin?: VersionOrigin;
}

/** One rule that fired for a version, for `policy test`, `explain` and the decision record. */
export interface FiredRule {
  readonly rule: RuleId;
  readonly outcome: 'approve' | 'review' | 'reject';
  readonly message: string;
  /** A reject here revokes versions approved before (the rule says `revoke: true`). */
  readonly revoke: boolean;
  /** The fact the rule needed was missing, and the rule decided conservatively. */
  readonly unknown?: boolean;
  /** What exactly fired, e.g. the advisory id of a vulnerability. */
  readonly subject?: string;
  /** The rule stops firing by itself at this time (cooldowns). */
  readonly until?: string;
  /** A waiver that neutralised this rule. */
  readonly waivedBy?: { readonly id: number; readonly until: string; readonly reason: string };
  /** An explicit override decided instead of this rule. */
  readonly overridden?: boolean;
}

/** The engine's answer: a Decision plus what `policy test` and the scheduler need. */
export interface PolicyDecision extends Decision {
  readonly mode: 'enforce' | 'monitor';
  /** False in monitor mode: the decision is recorded, but the gate serves the version anyway. */
  readonly enforced: boolean;
  /** Every rule that fired, waived and overridden ones included. */
  readonly rules: readonly FiredRule[];
  /** When the decision may change by itself (a cooldown ends, a waiver expires): re-run it then. */
  readonly reevaluateAt?: string;
  /** A blocking decision from a rule with `revoke: true`: approved copies should be revoked too. */
  readonly revoke: boolean;
}
