import semver from 'semver';
import { AirlockError } from '../errors.js';
import type { Ecosystem } from '../core/package-ref.js';
import { waivableRuleIds } from './rule-ids.js';

/** What a person asks for with `airlock waive` or the API. */
export interface WaiverInput {
  readonly ecosystem?: Ecosystem;
  readonly name: string;
  readonly range?: string;
  readonly rule: string;
  /** `2027-01-31` (through the end of that day, UTC) or an ISO time. */
  readonly until: string | Date;
  readonly reason: string;
}

export interface ValidWaiverInput {
  readonly ecosystem: Ecosystem;
  readonly name: string;
  readonly range: string;
  readonly rule: string;
  readonly until: string;
  readonly reason: string;
}

const npmName = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/i;
const pypiName = /^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$/i;
const maxReason = 1000;
const subjectPattern = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;

/** `lodash@^4.17.0` → name and range; `@acme/ui` alone → every version (`*`). */
export function parseWaiverTarget(spec: string): { name: string; range: string } {
  const at = spec.lastIndexOf('@');
  if (at <= 0) return { name: spec, range: '*' };
  return { name: spec.slice(0, at), range: spec.slice(at + 1) || '*' };
}

/** Validates a waiver request against `now`; BAD_REQUEST names the problem and the fix. */
export function validateWaiverInput(input: WaiverInput, now: Date): ValidWaiverInput {
  const ecosystem = input.ecosystem ?? 'npm';
  const name = input.name.trim();
  if (name.length === 0 || name.length > 214 || !(ecosystem === 'npm' ? npmName : pypiName).test(name)) {
    throw new AirlockError(
      'INVALID_PACKAGE_NAME',
      `"${name.slice(0, 80)}" is not a valid ${ecosystem} package name`,
    );
  }
  const range = (input.range ?? '*').trim() || '*';
  if (range.length > 256 || (ecosystem === 'npm' ? semver.validRange(range) === null : /\s/.test(range))) {
    throw new AirlockError(
      'BAD_REQUEST',
      `"${range.slice(0, 80)}" is not a version or semver range, e.g. 4.17.21 or ^4.17.0`,
    );
  }
  const colon = input.rule.indexOf(':');
  const ruleId = colon === -1 ? input.rule : input.rule.slice(0, colon);
  if (!(waivableRuleIds as readonly string[]).includes(ruleId)) {
    throw new AirlockError(
      'BAD_REQUEST',
      `unknown rule "${input.rule.slice(0, 80)}"; waivable rules: ${waivableRuleIds.join(', ')} (or rule:subject, e.g. vulnerability:GHSA-xxxx-xxxx-xxxx)`,
    );
  }
  if (colon !== -1 && !subjectPattern.test(input.rule.slice(colon + 1))) {
    throw new AirlockError(
      'BAD_REQUEST',
      `"${input.rule.slice(0, 80)}": after "${ruleId}:" name an advisory id or analyzer/rule (letters, digits, . _ - / :)`,
    );
  }
  const until = parseUntil(input.until);
  if (until.getTime() <= now.getTime()) {
    throw new AirlockError('BAD_REQUEST', `--until ${until.toISOString()} is not in the future`);
  }
  const reason = input.reason.trim();
  if (reason.length === 0 || reason.length > maxReason) {
    throw new AirlockError('BAD_REQUEST', `a waiver needs a reason of 1–${maxReason} characters`);
  }
  return { ecosystem, name, range, rule: input.rule, until: until.toISOString(), reason };
}

function parseUntil(value: string | Date): Date {
  if (value instanceof Date) return value;
  const text = value.trim();
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (day) {
    const start = new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])));
    // Date.UTC rolls 2027-02-30 over into March; such a date is a typo, not a wish.
    if (start.toISOString().slice(0, 10) === text) {
      // A date means "through that day": the waiver ends at the next midnight UTC.
      return new Date(start.getTime() + 86_400_000);
    }
  } else if (/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    const parsed = new Date(text);
    if (Number.isFinite(parsed.getTime())) return parsed;
  }
  throw new AirlockError('BAD_REQUEST', `--until "${text.slice(0, 40)}" is not a date such as 2027-01-31`);
}
