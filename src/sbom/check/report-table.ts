import { severities, type Severity } from '../../core/finding.js';
import type { CheckFinding, CheckReport } from './evaluate.js';

const colours: Record<Severity, string> = {
  critical: '\u001b[1;31m',
  high: '\u001b[31m',
  moderate: '\u001b[33m',
  low: '\u001b[36m',
  info: '\u001b[2m',
};
const reset = '\u001b[0m';

/** The people-facing report: findings grouped by severity, each with its fix and dependency path. */
export function renderCheckTable(report: CheckReport, options: { colour: boolean }): string {
  const paint = (s: Severity, text: string) => (options.colour ? `${colours[s]}${text}${reset}` : text);
  const lines: string[] = [`Checked ${report.components} components in ${report.target} (${report.format}).`];
  const active = report.findings.filter((f) => !f.suppressed);
  for (const severity of [...severities].reverse()) {
    const group = active.filter((f) => f.finding.severity === severity);
    if (group.length === 0) continue;
    lines.push('', paint(severity, `${severity.toUpperCase()} (${group.length})`));
    for (const f of group) lines.push(...findingLines(f));
  }
  const suppressed = report.findings.filter((f) => f.suppressed);
  if (suppressed.length > 0) {
    lines.push('', `SUPPRESSED BY VEX (${suppressed.length})`);
    for (const f of suppressed) {
      lines.push(
        `  ${label(f)}  ${f.finding.advisory?.id ?? f.finding.rule}: not_affected (${f.suppressed?.justification ?? ''}) per ${f.suppressed?.file ?? ''}`,
      );
    }
  }
  if (report.summary.gate) {
    const parts = Object.entries(report.summary.gate).map(([state, n]) => `${n} ${state}`);
    lines.push('', `Airlock server: ${parts.join(', ')}.`);
  }
  for (const w of report.warnings) lines.push(`warning: ${w}`);
  const counts = severities
    .filter((s) => report.summary.bySeverity[s] > 0)
    .map((s) => `${report.summary.bySeverity[s]} ${s}`)
    .reverse();
  lines.push(
    '',
    report.failed
      ? `FAIL: ${counts.join(', ')} (threshold ${report.threshold}).`
      : active.length === 0
        ? `PASS: no findings${report.summary.suppressed ? ` (${report.summary.suppressed} suppressed by VEX)` : ''}.`
        : `PASS: ${counts.join(', ')}, all below the threshold ${report.threshold}.`,
  );
  return lines.join('\n');
}

function label(f: CheckFinding): string {
  return f.component.version ? `${f.component.name}@${f.component.version}` : f.component.name;
}

function findingLines(f: CheckFinding): string[] {
  const id = f.finding.advisory?.id ?? f.finding.rule;
  const out = [`  ${label(f)}  ${id}  ${f.finding.message}`];
  // Only an advisory has a fix to name; a policy or gate finding is about the version itself.
  if (f.finding.advisory) {
    const fixed = f.finding.advisory.fixedIn ?? [];
    out.push(`    fixed in: ${fixed.length > 0 ? fixed.join(', ') : 'no fix known'}`);
  }
  out.push(`    path: ${f.path.join(' > ')}${f.component.scope === 'prod' ? '' : ` (${f.component.scope})`}`);
  if (f.location) out.push(`    at: ${f.location.file}:${f.location.line}`);
  return out;
}
