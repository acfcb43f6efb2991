import cvss from 'ae-cvss-calculator';
import type { Severity } from '../core/finding.js';
import { severityRank } from '../core/finding.js';
import type { SeveritySource } from './advisory.js';

export interface SeverityVerdict {
  readonly severity: Severity;
  readonly source: SeveritySource;
  readonly cvssScore?: number;
  readonly cvssVector?: string;
}

/** CVSS qualitative rating (FIRST): none 0, low 0.1–3.9, medium 4–6.9, high 7–8.9, critical 9–10. */
export function severityOfScore(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'moderate';
  if (score > 0) return 'low';
  return 'info';
}

// Scoring a v4 vector takes milliseconds and advisories share few distinct vectors, so scores are memoised.
const scoreCache = new Map<string, number | undefined>();

/** The base score of a CVSS v3.0, v3.1 or v4.0 vector; undefined for other or malformed vectors. */
export function cvssBaseScore(vector: string): number | undefined {
  if (scoreCache.has(vector)) return scoreCache.get(vector);
  const score = computeBaseScore(vector);
  if (scoreCache.size >= 50_000) scoreCache.clear();
  scoreCache.set(vector, score);
  return score;
}

function computeBaseScore(vector: string): number | undefined {
  try {
    const metric = vector.startsWith('CVSS:4.0/')
      ? new cvss.Cvss4P0(vector)
      : vector.startsWith('CVSS:3.1/')
        ? new cvss.Cvss3P1(vector)
        : vector.startsWith('CVSS:3.0/')
          ? new cvss.Cvss3P0(vector)
          : undefined;
    const base = metric?.calculateScores().base;
    return typeof base === 'number' && Number.isFinite(base) && base >= 0 && base <= 10 ? base : undefined;
  } catch {
    return undefined;
  }
}

const labels: ReadonlyMap<string, Severity> = new Map([
  ['none', 'info'],
  ['info', 'info'],
  ['low', 'low'],
  ['moderate', 'moderate'],
  ['medium', 'moderate'],
  ['high', 'high'],
  ['important', 'high'],
  ['critical', 'critical'],
]);

/**
 * The advisory's severity: every CVSS vector's base score and the database's label are candidates and the
 * highest wins, keeping where it came from. Without any, vulnerabilities default to moderate.
 */
export function advisorySeverity(
  vectors: readonly { type: string; score: string }[],
  label: string | undefined,
  malware: boolean,
): SeverityVerdict {
  if (malware) return { severity: 'critical', source: 'default' };
  const candidates: SeverityVerdict[] = [];
  for (const entry of vectors) {
    if (entry.type !== 'CVSS_V3' && entry.type !== 'CVSS_V4') continue;
    const score = cvssBaseScore(entry.score);
    if (score === undefined) continue;
    candidates.push({
      severity: severityOfScore(score),
      source: entry.type === 'CVSS_V4' ? 'cvss_v4' : 'cvss_v3',
      cvssScore: score,
      cvssVector: entry.score,
    });
  }
  const labelled = label === undefined ? undefined : labels.get(label.toLowerCase());
  if (labelled) candidates.push({ severity: labelled, source: 'database_specific' });
  let best: SeverityVerdict | undefined;
  for (const c of candidates) {
    if (!best || severityRank(c.severity) > severityRank(best.severity)) best = c;
  }
  if (!best) return { severity: 'moderate', source: 'default' };
  // The label may win on severity, but the highest CVSS score stays visible alongside it.
  const scored = candidates
    .filter((c) => c.cvssScore !== undefined)
    .sort((a, b) => b.cvssScore! - a.cvssScore!)[0];
  return scored && best.cvssScore === undefined
    ? { ...best, cvssScore: scored.cvssScore!, cvssVector: scored.cvssVector! }
    : best;
}
