import type { Finding } from '../core/finding.js';
import { rules, type RuleId } from './rules.js';

export type ScanVerdict = 'clean' | 'suspicious' | 'malicious';

/** Score thresholds: one weak signal stays clean, a chain of them is malicious. */
export const verdictThresholds = { suspicious: 25, malicious: 80 } as const;

/** Sums each rule's weight once (a hundred child_process calls are one signal) and caps at 100. */
export function scoreFindings(findings: readonly Finding[]): { score: number; verdict: ScanVerdict } {
  const seen = new Set<string>();
  let score = 0;
  for (const finding of findings) {
    if (seen.has(finding.rule) || !(finding.rule in rules)) continue;
    seen.add(finding.rule);
    score += rules[finding.rule as RuleId].weight;
  }
  score = Math.min(100, score);
  const verdict =
    score >= verdictThresholds.malicious
      ? 'malicious'
      : score >= verdictThresholds.suspicious
        ? 'suspicious'
        : 'clean';
  return { score, verdict };
}
