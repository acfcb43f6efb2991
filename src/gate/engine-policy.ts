import type { PackageVersionRef } from '../core/package-ref.js';
import { evaluate, type PolicySource, type Waiver, type WaiverStore } from '../policy/index.js';
import { matchesAny } from '../policy/name-pattern.js';
import type { GatePolicy, PolicyInput, PolicyOutcome } from './gate-policy.js';

/** Far enough ahead that a baseline's cooldown waiver never runs out. */
const never = '9999-12-31T23:59:59.000Z';

/**
 * The gate's view of the policy domain: the running policy (reloadable), active waivers, and the
 * baseline rule that a version imported from a lockfile is already in use, so the cooldown does not
 * hold it (expressed as a waiver of `min-release-age`, so `explain` shows why it got through).
 */
export function enginePolicy(source: PolicySource, waivers: WaiverStore): GatePolicy {
  return {
    get digest() {
      return source.current().digest;
    },
    get mode() {
      return source.current().rules.mode;
    },
    async decide(input: PolicyInput): Promise<PolicyOutcome> {
      const active = await waivers.activeFor(input.ref);
      const all: Waiver[] = input.baseline ? [...active, baselineWaiver(input.ref, input.now)] : active;
      const decision = evaluate({
        ref: input.ref,
        facts: input.facts,
        findings: input.findings,
        policy: source.current(),
        waivers: all,
        now: input.now,
      });
      return { action: decision.action, reasons: decision.reasons, reevaluateAt: decision.reevaluateAt };
    },
    listable(ref, publishedAt, now) {
      const from = listableFrom(source, ref, publishedAt);
      return from !== undefined && from <= now;
    },
    listableFrom: (ref, publishedAt) => listableFrom(source, ref, publishedAt),
  };
}

function listableFrom(
  source: PolicySource,
  ref: PackageVersionRef,
  publishedAt: string | undefined,
): Date | undefined {
  const policy = source.current();
  const { age } = policy.rules.minReleaseAge;
  if (age <= 0 || matchesAny(policy.minReleaseAgeExempt, ref.name)) return new Date(0);
  const published = publishedAt === undefined ? NaN : Date.parse(publishedAt);
  return Number.isFinite(published) ? new Date(published + age) : undefined;
}

function baselineWaiver(ref: PackageVersionRef, now: Date): Waiver {
  return {
    id: 0,
    ecosystem: ref.ecosystem,
    name: ref.name,
    range: ref.version,
    rule: 'min-release-age',
    until: never,
    reason: 'imported from an existing lockfile (baseline): already in use',
    createdBy: 'import',
    createdAt: now.toISOString(),
  };
}
