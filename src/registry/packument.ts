import semver from 'semver';
import { AirlockError } from '../errors.js';

type Json = Record<string, unknown>;

/** What Airlock needs of one upstream version without re-reading the whole packument. */
export interface VersionEntry {
  readonly version: string;
  readonly tarballUrl: string;
  /** `sha512-…` when upstream gives it, else `sha1-…` from `shasum`. */
  readonly integrity: string;
  readonly publishedAt: string | undefined;
  readonly manifest: Json;
}

/** An upstream packument after validation: only well-formed versions survive. */
export interface Packument {
  readonly name: string;
  readonly raw: Json;
  readonly versions: ReadonlyMap<string, VersionEntry>;
  readonly distTags: ReadonlyMap<string, string>;
  /** Versions dropped as malformed, with the reason (logged by the caller). */
  readonly dropped: readonly { version: string; reason: string }[];
}

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parses and validates an upstream (or private) packument; `expectedName` must match its `name`. */
export function parsePackument(body: Buffer | string, expectedName: string): Packument {
  let raw: unknown;
  try {
    raw = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  } catch (cause) {
    throw new AirlockError('UPSTREAM_INVALID', `packument of ${expectedName} is not valid JSON`, { cause });
  }
  if (!isObject(raw))
    throw new AirlockError('UPSTREAM_INVALID', `packument of ${expectedName} is not an object`);
  if (raw.name !== expectedName) {
    throw new AirlockError(
      'UPSTREAM_INVALID',
      `packument asked for ${expectedName} names ${JSON.stringify(raw.name)}; refusing a document for another package`,
    );
  }
  const rawVersions = isObject(raw.versions) ? raw.versions : {};
  const rawTime = isObject(raw.time) ? raw.time : {};
  const versions = new Map<string, VersionEntry>();
  const dropped: { version: string; reason: string }[] = [];
  for (const [key, value] of Object.entries(rawVersions)) {
    const reason = invalidVersionReason(key, value, expectedName);
    if (reason) {
      dropped.push({ version: key.slice(0, 100), reason });
      continue;
    }
    const manifest = value as Json;
    const dist = manifest.dist as Json;
    const published = rawTime[key];
    versions.set(key, {
      version: key,
      tarballUrl: dist.tarball as string,
      integrity: typeof dist.integrity === 'string' ? dist.integrity : shasumIntegrity(dist.shasum as string),
      publishedAt:
        typeof published === 'string' && !Number.isNaN(Date.parse(published)) ? published : undefined,
      manifest,
    });
  }
  const distTags = new Map<string, string>();
  if (isObject(raw['dist-tags'])) {
    for (const [tag, version] of Object.entries(raw['dist-tags'])) {
      if (typeof version === 'string' && versions.has(version) && /^[A-Za-z0-9._-]{1,64}$/.test(tag)) {
        distTags.set(tag, version);
      }
    }
  }
  return { name: expectedName, raw, versions, distTags, dropped };
}

function invalidVersionReason(key: string, value: unknown, name: string): string | undefined {
  if (semver.valid(key) !== key) return 'not a valid semver version';
  if (!isObject(value)) return 'manifest is not an object';
  if (value.version !== key) return 'manifest version differs from its key';
  if (value.name !== undefined && value.name !== name) return 'manifest names another package';
  const dist = value.dist;
  if (!isObject(dist) || typeof dist.tarball !== 'string') return 'no dist.tarball';
  const hasSha512 = typeof dist.integrity === 'string' && /^sha512-[A-Za-z0-9+/]{86}==$/.test(dist.integrity);
  const hasSha1 = typeof dist.shasum === 'string' && /^[a-f0-9]{40}$/.test(dist.shasum);
  if (typeof dist.integrity === 'string' && !hasSha512 && !dist.integrity.startsWith('sha1-')) {
    return 'dist.integrity is not sha512';
  }
  if (!hasSha512 && !hasSha1) return 'no usable dist.integrity or dist.shasum';
  return undefined;
}

function shasumIntegrity(hex: string): string {
  return `sha1-${Buffer.from(hex, 'hex').toString('base64')}`;
}

/** The tarball file name clients request for `version` (`pkg-1.0.0.tgz`, scope stripped). */
export function tarballFileName(name: string, version: string): string {
  const bare = name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name;
  return `${bare}-${version}.tgz`;
}

/** The versions a resolver is likely to pick: every dist-tag and the newest release of each major. */
export function likelyVersions(packument: Packument): string[] {
  const picks = new Set(packument.distTags.values());
  const newestPerMajor = new Map<number, string>();
  for (const version of packument.versions.keys()) {
    if (semver.prerelease(version)) continue;
    const major = semver.major(version);
    const current = newestPerMajor.get(major);
    if (!current || semver.gt(version, current)) newestPerMajor.set(major, version);
  }
  for (const version of newestPerMajor.values()) picks.add(version);
  return [...picks];
}
