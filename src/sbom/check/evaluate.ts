import { isAtLeast, severities, type Finding, type Severity } from '../../core/finding.js';
import type { PackageVersionRef } from '../../core/package-ref.js';
import { refKey } from '../../core/package-ref.js';
import type { VulnerabilityMatcher } from '../../core/vulnerability-matcher.js';
import type { Component, DependencyGraph, LockfileLocation } from '../graph.js';
import { dependencyPaths } from './paths.js';
import { findSuppression, type VexDocument } from './vex.js';

/** One answer of `POST /api/v1/gate/check`. */
export interface GateResult {
  readonly ecosystem: string;
  readonly name: string;
  readonly version: string;
  readonly state: string;
  readonly reasons: readonly (string | { readonly rule?: string; readonly message: string })[];
}

/** The Airlock server's view of which versions it would serve. */
export interface GateStateSource {
  check(components: readonly PackageVersionRef[]): Promise<readonly GateResult[]>;
}

export interface CheckFinding {
  readonly component: Pick<Component, 'id' | 'ecosystem' | 'name' | 'version' | 'purl' | 'scope'>;
  readonly finding: Finding;
  /** root → … → component, each `name@version`: what brings it in. */
  readonly path: readonly string[];
  readonly location?: LockfileLocation;
  /** Set when a VEX statement says the component is not affected. */
  readonly suppressed?: { readonly file: string; readonly justification: string; readonly detail?: string };
}

export interface CheckReport {
  readonly target: string;
  readonly format: DependencyGraph['format'];
  readonly components: number;
  readonly threshold: Severity;
  /** True when an unsuppressed finding is at or above the threshold. */
  readonly failed: boolean;
  readonly findings: readonly CheckFinding[];
  readonly summary: {
    readonly bySeverity: Readonly<Record<Severity, number>>;
    readonly suppressed: number;
    readonly gate?: Readonly<Record<string, number>>;
  };
  readonly warnings: readonly string[];
}

export interface CheckDeps {
  readonly matcher: VulnerabilityMatcher;
  readonly gate?: GateStateSource;
  readonly vex?: readonly VexDocument[];
  readonly threshold: Severity;
}

const gateSeverity: Record<string, Severity> = { rejected: 'critical' };

/** Evaluates every component: known vulnerabilities, the server's gate state and VEX suppressions. */
export async function runCheck(graph: DependencyGraph, deps: CheckDeps): Promise<CheckReport> {
  const withVersion = graph.components.filter((c) => c.version !== '');
  const refs: PackageVersionRef[] = withVersion.map((c) => ({
    ecosystem: c.ecosystem,
    name: c.name,
    version: c.version,
  }));
  const matches = await deps.matcher.matchMany(refs);
  const raw: { component: Component; finding: Finding }[] = [];
  for (const c of withVersion) {
    for (const finding of matches.get(refKey(c)) ?? []) raw.push({ component: c, finding });
  }
  const warnings = [...graph.warnings];
  let gateSummary: Record<string, number> | undefined;
  if (deps.gate) {
    const registry = withVersion.filter((c) => c.source.kind === 'registry');
    const results = await deps.gate.check(
      registry.map((c) => ({ ecosystem: c.ecosystem, name: c.name, version: c.version })),
    );
    const byKey = new Map(registry.map((c) => [refKey(c), c]));
    gateSummary = {};
    for (const r of results) {
      gateSummary[r.state] = (gateSummary[r.state] ?? 0) + 1;
      const c = byKey.get(`${r.ecosystem}:${r.name}@${r.version}`);
      if (!c || r.state === 'approved') continue;
      const reasons = r.reasons.map((x) => (typeof x === 'string' ? x : x.message)).filter(Boolean);
      raw.push({
        component: c,
        finding: {
          analyzer: 'gate',
          rule: `gate-${r.state}`,
          severity: gateSeverity[r.state] ?? 'high',
          message: `${c.name}@${c.version} is ${r.state} on the Airlock server${reasons.length ? `: ${reasons.join('; ')}` : ''}`,
        },
      });
    }
  }
  const paths = dependencyPaths(graph);
  const bySeverity = Object.fromEntries(severities.map((s) => [s, 0])) as Record<Severity, number>;
  let suppressedCount = 0;
  let failed = false;
  const findings: CheckFinding[] = raw.map(({ component: c, finding }) => {
    const advisoryIds = finding.advisory ? [finding.advisory.id, ...(finding.advisory.aliases ?? [])] : [];
    const statement =
      advisoryIds.length > 0 && deps.vex ? findSuppression(deps.vex, c.purl, advisoryIds) : undefined;
    if (statement) suppressedCount++;
    else {
      bySeverity[finding.severity]++;
      if (isAtLeast(finding.severity, deps.threshold)) failed = true;
    }
    return {
      component: {
        id: c.id,
        ecosystem: c.ecosystem,
        name: c.name,
        version: c.version,
        purl: c.purl,
        scope: c.scope,
      },
      finding,
      path: paths.get(c.id) ?? [c.version ? `${c.name}@${c.version}` : c.name],
      ...(c.location ? { location: c.location } : {}),
      ...(statement
        ? {
            suppressed: {
              file: statement.file,
              justification: statement.justification ?? 'not_affected',
              ...(statement.detail ? { detail: statement.detail } : {}),
            },
          }
        : {}),
    };
  });
  for (const doc of deps.vex ?? []) {
    if (doc.ignored > 0)
      warnings.push(
        `${doc.file}: ${doc.ignored} not_affected statement(s) without a justification were not applied`,
      );
  }
  findings.sort(
    (a, b) =>
      severities.indexOf(b.finding.severity) - severities.indexOf(a.finding.severity) ||
      a.component.id.localeCompare(b.component.id) ||
      a.finding.rule.localeCompare(b.finding.rule),
  );
  return {
    target: graph.file,
    format: graph.format,
    components: graph.components.length,
    threshold: deps.threshold,
    failed,
    findings,
    summary: { bySeverity, suppressed: suppressedCount, ...(gateSummary ? { gate: gateSummary } : {}) },
    warnings,
  };
}
