import semver from 'semver';
import type { DecisionAction, DecisionReason } from '../core/decision.js';
import type { PackageVersionRef } from '../core/package-ref.js';
import type { CompiledOverride, CompiledPolicy } from './compile.js';
import { compareSpecificity } from './compile.js';
import { minReleaseAgeRule, newPackageRule } from './rules/age.js';
import type { Rule, RuleContext } from './rules/context.js';
import {
  findingSelectorRule,
  integrityRule,
  malwareRule,
  scanIncompleteRule,
  vulnerabilityRule,
} from './rules/findings.js';
import { installScriptsRule } from './rules/install-scripts.js';
import { licenseRule } from './rules/license.js';
import { metadataRule } from './rules/metadata.js';
import { provenanceRule } from './rules/provenance.js';
import type { EvaluateInput, FiredRule, PolicyDecision, VersionOrigin } from './types.js';
import { findWaiver } from './waiver.js';

/*
 * PRECEDENCE — the one place it is decided (README "Policy reference" repeats it):
 *   1. explicit override  (`overrides:` — the most specific matching entry decides, whatever fired)
 *   2. waiver             (an active waiver for a rule makes that rule's firing not count)
 *   3. reject rules       (any remaining firing with outcome reject → reject)
 *   4. review rules       (any remaining firing with outcome review → review, i.e. held)
 *   5. approve            (nothing remaining fired)
 * Every rule is evaluated in every case, so `policy test` lists all of them, marked waived or
 * overridden where that applies.
 */

const rules: readonly Rule[] = [
  integrityRule,
  malwareRule,
  vulnerabilityRule,
  scanIncompleteRule,
  installScriptsRule,
  licenseRule,
  provenanceRule,
  metadataRule,
  minReleaseAgeRule,
  newPackageRule,
  findingSelectorRule,
];

/** The policy engine: a pure function of its input (no I/O, no clock besides `now`). */
export function evaluate(input: EvaluateInput): PolicyDecision {
  const { policy, now, ref } = input;
  const ctx: RuleContext = { ref, facts: input.facts, findings: input.findings, policy, now };
  const firings = rules.flatMap((rule) => rule(ctx));
  const override = chooseOverride(policy, ref);
  const fired: FiredRule[] = firings.map((f) => {
    const waiver = findWaiver(input.waivers, ref, f, now);
    return {
      ...f,
      ...(waiver ? { waivedBy: { id: waiver.id, until: waiver.until, reason: waiver.reason } } : {}),
      ...(override ? { overridden: true } : {}),
    };
  });
  const base = {
    policyDigest: policy.digest,
    decidedBy: 'policy',
    at: now.toISOString(),
    mode: policy.rules.mode,
    enforced: policy.rules.mode === 'enforce',
  };
  if (override) {
    const action = overrideAction(override, input.origin ?? 'upstream');
    const message = overrideMessage(override, action, input.origin ?? 'upstream');
    const entry: FiredRule = {
      rule: 'override',
      outcome: action,
      message,
      revoke: action === 'reject' && override.revoke,
    };
    return {
      ...base,
      action,
      reasons: [{ rule: 'override', message }],
      rules: [entry, ...fired],
      revoke: entry.revoke,
    };
  }
  const counting = fired.filter((f) => f.waivedBy === undefined);
  const action: DecisionAction = counting.some((f) => f.outcome === 'reject')
    ? 'reject'
    : counting.some((f) => f.outcome === 'review')
      ? 'review'
      : 'approve';
  const reevaluateAt = nextChange(fired, counting, action, now);
  return {
    ...base,
    action,
    reasons: reasonsFor(action, counting, fired),
    rules: fired,
    ...(reevaluateAt ? { reevaluateAt } : {}),
    revoke: action === 'reject' && counting.some((f) => f.outcome === 'reject' && f.revoke),
  };
}

/** The most specific override matching `ref`; among equally specific ones the strictest wins. */
function chooseOverride(policy: CompiledPolicy, ref: PackageVersionRef): CompiledOverride | undefined {
  const matching = policy.overrides.filter(
    (o) => o.pattern.matches(ref.name) && versionMatches(o.version, ref),
  );
  const first = matching[0];
  if (!first) return undefined;
  const tied = matching.filter((o) => compareSpecificity(o.specificity, first.specificity) === 0);
  const strictness = { reject: 3, private: 2, review: 1, approve: 0 } as const;
  return tied.reduce((a, b) => (strictness[b.action] > strictness[a.action] ? b : a));
}

function versionMatches(range: string | undefined, ref: PackageVersionRef): boolean {
  if (range === undefined || range === ref.version) return true;
  if (ref.ecosystem !== 'npm') return false;
  try {
    return semver.satisfies(ref.version, range, { includePrerelease: true });
  } catch {
    return false;
  }
}

function overrideAction(o: CompiledOverride, origin: VersionOrigin): DecisionAction {
  if (o.action !== 'private') return o.action;
  // Dependency-confusion protection: a private name is never taken from upstream.
  return origin === 'private' ? 'approve' : 'reject';
}

function overrideMessage(o: CompiledOverride, action: DecisionAction, origin: VersionOrigin): string {
  const target = o.version === undefined ? o.package : `${o.package}@${o.version}`;
  if (o.action === 'private') {
    return origin === 'private'
      ? `${target} is private and this version was published to Airlock: ${o.reason}`
      : `${target} is private; a copy from upstream is refused (dependency confusion): ${o.reason}`;
  }
  return `override ${action} for ${target}: ${o.reason}`;
}

function reasonsFor(
  action: DecisionAction,
  counting: readonly FiredRule[],
  fired: readonly FiredRule[],
): DecisionReason[] {
  if (action !== 'approve') {
    const order = { reject: 0, review: 1, approve: 2 } as const;
    return [...counting]
      .sort((a, b) => order[a.outcome] - order[b.outcome])
      .map((f) => ({ rule: f.rule, message: f.message }));
  }
  const waived = fired.filter((f) => f.waivedBy !== undefined);
  if (waived.length === 0) return [{ rule: 'policy', message: 'no rule fired' }];
  return waived.map((f) => ({
    rule: f.rule,
    message: `waived until ${f.waivedBy?.until ?? '?'} (${f.waivedBy?.reason ?? ''}): ${f.message}`,
  }));
}

/**
 * When the decision may change without anyone acting: the earliest waiver expiry among the waived
 * firings, and the earliest cooldown end when only time-limited firings hold the decision where it is.
 */
function nextChange(
  fired: readonly FiredRule[],
  counting: readonly FiredRule[],
  action: DecisionAction,
  now: Date,
): string | undefined {
  const times: number[] = [];
  for (const f of fired) if (f.waivedBy) times.push(Date.parse(f.waivedBy.until));
  const holding = counting.filter((f) => f.outcome === action);
  if (holding.length > 0 && holding.every((f) => f.until !== undefined)) {
    for (const f of holding) if (f.until !== undefined) times.push(Date.parse(f.until));
  }
  const future = times.filter((t) => Number.isFinite(t) && t > now.getTime());
  return future.length ? new Date(Math.min(...future)).toISOString() : undefined;
}
