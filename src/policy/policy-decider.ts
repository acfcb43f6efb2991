import { systemClock, type Clock } from '../core/clock.js';
import type { VersionFacts } from '../core/facts.js';
import type { Finding } from '../core/finding.js';
import type { PackageVersionRef } from '../core/package-ref.js';
import type { CompiledPolicy } from './compile.js';
import { evaluate } from './evaluate.js';
import type { PolicyDecision, VersionOrigin } from './types.js';
import type { WaiverStore } from './waiver-store.js';

export interface PolicyDeciderDeps {
  readonly policy: { current(): CompiledPolicy };
  readonly waivers: Pick<WaiverStore, 'activeFor'>;
  readonly clock?: Clock;
}

/** What the gate asks after a scan: the running policy, the package's active waivers, the clock's now. */
export interface PolicyDecider {
  decide(input: {
    ref: PackageVersionRef;
    facts: VersionFacts;
    findings: readonly Finding[];
    origin?: VersionOrigin;
  }): Promise<PolicyDecision>;
}

/** The engine with its inputs fetched: the one call the gate's scan pipeline and scheduler make. */
export function createPolicyDecider(deps: PolicyDeciderDeps): PolicyDecider {
  const clock = deps.clock ?? systemClock;
  return {
    async decide(input) {
      const waivers = await deps.waivers.activeFor(input.ref);
      return evaluate({ ...input, policy: deps.policy.current(), waivers, now: clock.now() });
    },
  };
}

/** Compact audit-event details for a decision: what was decided, under which policy, by which rules. */
export function decisionAuditDetails(decision: PolicyDecision): Record<string, unknown> {
  return {
    action: decision.action,
    policyDigest: decision.policyDigest,
    mode: decision.mode,
    reasons: decision.reasons.slice(0, 50),
    rules: decision.rules.slice(0, 100).map((r) => ({
      rule: r.rule,
      outcome: r.outcome,
      ...(r.subject ? { subject: r.subject } : {}),
      ...(r.waivedBy ? { waiver: r.waivedBy.id } : {}),
      ...(r.overridden ? { overridden: true } : {}),
    })),
    ...(decision.reevaluateAt ? { reevaluateAt: decision.reevaluateAt } : {}),
    ...(decision.revoke ? { revoke: true } : {}),
  };
}
