import type { Finding } from '../core/finding.js';
import type { Ecosystem } from '../core/package-ref.js';
import { AirlockError } from '../errors.js';
import type { Advisory } from './advisory.js';
import { normalizePackageName } from './advisory.js';
import { AdvisoryIndex } from './advisory-index.js';
import type { AdvisoryStore } from './advisory-store.js';
import { mergeMatches } from './finding-merge.js';

export interface PackageSpec {
  readonly ecosystem: Ecosystem;
  readonly name: string;
  readonly version?: string;
}

/** `lodash@4.17.15`, `@scope/pkg@1.0.0`, `pypi:Jinja2@2.10`, `lodash` (every advisory of the package). */
export function parsePackageSpec(text: string, ecosystem: Ecosystem = 'npm'): PackageSpec {
  let rest = text.trim();
  const prefixed = /^(npm|pypi):(.+)$/i.exec(rest);
  if (prefixed) {
    ecosystem = prefixed[1]!.toLowerCase() as Ecosystem;
    rest = prefixed[2]!;
  }
  const at = rest.lastIndexOf('@');
  const name = at > 0 ? rest.slice(0, at) : rest;
  const version = at > 0 ? rest.slice(at + 1) : undefined;
  if (!/^(@[a-z0-9][\w.-]*\/)?[A-Za-z0-9][\w.-]*$/.test(name) || name.length > 214)
    throw new AirlockError(
      'INVALID_PACKAGE_NAME',
      `"${name}" is not a package name; write e.g. lodash@4.17.15 or pypi:jinja2@2.10`,
    );
  if (version !== undefined && !/^\S{1,256}$/.test(version))
    throw new AirlockError('INVALID_VERSION', `"${version}" is not a version; write e.g. lodash@4.17.15`);
  return { ecosystem, name, ...(version !== undefined ? { version } : {}) };
}

/** What `vulndb query` shows: findings for one version, or every advisory naming the package. */
export type QueryResult =
  | { readonly kind: 'version'; readonly spec: PackageSpec; readonly findings: readonly Finding[] }
  | { readonly kind: 'package'; readonly spec: PackageSpec; readonly advisories: readonly Advisory[] };

/** Answers from the database directly, matching through the same index code the matcher uses. */
export async function queryPackage(store: AdvisoryStore, spec: PackageSpec): Promise<QueryResult> {
  const name = normalizePackageName(spec.ecosystem, spec.name);
  const advisories = await store.forPackage(spec.ecosystem, name);
  if (spec.version === undefined)
    return { kind: 'package', spec, advisories: advisories.filter((a) => a.withdrawn === undefined) };
  const index = new AdvisoryIndex();
  for (const a of advisories) index.add(a);
  const matches = index.match(spec.ecosystem, name, spec.version);
  return { kind: 'version', spec, findings: mergeMatches(spec.ecosystem, spec.name, spec.version, matches) };
}
