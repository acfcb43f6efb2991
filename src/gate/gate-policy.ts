import { createHash } from 'node:crypto';
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
  decide(input: PolicyInput): PolicyOutcome;
  /** True when a version not yet evaluated could still be approved, so metadata may list it. */
  listable(ref: PackageVersionRef, publishedAt: string | undefined, now: Date): boolean;
  /** When `listable` turns true for a version published at `publishedAt` (for cache expiry). */
  listableFrom(ref: PackageVersionRef, publishedAt: string | undefined): Date | undefined;
}

export interface BuiltinPolicyOptions {
  readonly minReleaseAgeMs: number;
  /** Packages whose install scripts are known and expected. */
  readonly installScriptAllowList: readonly string[];
}

export const defaultBuiltinPolicy: BuiltinPolicyOptions = {
  minReleaseAgeMs: 2 * 24 * 60 * 60 * 1000,
  installScriptAllowList: [
    'esbuild',
    'sharp',
    'node-gyp',
    'fsevents',
    'bufferutil',
    'utf-8-validate',
    'better-sqlite3',
  ],
};

/**
 * The gate's built-in default until a policy file says otherwise: reject integrity failures, malware and
 * critical vulnerabilities; hold install scripts not on the allow list; hold versions younger than the
 * cooldown; approve the rest.
 */
export function builtinPolicy(options: BuiltinPolicyOptions = defaultBuiltinPolicy): GatePolicy {
  const digest = `sha256:${createHash('sha256')
    .update(JSON.stringify({ builtin: 1, ...options }))
    .digest('hex')}`;
  const youngUntil = (publishedAt: string | undefined): Date | undefined => {
    if (!publishedAt) return undefined;
    const at = Date.parse(publishedAt);
    return Number.isNaN(at) ? undefined : new Date(at + options.minReleaseAgeMs);
  };
  return {
    digest,
    mode: 'enforce',
    decide({ ref, facts, findings, baseline, now }) {
      const rejects: DecisionReason[] = [];
      const reviews: DecisionReason[] = [];
      for (const finding of findings) {
        if (finding.analyzer === 'integrity' && finding.severity === 'critical') {
          rejects.push({ rule: 'integrity', message: finding.message });
        } else if (
          finding.analyzer === 'malware' &&
          (finding.severity === 'critical' || finding.severity === 'high')
        ) {
          rejects.push({ rule: 'malware', message: finding.message });
        } else if (finding.analyzer === 'vulnerability' && finding.severity === 'critical') {
          rejects.push({ rule: 'vulnerability', message: finding.message });
        }
      }
      if (facts.scanVerdict === 'malicious')
        rejects.push({ rule: 'malware', message: 'the scan verdict is malicious' });
      if (rejects.length > 0) return { action: 'reject', reasons: rejects };
      if (facts.hasInstallScripts && !options.installScriptAllowList.includes(ref.name)) {
        reviews.push({
          rule: 'install-scripts',
          message: 'runs an install script and is not on the allow list',
        });
      }
      if (facts.scanIncomplete) reviews.push({ rule: 'scan-incomplete', message: 'the scan did not finish' });
      const until = youngUntil(facts.publishedAt);
      if (!baseline && options.minReleaseAgeMs > 0 && until === undefined) {
        reviews.push({
          rule: 'min-release-age',
          message: 'the publish time is unknown, so its age cannot be checked',
        });
      } else if (!baseline && until && until > now) {
        reviews.push({
          rule: 'min-release-age',
          message: `published ${facts.publishedAt ?? '?'}; held until ${until.toISOString()} (cooldown)`,
        });
        return { action: 'review', reasons: reviews, reevaluateAt: until.toISOString() };
      }
      if (reviews.length > 0) return { action: 'review', reasons: reviews };
      return { action: 'approve', reasons: [{ rule: 'default', message: 'no rule held or rejected it' }] };
    },
    listable(_ref, publishedAt, now) {
      if (options.minReleaseAgeMs <= 0) return true;
      const until = youngUntil(publishedAt);
      return until !== undefined && until <= now;
    },
    listableFrom(_ref, publishedAt) {
      return youngUntil(publishedAt);
    },
  };
}
