import type { VersionFacts } from '../core/facts.js';
import type { Finding } from '../core/finding.js';
import type { PackageVersionRef } from '../core/package-ref.js';
import type { CompiledPolicy } from './compile.js';
import { evaluate } from './evaluate.js';
import type { RuleId } from './rule-ids.js';
import type { Waiver } from './waiver.js';

export interface OfflineComponent {
  readonly ref: PackageVersionRef;
  readonly license?: string;
  readonly installScripts?: boolean;
}

export interface OfflineObjection {
  readonly rule: RuleId;
  readonly outcome: 'review' | 'reject';
  readonly message: string;
}

/**
 * Findings that a CI report already lists by themselves: repeating "the policy rejects this vulnerability"
 * under each advisory would only double the report. Their severity decides `--fail-on`.
 */
const reportedAsFindings: ReadonlySet<RuleId> = new Set(['vulnerability', 'malware']);

/**
 * The policy engine run on what a lockfile knows (licence, npm's install-script flag) and the local
 * advisories — the `airlock check` view of the policy. The same `evaluate()` the gate runs, so the two never
 * disagree on what they both can see; a rule whose fact is missing offline is reported as undecided.
 */
export class OfflinePolicy {
  readonly source: string;

  constructor(
    private readonly policy: CompiledPolicy,
    private readonly waivers: readonly Waiver[],
    private readonly now: Date,
  ) {
    this.source = policy.source;
  }

  judge(
    component: OfflineComponent,
    findings: readonly Finding[],
  ): { objections: OfflineObjection[]; undecided: RuleId[] } {
    const facts: VersionFacts = {
      ...(component.license !== undefined ? { license: component.license } : {}),
      ...(component.installScripts !== undefined ? { hasInstallScripts: component.installScripts } : {}),
    };
    const decision = evaluate({
      ref: component.ref,
      facts,
      findings,
      policy: this.policy,
      waivers: this.waivers,
      now: this.now,
      // A lockfile does not say where a version was published; `private` overrides then approve instead of
      // reporting every private package as dependency confusion. The gate still refuses upstream copies.
      origin: 'private',
    });
    // A licence the lockfile names but the policy cannot read is what the server would see too: decided.
    const isUnknown = (r: { rule: RuleId; unknown?: boolean }) =>
      r.unknown === true && !(r.rule === 'license-unknown' && component.license !== undefined);
    const undecided = decision.rules.filter(isUnknown).map((r) => r.rule);
    const override = decision.rules.find((r) => r.rule === 'override');
    if (override) {
      return {
        objections:
          override.outcome === 'approve'
            ? []
            : [{ rule: 'override', outcome: override.outcome, message: override.message }],
        undecided: [],
      };
    }
    const objections: OfflineObjection[] = [];
    for (const r of decision.rules) {
      if (isUnknown(r) || r.waivedBy !== undefined || reportedAsFindings.has(r.rule)) continue;
      if (r.outcome === 'approve') continue;
      objections.push({ rule: r.rule, outcome: r.outcome, message: r.message });
    }
    return { objections, undecided };
  }
}
