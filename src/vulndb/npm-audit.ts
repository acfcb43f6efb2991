import semver from 'semver';
import type { Severity } from '../core/finding.js';
import { severities, severityRank } from '../core/finding.js';
import type { Ecosystem } from '../core/package-ref.js';
import { AirlockError } from '../errors.js';
import type { Advisory, AffectedPackage } from './advisory.js';
import type { AdvisoryMatch } from './advisory-index.js';
import { groupMatches } from './finding-merge.js';
import { compareVersionText } from './versions/ecosystem-order.js';

/** What the audit endpoints need from the matcher (`OsvVulnerabilityMatcher` has it). */
export interface AdvisoryLookup {
  matchAdvisories(ecosystem: Ecosystem, name: string, version: string): Promise<AdvisoryMatch[]>;
}

/** One advisory in the shape `POST /-/npm/v1/security/advisories/bulk` answers with. */
export interface BulkAdvisory {
  readonly id: number;
  readonly url: string;
  readonly title: string;
  readonly severity: Severity;
  readonly vulnerable_versions: string;
  readonly cwe: readonly string[];
  readonly cvss: { readonly score: number; readonly vectorString: string | null };
}

const limits = { packages: 50_000, versionsPerPackage: 1_000, nodes: 200_000, depth: 128 };
// npm's range dialect, as its audit code tests versions: pre-releases included, loose parsing.
const npmRangeOptions = { includePrerelease: true, loose: true } as const;

/** npm's numeric advisory ids: a stable 31-bit hash of the advisory id (npm only needs it unique). */
export function numericAdvisoryId(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return (hash >>> 1) + 1;
}

/** Answers npm's bulk audit: `{ name: [versions] }` in, advisories per name out, from Airlock's own database. */
export async function auditBulk(
  lookup: AdvisoryLookup,
  body: unknown,
): Promise<Record<string, BulkAdvisory[]>> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new AirlockError('BAD_REQUEST', 'bulk audit body must be an object of package name → versions');
  const entries = Object.entries(body as Record<string, unknown>);
  if (entries.length > limits.packages)
    throw new AirlockError('PAYLOAD_TOO_LARGE', `bulk audit names more than ${limits.packages} packages`);
  const result: Record<string, BulkAdvisory[]> = Object.create(null) as Record<string, BulkAdvisory[]>;
  for (const [name, versions] of entries) {
    if (!Array.isArray(versions) || versions.length > limits.versionsPerPackage)
      throw new AirlockError(
        'BAD_REQUEST',
        `bulk audit entry "${name.slice(0, 100)}" must be a list of versions`,
      );
    const asked = versions.filter((v): v is string => typeof v === 'string' && v.length <= 256);
    const advisories = await advisoriesOf(lookup, name, asked);
    if (advisories.length > 0) result[name] = advisories.map((a) => a.bulk);
  }
  return result;
}

interface GroupedAdvisory {
  readonly bulk: BulkAdvisory;
  readonly primary: Advisory;
  readonly aliases: readonly string[];
  readonly versions: readonly string[];
  readonly fixedIn: readonly string[];
}

/** Matches every asked version and merges aliases, one entry per advisory group with its npm range. */
async function advisoriesOf(
  lookup: AdvisoryLookup,
  name: string,
  versions: readonly string[],
): Promise<GroupedAdvisory[]> {
  const groups = new Map<
    string,
    { members: Map<string, Advisory>; versions: Set<string>; fixed: Set<string> }
  >();
  for (const version of new Set(versions)) {
    for (const group of groupMatches(await lookup.matchAdvisories('npm', name, version))) {
      const key = group[0]!.advisory.id;
      let entry = groups.get(key);
      if (!entry) groups.set(key, (entry = { members: new Map(), versions: new Set(), fixed: new Set() }));
      for (const m of group) {
        entry.members.set(m.advisory.id, m.advisory);
        for (const f of m.fixedIn) entry.fixed.add(f);
      }
      entry.versions.add(version);
    }
  }
  const out: GroupedAdvisory[] = [];
  for (const [primaryId, entry] of groups) {
    const members = [...entry.members.values()];
    const primary = entry.members.get(primaryId)!;
    let severity: Severity = primary.severity;
    let score: { score: number; vectorString: string | null } = { score: 0, vectorString: null };
    for (const a of members) {
      if (severityRank(a.severity) > severityRank(severity)) severity = a.severity;
      if (a.cvssScore !== undefined && a.cvssScore > score.score)
        score = { score: a.cvssScore, vectorString: a.cvssVector ?? null };
    }
    if (members.some((a) => a.malware)) severity = 'critical';
    const aliases = [...new Set(members.flatMap((a) => [a.id, ...a.aliases]))]
      .filter((id) => id !== primaryId)
      .sort();
    out.push({
      primary,
      aliases,
      versions: [...entry.versions],
      fixedIn: [...entry.fixed].sort((a, b) => compareVersionText('npm', a, b)),
      bulk: {
        id: numericAdvisoryId(primaryId),
        url: primary.url,
        title: members.find((a) => a.summary !== '')?.summary ?? primaryId,
        severity,
        vulnerable_versions: npmRange(members, name, [...entry.versions], versions),
        cwe: [...new Set(members.flatMap((a) => a.cwes))],
        cvss: score,
      },
    });
  }
  return out.sort((a, b) => a.bulk.id - b.bulk.id);
}

/**
 * The advisory's affected versions in npm's range dialect, which npm re-tests every installed version against.
 * The range is checked against our own matching for every version npm asked about; when the two disagree
 * (versions node-semver reads differently), the exact affected versions are listed instead.
 */
export function npmRange(
  members: readonly Advisory[],
  name: string,
  affected: readonly string[],
  asked: readonly string[],
): string {
  const parts: string[] = [];
  for (const a of members)
    for (const p of a.affected) if (p.ecosystem === 'npm' && p.name === name) parts.push(...rangeParts(p));
  const range = parts.join(' || ');
  const valid = range !== '' && semver.validRange(range, npmRangeOptions) !== null;
  const affectedSet = new Set(affected);
  const agrees =
    valid && asked.every((v) => semver.satisfies(v, range, npmRangeOptions) === affectedSet.has(v));
  return agrees ? range : affected.join(' || ');
}

function rangeParts(p: AffectedPackage): string[] {
  const parts = [...p.versions];
  for (const range of p.ranges) {
    const events = range.events
      .map((e) =>
        'introduced' in e
          ? { k: 0, v: e.introduced }
          : 'fixed' in e
            ? { k: 1, v: e.fixed }
            : 'lastAffected' in e
              ? { k: 2, v: e.lastAffected }
              : { k: 3, v: e.limit },
      )
      .filter((e) => e.k !== 3)
      .sort((a, b) =>
        a.v === '0' ? -1 : b.v === '0' ? 1 : compareVersionText('npm', a.v, b.v) || a.k - b.k,
      );
    const limit = range.events.find((e) => 'limit' in e && e.limit !== '*') as { limit: string } | undefined;
    let open: string | undefined;
    const close = (upper: string | undefined) => {
      if (open === undefined) return;
      const bounds = [open === '0' ? '' : `>=${open}`, upper ?? '', limit ? `<${limit.limit}` : ''].filter(
        (b) => b !== '',
      );
      parts.push(bounds.length > 0 ? bounds.join(' ') : '*');
      open = undefined;
    };
    for (const e of events) {
      if (e.k === 0) open ??= e.v;
      else close(e.k === 1 ? `<${e.v}` : `<=${e.v}`);
    }
    if (open !== undefined) close(p.lastKnownAffected?.replace(/\s+/g, ''));
  }
  return parts;
}

/** The counts npm prints per severity. */
function emptyCounts(): Record<Severity, number> {
  return Object.fromEntries(severities.map((s) => [s, 0])) as Record<Severity, number>;
}

interface TreeNode {
  readonly name: string;
  readonly version: string;
  readonly path: string;
  readonly dev: boolean;
}

/** Answers the older quick audit (`/-/npm/v1/security/audits/quick`): a dependency tree in, npm 6's report out. */
export async function auditQuick(lookup: AdvisoryLookup, body: unknown): Promise<Record<string, unknown>> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new AirlockError('BAD_REQUEST', 'quick audit body must be an npm audit document');
  const nodes = collectNodes((body as { dependencies?: unknown }).dependencies);
  const byName = new Map<string, TreeNode[]>();
  for (const node of nodes) {
    const list = byName.get(node.name);
    if (list) list.push(node);
    else byName.set(node.name, [node]);
  }
  const advisories: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const counts = emptyCounts();
  for (const [name, list] of byName) {
    for (const g of await advisoriesOf(
      lookup,
      name,
      list.map((n) => n.version),
    )) {
      const findings = g.versions.map((version) => ({
        version,
        paths: list.filter((n) => n.version === version).map((n) => n.path),
      }));
      counts[g.bulk.severity] += findings.reduce((sum, f) => sum + f.paths.length, 0);
      advisories[String(g.bulk.id)] = {
        id: g.bulk.id,
        title: g.bulk.title,
        module_name: name,
        vulnerable_versions: g.bulk.vulnerable_versions,
        patched_versions: g.fixedIn.length > 0 ? `>=${g.fixedIn[0]}` : '<0.0.0',
        severity: g.bulk.severity,
        cwe: g.bulk.cwe[0] ?? null,
        cves: g.aliases.filter((a) => a.startsWith('CVE-')),
        github_advisory_id: g.primary.id.startsWith('GHSA-')
          ? g.primary.id
          : (g.aliases.find((a) => a.startsWith('GHSA-')) ?? null),
        url: g.bulk.url,
        overview: g.bulk.title,
        recommendation: g.fixedIn.length > 0 ? `Upgrade to version ${g.fixedIn[0]} or later` : 'None',
        references: g.bulk.url,
        access: 'public',
        created: g.primary.published ?? g.primary.modified,
        updated: g.primary.modified,
        deleted: null,
        found_by: null,
        reported_by: null,
        metadata: null,
        findings,
      };
    }
  }
  const dev = nodes.filter((n) => n.dev).length;
  return {
    actions: [],
    advisories,
    muted: [],
    metadata: {
      vulnerabilities: counts,
      dependencies: nodes.length - dev,
      devDependencies: dev,
      optionalDependencies: 0,
      totalDependencies: nodes.length,
    },
  };
}

/** Walks npm 6's nested `dependencies` tree, bounded in depth and size (the body is attacker-controlled). */
function collectNodes(root: unknown): TreeNode[] {
  const nodes: TreeNode[] = [];
  const walk = (deps: unknown, prefix: string, depth: number) => {
    if (typeof deps !== 'object' || deps === null || Array.isArray(deps)) return;
    if (depth > limits.depth)
      throw new AirlockError('BAD_REQUEST', `dependency tree deeper than ${limits.depth}`);
    for (const [name, value] of Object.entries(deps as Record<string, unknown>)) {
      if (typeof value !== 'object' || value === null) continue;
      const { version, dev, dependencies } = value as {
        version?: unknown;
        dev?: unknown;
        dependencies?: unknown;
      };
      const path = prefix === '' ? name : `${prefix}>${name}`;
      if (typeof version === 'string' && version.length <= 256) {
        if (nodes.length >= limits.nodes)
          throw new AirlockError('PAYLOAD_TOO_LARGE', `more than ${limits.nodes} dependencies`);
        nodes.push({ name, version, path, dev: dev === true });
      }
      walk(dependencies, path, depth + 1);
    }
  };
  walk(root, '', 0);
  return nodes;
}
