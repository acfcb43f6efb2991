import type { VersionFacts } from '../core/facts.js';

/** What earlier versions of a package tell about its provenance. */
export interface EarlierProvenance {
  /** The most recent earlier version that had provenance or trusted publishing, if any. */
  readonly lastWithProvenance?: string;
  /** The source repository earlier versions were built from (newest first), if known. */
  readonly lastSourceRepo?: { readonly version: string; readonly repo: string };
}

/** Facts already stored for an earlier version (the gate passes them when it has them). */
export interface EarlierVersionFacts {
  readonly version: string;
  readonly publishedAt?: string;
  readonly facts: VersionFacts;
}

/**
 * Walks the packument's versions published before `publishedAt` (by `time`) and the stored facts of earlier
 * versions: did they carry attestations or a trusted publisher, and from which repository?
 */
export function earlierProvenance(
  packument: Readonly<Record<string, unknown>> | undefined,
  version: string,
  publishedAt: Date | undefined,
  stored: readonly EarlierVersionFacts[] = [],
): EarlierProvenance {
  const candidates: { version: string; at: number; provenance: boolean; repo?: string }[] = [];
  const versions = asRecord(packument?.versions);
  const times = asRecord(packument?.time);
  const cutoff = publishedAt?.getTime();
  if (versions && times && cutoff !== undefined) {
    for (const [v, manifest] of Object.entries(versions)) {
      if (v === version) continue;
      const at = Date.parse(typeof times[v] === 'string' ? times[v] : '');
      if (!Number.isFinite(at) || at >= cutoff) continue;
      const m = asRecord(manifest);
      const provenance = hasUpstreamProvenance(m);
      // npm refuses provenance publishes whose repository differs from the provenance, so only then is the
      // declared repository evidence of where the version was built.
      candidates.push({ version: v, at, provenance, repo: provenance ? declaredRepository(m) : undefined });
    }
  }
  for (const entry of stored) {
    if (entry.version === version) continue;
    const at = Date.parse(entry.publishedAt ?? '');
    if (cutoff !== undefined && Number.isFinite(at) && at >= cutoff) continue;
    candidates.push({
      version: entry.version,
      at: Number.isFinite(at) ? at : -Infinity,
      provenance: entry.facts.hasProvenance === true,
      repo: entry.facts.sourceRepo === undefined ? undefined : normalizeRepoUrl(entry.facts.sourceRepo),
    });
  }
  candidates.sort((a, b) => b.at - a.at);
  const withProvenance = candidates.find((c) => c.provenance);
  const withRepo = candidates.find((c) => c.repo !== undefined);
  return {
    lastWithProvenance: withProvenance?.version,
    lastSourceRepo:
      withRepo?.repo === undefined ? undefined : { version: withRepo.version, repo: withRepo.repo },
  };
}

/** Whether upstream's manifest claims provenance (`dist.attestations`) or trusted publishing. */
export function hasUpstreamProvenance(manifest: Readonly<Record<string, unknown>> | undefined): boolean {
  const dist = asRecord(manifest?.dist);
  const attestations = asRecord(dist?.attestations);
  if (attestations && asRecord(attestations.provenance)) return true;
  const npmUser = asRecord(manifest?._npmUser);
  return npmUser?.trustedPublisher !== undefined && npmUser.trustedPublisher !== null;
}

/** `git+https://github.com/O/R.git` → `https://github.com/o/r`, so spellings of one repository compare equal. */
export function normalizeRepoUrl(url: string): string {
  let text = url.trim();
  const shorthand = /^(?:github:)?([\w.-]+)\/([\w.-]+)$/.exec(text);
  if (shorthand) text = `https://github.com/${shorthand[1]}/${shorthand[2]}`;
  text = text
    .replace(/^git\+/, '')
    .replace(/^git:\/\//, 'https://')
    .replace(/^ssh:\/\/git@/, 'https://')
    .replace(/^git@([^:]+):/, 'https://$1/')
    .replace(/#.*$/, '')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '');
  return text.toLowerCase();
}

function declaredRepository(manifest: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const repository = manifest?.repository;
  if (typeof repository === 'string') return normalizeRepoUrl(repository);
  const url = asRecord(repository)?.url;
  return typeof url === 'string' ? normalizeRepoUrl(url) : undefined;
}

function asRecord(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
