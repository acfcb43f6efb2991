import semver from 'semver';
import { AirlockError } from '../errors.js';
import { packageNameFromPath, type NpmPackageName } from './package-name.js';

/** What an npm client asked for, parsed from the raw (still encoded) path after `/npm`. */
export type NpmRequest =
  | { readonly kind: 'packument'; readonly pkg: NpmPackageName }
  | { readonly kind: 'version'; readonly pkg: NpmPackageName; readonly spec: string }
  | { readonly kind: 'tarball'; readonly pkg: NpmPackageName; readonly version: string }
  | { readonly kind: 'dist-tags'; readonly pkg: NpmPackageName }
  | { readonly kind: 'special'; readonly path: string };

/** Parses `/lodash`, `/@scope%2fname`, `/@scope/name/1.0.0`, `/name/-/name-1.0.0.tgz`, `/-/…`. */
export function parseNpmPath(rawPath: string): NpmRequest {
  const path = rawPath.split('?')[0] ?? '';
  if (path.length > 1024)
    throw new AirlockError('BAD_REQUEST', 'request path is longer than 1024 characters');
  const segments = path.split('/').filter((s) => s.length > 0);
  if (segments[0] === '-') {
    if (segments[1] === 'package' && segments.length >= 4 && segments.at(-1) === 'dist-tags') {
      return { kind: 'dist-tags', pkg: packageNameFromPath(segments.slice(2, -1).join('/')) };
    }
    return { kind: 'special', path: `/${segments.join('/')}` };
  }
  // A scoped name is one segment when encoded (`@scope%2fname`) and two when not (`@scope/name`).
  const first = segments[0] ?? '';
  const nameSegments = first.startsWith('@') && !/%2f/i.test(first) ? 2 : 1;
  if (segments.length < nameSegments) throw new AirlockError('NOT_FOUND', `no package in path ${path}`);
  const pkg = packageNameFromPath(segments.slice(0, nameSegments).join('/'));
  const rest = segments.slice(nameSegments);
  if (rest.length === 0) return { kind: 'packument', pkg };
  if (rest.length === 1) return { kind: 'version', pkg, spec: decodeSegment(rest[0] ?? '') };
  if (rest.length === 2 && rest[0] === '-')
    return { kind: 'tarball', pkg, version: versionFromFile(pkg, rest[1] ?? '') };
  throw new AirlockError('NOT_FOUND', `no npm route for ${path}`);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new AirlockError(
      'BAD_REQUEST',
      `path segment ${JSON.stringify(segment.slice(0, 80))} is not valid URL encoding`,
    );
  }
}

/** `lodash-4.17.21.tgz` → `4.17.21`; the file must belong to the package and name a valid version. */
function versionFromFile(pkg: NpmPackageName, rawFile: string): string {
  const file = decodeSegment(rawFile);
  const bare = pkg.scope ? pkg.name.slice(pkg.scope.length + 1) : pkg.name;
  const version = file.startsWith(`${bare}-`) && file.endsWith('.tgz') ? file.slice(bare.length + 1, -4) : '';
  if (!semver.valid(version) || semver.valid(version) !== version) {
    throw new AirlockError('NOT_FOUND', `${file.slice(0, 120)} is not a tarball of ${pkg.name}`);
  }
  return version;
}
