import type { Severity } from '../../core/finding.js';
import type { CheckReport } from './evaluate.js';

const level: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  moderate: 'warning',
  low: 'note',
  info: 'note',
};
// GitHub code scanning ranks security results by this property (CVSS-like 0–10).
const securitySeverity: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  moderate: '5.5',
  low: '3.0',
  info: '0.0',
};

/** SARIF 2.1.0 with one result per finding, located at the component's lockfile entry. */
export function toSarif(
  report: CheckReport,
  options: { uriOf: (file: string) => string; toolVersion?: string },
): Record<string, unknown> {
  const rules = new Map<string, Record<string, unknown>>();
  const results = report.findings.map((f) => {
    const ruleId = f.finding.advisory?.id ?? `${f.finding.analyzer}/${f.finding.rule}`;
    if (!rules.has(ruleId)) {
      rules.set(ruleId, {
        id: ruleId,
        shortDescription: {
          text: f.finding.advisory?.id ? `${f.finding.advisory.id} in ${f.component.name}` : f.finding.rule,
        },
        ...(f.finding.advisory?.url ? { helpUri: f.finding.advisory.url } : {}),
        properties: {
          'security-severity':
            f.finding.advisory?.cvssScore?.toFixed(1) ?? securitySeverity[f.finding.severity],
          tags: ['security', f.finding.analyzer],
        },
      });
    }
    const fixed = f.finding.advisory?.fixedIn ?? [];
    const location = f.location ?? { file: report.target, line: 1 };
    return {
      ruleId,
      level: level[f.finding.severity],
      message: {
        text: `${f.finding.message} (${f.component.name}@${f.component.version}; fixed in: ${fixed.length ? fixed.join(', ') : 'no fix known'}; path: ${f.path.join(' > ')})`,
      },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: options.uriOf(location.file) },
            region: { startLine: location.line },
          },
        },
      ],
      partialFingerprints: { 'airlock/component-advisory': `${f.component.purl}|${ruleId}` },
      ...(f.suppressed
        ? {
            suppressions: [
              {
                kind: 'external',
                justification: `VEX not_affected (${f.suppressed.justification}) in ${f.suppressed.file}${f.suppressed.detail ? `: ${f.suppressed.detail}` : ''}`,
              },
            ],
          }
        : {}),
    };
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'airlock',
            version: options.toolVersion ?? '0.1.0',
            rules: [...rules.values()],
          },
        },
        results,
      },
    ],
  };
}
