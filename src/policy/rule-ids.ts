/**
 * Every rule the policy engine knows, by the id that decisions, waivers and `policy test` name.
 * A waiver names one of these; `override` cannot be waived (it is the explicit decision itself).
 */
export const ruleIds = [
  'override',
  'min-release-age',
  'vulnerability',
  'malware',
  'malware-suspicious',
  'install-scripts',
  'install-scripts-first-seen',
  'license',
  'license-unknown',
  'provenance-required',
  'provenance-regression',
  'provenance-repository',
  'provenance-repository-changed',
  'typosquat',
  'new-package',
  'unpopular',
  'deprecated',
  'maintainer-change',
  'scan-incomplete',
  'integrity',
  'finding',
] as const;

export type RuleId = (typeof ruleIds)[number];

/** Rules a waiver may name. */
export const waivableRuleIds: readonly RuleId[] = ruleIds.filter((id) => id !== 'override');

export function isRuleId(value: string): value is RuleId {
  return (ruleIds as readonly string[]).includes(value);
}
