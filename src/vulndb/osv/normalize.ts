import type { Ecosystem } from '../../core/package-ref.js';
import type { Advisory, AffectedPackage, AffectedRange, RangeEvent } from '../advisory.js';
import { ecosystemOf, normalizePackageName } from '../advisory.js';
import { advisorySeverity } from '../severity.js';
import { versionOrder } from '../versions/ecosystem-order.js';
import type { OsvAffected, OsvEvent, OsvRecord } from './osv-schema.js';

export type NormalizeResult =
  | { readonly ok: true; readonly advisory: Advisory }
  | { readonly ok: false; readonly reason: string; readonly ignored?: true };

/**
 * Turns a validated OSV record into an Advisory, or says why it cannot be used. A record with an unknown range
 * type or an invalid version is rejected whole: matching half of it would give wrong answers. GIT ranges are
 * dropped (they name commits, not versions) without touching the record's other ranges.
 */
export function normalizeOsvRecord(record: OsvRecord): NormalizeResult {
  const affected: AffectedPackage[] = [];
  for (const [index, entry] of (record.affected ?? []).entries()) {
    const ecosystem = entry.package ? ecosystemOf(entry.package.ecosystem) : undefined;
    if (!entry.package || !ecosystem) continue;
    const result = normalizeAffected(ecosystem, entry);
    if (typeof result === 'string') return { ok: false, reason: `affected[${index}]: ${result}` };
    affected.push(result);
  }
  // Another ecosystem's record (a GHSA tree holds Maven, Go, …): not an error, just not ours.
  if (affected.length === 0)
    return { ok: false, reason: 'no npm or PyPI package in affected[]', ignored: true };
  const malware = record.id.startsWith('MAL-');
  const verdict = advisorySeverity(record.severity ?? [], record.database_specific?.severity, malware);
  const aliases = [...new Set(record.aliases ?? [])].filter((a) => a !== record.id).sort();
  const advisory: Advisory = {
    id: record.id,
    aliases,
    summary: (record.summary ?? record.details ?? '').split('\n')[0]!.slice(0, 300),
    modified: record.modified,
    ...(record.published !== undefined ? { published: record.published } : {}),
    ...(record.withdrawn !== undefined ? { withdrawn: record.withdrawn } : {}),
    malware,
    severity: verdict.severity,
    severitySource: verdict.source,
    ...(verdict.cvssScore !== undefined ? { cvssScore: verdict.cvssScore } : {}),
    ...(verdict.cvssVector !== undefined ? { cvssVector: verdict.cvssVector } : {}),
    cwes: record.database_specific?.cwe_ids ?? [],
    url: advisoryUrl(record),
    affected,
  };
  return { ok: true, advisory };
}

function normalizeAffected(ecosystem: Ecosystem, entry: OsvAffected): AffectedPackage | string {
  const order = versionOrder(ecosystem);
  const ranges: AffectedRange[] = [];
  let lastKnownAffected = entry.database_specific?.last_known_affected_version_range;
  for (const [index, range] of (entry.ranges ?? []).entries()) {
    if (range.type === 'GIT') continue;
    if (range.type !== 'SEMVER' && range.type !== 'ECOSYSTEM')
      return `ranges[${index}] has unknown type "${range.type}"`;
    const events: RangeEvent[] = [];
    for (const event of range.events) {
      const converted = convertEvent(event);
      const version = Object.values(converted)[0] as string;
      const isZero = 'introduced' in converted && version === '0';
      const isStar = 'limit' in converted && version === '*';
      if (!isZero && !isStar && order.parseStrict(version) === undefined)
        return `ranges[${index}] has invalid ${ecosystem} version "${version}"`;
      events.push(converted);
    }
    if (!events.some((e) => 'introduced' in e)) return `ranges[${index}] has no introduced event`;
    ranges.push({ type: range.type, events });
    lastKnownAffected ??= range.database_specific?.last_known_affected_version_range;
  }
  const versions = entry.versions ?? [];
  if (ranges.length === 0 && versions.length === 0 && (entry.ranges ?? []).length > 0)
    return 'only GIT ranges and no versions[]';
  if (lastKnownAffected !== undefined && !/^\s*<=?\s*\S+\s*$/.test(lastKnownAffected))
    return `last_known_affected_version_range "${lastKnownAffected}" is not "< v" or "<= v"`;
  return {
    ecosystem,
    name: normalizePackageName(ecosystem, entry.package!.name),
    versions,
    ranges,
    ...(lastKnownAffected !== undefined ? { lastKnownAffected: lastKnownAffected.trim() } : {}),
  };
}

function convertEvent(event: OsvEvent): RangeEvent {
  if (event.introduced !== undefined) return { introduced: event.introduced };
  if (event.fixed !== undefined) return { fixed: event.fixed };
  if (event.last_affected !== undefined) return { lastAffected: event.last_affected };
  return { limit: event.limit! };
}

/** The advisory's own page: the ADVISORY reference, else OSV's page for the id. */
function advisoryUrl(record: OsvRecord): string {
  const advisoryRef = record.references?.find((r) => r.type === 'ADVISORY' && /^https:\/\//.test(r.url));
  if (record.id.startsWith('GHSA-')) return `https://github.com/advisories/${record.id}`;
  return advisoryRef?.url ?? `https://osv.dev/vulnerability/${record.id}`;
}
