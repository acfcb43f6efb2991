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

/** What a lockfile tells the policy about one component. */
export interface PolicyComponent {
  readonly ref: PackageVersionRef;
  readonly license?: string;
  readonly installScripts?: boolean;
}

/** One rule of the policy that would not let a component through. */
export interface PolicyObjection {
  readonly rule: string;
  readonly outcome: 'review' | 'reject';
  readonly message: string;
}

/**
 * The policy, applied offline to what a lockfile and the local advisories say. Rules that need facts only the
 * server's scans have (publish times, malware scans, provenance) come back as `undecided`, never as passed.
 */
export interface ComponentPolicy {
  /** Where the policy came from, for messages (`policy.yaml`, `(default)`). */
  readonly source: string;
  judge(
    component: PolicyComponent,
    findings: readonly Finding[],
  ): { readonly objections: readonly PolicyObjection[]; readonly undecided: readonly string[] };
}

export interface CheckDeps {
  readonly matcher: VulnerabilityMatcher;
  readonly gate?: GateStateSource;
  readonly policy?: ComponentPolicy;
  readonly vex?: readonly VexDocument[];
  readonly threshold: Severity;
}

const gateSeverity: Record<string, Severity> = { rejected: 'critical' };
// A policy reject fails CI at the default threshold; a hold for review is shown but does not.
const policySeverity: Record<PolicyObjection['outcome'], Severity> = { reject: 'high', review: 'moderate' };

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
  if (deps.policy)
    warnings.push(...applyPolicy(deps.policy, withVersion, matches, raw, deps.gate !== undefined));
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

/** Adds the policy's objections to `raw`; returns the warning about rules a lockfile cannot decide. */
function applyPolicy(
  policy: ComponentPolicy,
  components: readonly Component[],
  matches: ReadonlyMap<string, readonly Finding[]>,
  raw: { component: Component; finding: Finding }[],
  serverAsked: boolean,
): string[] {
  const undecided = new Map<string, number>();
  // Only registry packages pass through the gate; the project's own directories and links never do.
  for (const c of components.filter((c) => c.source.kind === 'registry')) {
    const verdict = policy.judge(
      {
        ref: { ecosystem: c.ecosystem, name: c.name, version: c.version },
        ...(c.license ? { license: c.license } : {}),
        ...(c.installScripts !== undefined ? { installScripts: c.installScripts } : {}),
      },
      matches.get(refKey(c)) ?? [],
    );
    for (const rule of verdict.undecided) undecided.set(rule, (undecided.get(rule) ?? 0) + 1);
    for (const o of verdict.objections) {
      raw.push({
        component: c,
        finding: {
          analyzer: 'policy',
          rule: `policy-${o.rule}`,
          severity: policySeverity[o.outcome],
          message: `the policy (${policy.source}) would ${o.outcome === 'reject' ? 'reject' : 'hold for review'} ${c.name}@${c.version}: ${o.message}`,
        },
      });
    }
  }
  if (undecided.size === 0 || serverAsked) return [];
  const rules = [...undecided].map(([rule, n]) => `${rule} (${n})`).join(', ');
  return [
    `policy rules that need the server's scans were not decided from the lockfile: ${rules}; --server shows what the gate decided`,
  ];
}
