import { isAtLeast, type Finding } from '../../core/finding.js';
import type { VulnerabilityRule } from '../rules-schema.js';
import { fire, type Firing, type Rule } from './context.js';

const actionRank = { off: 0, review: 1, reject: 2 } as const;

/** Known vulnerabilities by severity / CVSS, optionally only when a fixed version exists. */
export const vulnerabilityRule: Rule = ({ findings, policy }) => {
  const out: Firing[] = [];
  for (const finding of findings) {
    if (finding.analyzer !== 'vulnerability') continue;
    let strongest: VulnerabilityRule | undefined;
    for (const rule of policy.rules.vulnerabilities) {
      if (!vulnerabilityMatches(rule, finding)) continue;
      if (!strongest || actionRank[rule.action] > actionRank[strongest.action]) strongest = rule;
    }
    if (strongest) {
      out.push(
        ...fire('vulnerability', strongest.action, describeVulnerability(finding), {
          revoke: strongest.revoke,
          subject: finding.advisory?.id,
        }),
      );
    }
  }
  return out;
};

function vulnerabilityMatches(rule: VulnerabilityRule, finding: Finding): boolean {
  if (rule.severity !== undefined && !isAtLeast(finding.severity, rule.severity)) return false;
  if (rule.minCvss !== undefined) {
    const score = finding.advisory?.cvssScore;
    // A rule on CVSS cannot judge an advisory without a score; severity rules cover those.
    if (score === undefined || score < rule.minCvss) return false;
  }
  if (rule.fixAvailable !== undefined) {
    const fixed = (finding.advisory?.fixedIn?.length ?? 0) > 0;
    if (fixed !== rule.fixAvailable) return false;
  }
  return true;
}

function describeVulnerability(f: Finding): string {
  const details = [
    f.advisory?.cvssScore !== undefined ? `CVSS ${f.advisory.cvssScore}` : '',
    f.advisory?.fixedIn?.length ? `fixed in ${f.advisory.fixedIn.join(', ')}` : 'no fixed version',
  ].filter(Boolean);
  return `${f.severity} vulnerability ${f.advisory?.id ?? f.rule} (${details.join(', ')}): ${f.message}`;
}

/** Malware findings and a malicious scan verdict are rejected; a suspicious verdict goes to review. */
export const malwareRule: Rule = ({ findings, facts, policy }) => {
  const { action, revoke, suspicious } = policy.rules.malware;
  const out: Firing[] = [];
  // Known-malicious records (OSV `MAL-`, with an advisory) decide alone. The behaviour scanner's single
  // signals (one eval in a bundle) do not: its verdict weighs them together, so one weak signal never
  // blocks but a chain does.
  for (const f of findings.filter((f) => f.analyzer === 'malware' && f.advisory !== undefined)) {
    out.push(
      ...fire('malware', action, `malware: ${f.advisory?.id ?? f.rule}: ${f.message}`, {
        revoke,
        subject: f.advisory?.id,
      }),
    );
  }
  if (out.length === 0 && facts.scanVerdict === 'malicious') {
    out.push(...fire('malware', action, 'the malware scan judged this version malicious', { revoke }));
  }
  if (facts.scanVerdict === 'suspicious') {
    const score = facts.scanScore !== undefined ? ` (score ${facts.scanScore})` : '';
    out.push(
      ...fire('malware-suspicious', suspicious, `the malware scan found this version suspicious${score}`),
    );
  }
  return out;
};

/** Tarball bytes that do not match the packument's integrity. */
export const integrityRule: Rule = ({ findings, policy }) => {
  const { action, revoke } = policy.rules.integrity;
  return findings
    .filter((f) => f.analyzer === 'integrity')
    .flatMap((f) => fire('integrity', action, `integrity check failed: ${f.message}`, { revoke }));
};

/** An analyzer could not finish, so the findings may be incomplete. */
export const scanIncompleteRule: Rule = ({ facts, policy }) => {
  if (facts.scanIncomplete !== true) return [];
  const { action, revoke } = policy.rules.scanIncomplete;
  return fire('scan-incomplete', action, 'the scan did not complete, so findings may be missing', { revoke });
};

/** Generic selectors over any analyzer's findings (`findings:` in the policy). */
export const findingSelectorRule: Rule = ({ findings, policy }) => {
  const out: Firing[] = [];
  for (const f of findings) {
    for (const rule of policy.rules.findings) {
      if (rule.analyzer !== undefined && rule.analyzer !== f.analyzer) continue;
      if (rule.rule !== undefined && rule.rule !== f.rule) continue;
      if (!isAtLeast(f.severity, rule.severity)) continue;
      out.push(
        ...fire('finding', rule.action, `${f.analyzer}/${f.rule} (${f.severity}): ${f.message}`, {
          revoke: rule.revoke,
          subject: `${f.analyzer}/${f.rule}`,
        }),
      );
      break;
    }
  }
  return out;
};
