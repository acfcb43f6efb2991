import type { Finding } from '../../core/finding.js';
import type { ContentReport } from '../content/analyze-contents.js';
import { ruleFinding } from '../findings.js';
import type { RuleId } from '../rules.js';
import type { FileReport, Signal } from './signals.js';

const SEND: RuleId[] = ['network', 'exfil-endpoint', 'dns-exfil'];
const SECRETS: RuleId[] = ['env-harvest', 'credential-access', 'token-read'];
const HIDDEN_EXEC: RuleId[] = [
  'decode-and-execute',
  'obfuscated-code',
  'download-execute',
  'shell-download-exec',
  'module-compile',
  'dynamic-eval',
];
const MAX_FINDINGS_PER_RULE = 5;

function dirname(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut === -1 ? '' : path.slice(0, cut);
}

function join(base: string, relative: string): string {
  const parts = base === '' ? [] : base.split('/');
  for (const segment of relative.split('/')) {
    if (segment === '..') parts.pop();
    else if (segment !== '.' && segment !== '') parts.push(segment);
  }
  return parts.join('/');
}

/** Files reachable from the entries through relative requires and scripts they name (bounded walk). */
export function reachableFiles(
  entries: readonly string[],
  reports: ReadonlyMap<string, FileReport>,
  paths: ReadonlySet<string>,
): Set<string> {
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0 && seen.size < 200) {
    const path = queue.shift() as string;
    if (seen.has(path)) continue;
    seen.add(path);
    const report = reports.get(path);
    if (!report) continue;
    for (const spec of report.localRequires) {
      const base = join(dirname(path), spec);
      const hit = [base, `${base}.js`, `${base}.cjs`, `${base}.mjs`, `${base}/index.js`].find((p) =>
        paths.has(p),
      );
      if (hit) queue.push(hit);
    }
    for (const name of report.mentions) {
      for (const candidate of paths)
        if (candidate === name || candidate.endsWith(`/${name}`)) queue.push(candidate);
    }
  }
  return seen;
}

function has(signals: readonly Signal[], wanted: readonly RuleId[]): Signal | undefined {
  return signals.find((s) => wanted.includes(s.rule));
}

/** Turns file signals into findings and adds the chain rules that combine them. */
export function behaviourFindings(
  report: ContentReport,
  installEntries: readonly string[],
  inline: readonly FileReport[],
): Finding[] {
  const findings: Finding[] = [];
  const reports = new Map(report.files.map((f) => [f.path, f]));
  for (const r of inline) reports.set(r.path, r);
  const paths = new Set(report.inventory.map((f) => f.path));
  const installTime = reachableFiles([...installEntries, ...inline.map((r) => r.path)], reports, paths);
  const perRule = new Map<RuleId, number>();
  for (const file of reports.values()) {
    const atInstall = installTime.has(file.path);
    const firstOf = new Map<RuleId, { signal: Signal; count: number }>();
    for (const s of file.signals) {
      const entry = firstOf.get(s.rule);
      if (entry) entry.count++;
      else firstOf.set(s.rule, { signal: s, count: 1 });
    }
    for (const [rule, { signal, count }] of firstOf) {
      const n = perRule.get(rule) ?? 0;
      perRule.set(rule, n + 1);
      if (n >= MAX_FINDINGS_PER_RULE) continue;
      const more = count > 1 ? ` (+${count - 1} more in this file)` : '';
      const when = atInstall ? 'at install time: ' : '';
      findings.push(
        ruleFinding(rule, `${when}${signal.detail ?? rule}${more}`, {
          file: file.path,
          line: signal.line,
          evidence: signal.evidence,
        }),
      );
    }
    const send = has(file.signals, SEND);
    const secret = has(file.signals, SECRETS);
    const exfil = has(file.signals, ['exfil-endpoint']);
    const loadTime = has(file.signals, ['load-time-network']);
    if (secret && (exfil || loadTime) && secret.rule !== 'token-read')
      findings.push(
        ruleFinding('exfiltration-chain', `${secret.rule} + ${(exfil ?? loadTime)?.rule}`, {
          file: file.path,
          line: secret.line,
          evidence: secret.evidence,
        }),
      );
    if (atInstall && send && secret)
      findings.push(
        ruleFinding('install-time-exfiltration', `${secret.rule} + ${send.rule} in install-time code`, {
          file: file.path,
          line: send.line,
          evidence: send.evidence,
        }),
      );
    const hidden = has(file.signals, HIDDEN_EXEC);
    if (atInstall && hidden)
      findings.push(
        ruleFinding('install-time-execution-chain', `${hidden.rule} in install-time code`, {
          file: file.path,
          line: hidden.line,
          evidence: hidden.evidence,
        }),
      );
  }
  const all = [...reports.values()].flatMap((f) => f.signals);
  const geo = has(all, ['geo-targeting']);
  if (geo && has(all, ['destructive-fs']))
    findings.push(
      ruleFinding('protestware-chain', 'geo-targeting + destructive-fs', { evidence: geo.evidence }),
    );
  const wallet = has(all, ['wallet-hook']);
  if (wallet && has(all, ['crypto-addresses', 'network-hook']))
    findings.push(
      ruleFinding('clipper-chain', 'wallet-hook + address list or traffic hooks', {
        evidence: wallet.evidence,
      }),
    );
  for (const file of reports.values()) {
    if (file.incomplete === undefined) continue;
    const rule: RuleId =
      !file.parsed && file.incomplete.startsWith('parse error') ? 'parse-error' : 'scan-incomplete';
    if ((perRule.get(rule) ?? 0) < MAX_FINDINGS_PER_RULE)
      findings.push(ruleFinding(rule, file.incomplete, { file: file.path }));
    perRule.set(rule, (perRule.get(rule) ?? 0) + 1);
  }
  for (const reason of report.incomplete) findings.push(ruleFinding('scan-incomplete', reason));
  for (const problem of report.problems.slice(0, 20))
    findings.push(
      ruleFinding(
        // Duplicate entries come from old npm pack bugs; over-size files are simply not analysed.
        problem.kind === 'duplicate-path'
          ? 'tarball-oddity'
          : problem.kind === 'file-too-large'
            ? 'scan-incomplete'
            : 'tarball-problem',
        `${problem.kind}: ${problem.detail}`,
        problem.path !== undefined ? { file: problem.path } : {},
      ),
    );
  return findings;
}
