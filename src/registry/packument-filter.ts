import semver from 'semver';
import { tarballFileName, type Packument, type VersionEntry } from './packument.js';

type Json = Record<string, unknown>;

/** The fields npm's abbreviated ("corgi") document keeps per version: what an install needs. */
const installFields = [
  'name',
  'version',
  'deprecated',
  'dependencies',
  'optionalDependencies',
  'devDependencies',
  'bundleDependencies',
  'bundledDependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'acceptDependencies',
  'bin',
  'directories',
  'dist',
  'engines',
  'os',
  'cpu',
  'libc',
  '_hasShrinkwrap',
  'hasInstallScript',
  'funding',
] as const;

/** Top-level fields that never leave Airlock as upstream sent them. */
const replacedTopLevel = new Set(['versions', 'time', 'dist-tags', '_attachments', '_rev']);

export interface RenderedPackument {
  readonly full: Buffer;
  readonly abbreviated: Buffer;
  readonly visibleVersions: number;
}

/**
 * Builds the documents clients see: hidden versions removed from `versions`, `time` and `dist-tags`,
 * tags moved to the highest visible version not above upstream's, tarball URLs pointing at Airlock.
 * Everything else of each manifest (`_npmUser`, `dist.signatures`, `dist.attestations`) is kept as is.
 */
export function renderPackument(
  packument: Packument,
  isVisible: (entry: VersionEntry) => boolean,
  tarballBase: string,
): RenderedPackument {
  const visible = [...packument.versions.values()].filter(isVisible);
  const fullVersions: Json = Object.create(null) as Json;
  const abbreviatedVersions: Json = Object.create(null) as Json;
  const time: Json = Object.create(null) as Json;
  const rawTime = (packument.raw.time ?? {}) as Json;
  for (const key of ['created', 'modified']) if (typeof rawTime[key] === 'string') time[key] = rawTime[key];

  for (const entry of visible) {
    const dist = {
      ...(entry.manifest.dist as Json),
      tarball: `${tarballBase}${tarballFileName(packument.name, entry.version)}`,
    };
    const manifest: Json = { ...entry.manifest, dist };
    fullVersions[entry.version] = manifest;
    const slim: Json = Object.create(null) as Json;
    for (const field of installFields) if (manifest[field] !== undefined) slim[field] = manifest[field];
    if (slim.hasInstallScript === undefined && hasInstallScript(entry.manifest)) slim.hasInstallScript = true;
    abbreviatedVersions[entry.version] = slim;
    if (entry.publishedAt) time[entry.version] = entry.publishedAt;
  }
  const distTags = recomputeDistTags(
    packument.distTags,
    visible.map((e) => e.version),
  );

  const full: Json = Object.create(null) as Json;
  for (const [key, value] of Object.entries(packument.raw)) if (!replacedTopLevel.has(key)) full[key] = value;
  full['dist-tags'] = distTags;
  full.versions = fullVersions;
  full.time = time;

  const abbreviated = {
    name: packument.name,
    modified: typeof rawTime.modified === 'string' ? rawTime.modified : new Date(0).toISOString(),
    'dist-tags': distTags,
    versions: abbreviatedVersions,
  };
  return {
    full: Buffer.from(JSON.stringify(full)),
    abbreviated: Buffer.from(JSON.stringify(abbreviated)),
    visibleVersions: visible.length,
  };
}

/**
 * Each tag moves to the highest visible version not above upstream's target (stable tags only to stable
 * versions), the way `npm install --before` falls back; a tag with no such version is dropped.
 */
export function recomputeDistTags(upstream: ReadonlyMap<string, string>, visible: readonly string[]): Json {
  const visibleSet = new Set(visible);
  const sorted = [...visible].sort(semver.rcompare);
  const tags: Json = Object.create(null) as Json;
  for (const [tag, target] of upstream) {
    if (visibleSet.has(target)) {
      tags[tag] = target;
      continue;
    }
    const stableOnly = semver.prerelease(target) === null;
    const fallback = sorted.find(
      (v) => semver.lte(v, target) && (!stableOnly || semver.prerelease(v) === null),
    );
    if (fallback) tags[tag] = fallback;
  }
  return tags;
}

function hasInstallScript(manifest: Json): boolean {
  const scripts = manifest.scripts;
  if (typeof scripts !== 'object' || scripts === null) return false;
  return ['preinstall', 'install', 'postinstall'].some((s) => typeof (scripts as Json)[s] === 'string');
}
