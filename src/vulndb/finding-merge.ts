import type { Finding, Severity } from '../core/finding.js';
import { severityRank } from '../core/finding.js';
import type { Ecosystem } from '../core/package-ref.js';
import type { AdvisoryMatch } from './advisory-index.js';
import { compareVersionText } from './versions/ecosystem-order.js';

/** Which id names a merged group: GHSA first (the reviewed database), then PYSEC, MAL, CVE, others. */
const idPreference = ['GHSA-', 'PYSEC-', 'MAL-', 'CVE-'];

function preference(id: string): number {
  const index = idPreference.findIndex((p) => id.startsWith(p));
  return index < 0 ? idPreference.length : index;
}

/**
 * Merges matches whose ids or aliases overlap (one GHSA, its CVE and the PYSEC copy are one problem) into one
 * finding each. The worst severity, the highest CVSS score and every fixed version of the group carry over.
 */
export function mergeMatches(
  ecosystem: Ecosystem,
  name: string,
  version: string,
  matches: readonly AdvisoryMatch[],
): Finding[] {
  return groupMatches(matches)
    .map((group) => groupFinding(ecosystem, name, version, group))
    .sort(
      (a, b) =>
        severityRank(b.severity) - severityRank(a.severity) || a.advisory!.id.localeCompare(b.advisory!.id),
    );
}

/** Groups matches whose ids or aliases overlap; each group is sorted with its naming advisory first. */
export function groupMatches(matches: readonly AdvisoryMatch[]): AdvisoryMatch[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(x, root);
    return root;
  };
  const union = (a: string, b: string) => {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
  };
  for (const m of matches) {
    union(m.advisory.id, m.advisory.id);
    for (const alias of m.advisory.aliases) union(m.advisory.id, alias);
  }
  const groups = new Map<string, AdvisoryMatch[]>();
  for (const m of matches) {
    const root = find(m.advisory.id);
    const group = groups.get(root);
    if (group) group.push(m);
    else groups.set(root, [m]);
  }
  return [...groups.values()].map((group) =>
    [...group].sort(
      (a, b) =>
        preference(a.advisory.id) - preference(b.advisory.id) || a.advisory.id.localeCompare(b.advisory.id),
    ),
  );
}

function groupFinding(
  ecosystem: Ecosystem,
  name: string,
  version: string,
  group: readonly AdvisoryMatch[],
): Finding {
  const sorted = group;
  const primary = sorted[0]!.advisory;
  const ids = new Set<string>();
  for (const m of sorted) {
    ids.add(m.advisory.id);
    for (const a of m.advisory.aliases) ids.add(a);
  }
  ids.delete(primary.id);
  let severity: Severity = primary.severity;
  let source = `${primary.id} ${primary.severitySource}`;
  let cvssScore: number | undefined;
  const fixed = new Set<string>();
  const malware = sorted.some((m) => m.advisory.malware);
  for (const m of sorted) {
    if (severityRank(m.advisory.severity) > severityRank(severity)) {
      severity = m.advisory.severity;
      source = `${m.advisory.id} ${m.advisory.severitySource}`;
    }
    if (m.advisory.cvssScore !== undefined && (cvssScore === undefined || m.advisory.cvssScore > cvssScore))
      cvssScore = m.advisory.cvssScore;
    for (const f of m.fixedIn) fixed.add(f);
  }
  const fixedIn = [...fixed].sort((a, b) => compareVersionText(ecosystem, a, b));
  const summary = sorted.find((m) => m.advisory.summary !== '')?.advisory.summary ?? 'known advisory';
  const fixText = fixedIn.length > 0 ? `; fixed in ${fixedIn.join(', ')}` : '; no fixed version';
  return {
    analyzer: malware ? 'malware' : 'vulnerability',
    rule: malware ? 'known-malicious-package' : 'known-vulnerability',
    severity: malware ? 'critical' : severity,
    message: `${name}@${version}: ${primary.id} ${summary}${malware ? '' : fixText}`,
    evidence: `severity from ${source}`,
    advisory: {
      id: primary.id,
      aliases: [...ids].sort(),
      url: primary.url,
      fixedIn,
      ...(cvssScore !== undefined ? { cvssScore } : {}),
    },
  };
}
