import type { Finding } from '../core/finding.js';
import { rules, type RuleId } from './rules.js';

/** A finding for a catalogue rule: analyzer and severity come from the catalogue, so they never drift. */
export function ruleFinding(
  rule: RuleId,
  message: string,
  where: { file?: string; line?: number; evidence?: string } = {},
): Finding {
  const definition = rules[rule];
  return {
    analyzer: definition.analyzer,
    rule,
    severity: definition.severity,
    message: `${message} — ${definition.why}`,
    ...(where.file !== undefined ? { file: where.file } : {}),
    ...(where.line !== undefined && where.line > 0 ? { line: where.line } : {}),
    ...(where.evidence !== undefined && where.evidence !== ''
      ? { evidence: where.evidence.slice(0, 300) }
      : {}),
  };
}
