import type { VersionFacts } from '../../core/facts.js';
import type { Finding } from '../../core/finding.js';
import type { PackageVersionRef } from '../../core/package-ref.js';
import type { CompiledPolicy } from '../compile.js';
import type { RuleId } from '../rule-ids.js';
import type { RuleAction } from '../rules-schema.js';

/** What every rule looks at. */
export interface RuleContext {
  readonly ref: PackageVersionRef;
  readonly facts: VersionFacts;
  readonly findings: readonly Finding[];
  readonly policy: CompiledPolicy;
  readonly now: Date;
}

/** A rule that fired, before waivers and overrides are applied. */
export interface Firing {
  readonly rule: RuleId;
  readonly outcome: 'review' | 'reject';
  readonly message: string;
  readonly revoke: boolean;
  readonly unknown?: boolean;
  readonly until?: string;
  /** What exactly fired (an advisory id, `analyzer/rule`): a waiver may name `rule:subject` to waive only it. */
  readonly subject?: string;
}

/** A rule: the firings it produces for one version (none when it does not apply). */
export type Rule = (ctx: RuleContext) => Firing[];

/** One firing, or none when the rule's action is `off`. */
export function fire(
  rule: RuleId,
  action: RuleAction,
  message: string,
  extra: { revoke?: boolean; unknown?: boolean; until?: string; subject?: string | undefined } = {},
): Firing[] {
  if (action === 'off') return [];
  return [
    {
      rule,
      outcome: action,
      message,
      revoke: action === 'reject' && extra.revoke === true,
      ...(extra.unknown ? { unknown: true } : {}),
      ...(extra.until !== undefined ? { until: extra.until } : {}),
      ...(extra.subject !== undefined ? { subject: extra.subject } : {}),
    },
  ];
}

/** `2d 3h`, `45m`: a short human duration for messages. */
export function humanDuration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts = [days ? `${days}d` : '', hours ? `${hours}h` : '', !days && mins ? `${mins}m` : ''];
  return parts.filter(Boolean).join(' ') || '0m';
}
