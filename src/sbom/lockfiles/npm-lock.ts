import { GraphBuilder } from '../graph-builder.js';
import type { DependencyGraph, EdgeKind, SourceKind } from '../graph.js';
import { hashesFromSri } from '../integrity.js';
import {
  asRecord,
  asString,
  licenseOf,
  lockfileError,
  parseJsonStrict,
  stringEntries,
  type LockfileInput,
} from './input.js';
import { keyLines } from './lines.js';
import { parseNpmLockV1 } from './npm-lock-v1.js';

const depFields: readonly [string, EdgeKind][] = [
  ['dependencies', 'prod'],
  ['optionalDependencies', 'optional'],
  ['peerDependencies', 'peer'],
];

/** `package-lock.json` / `npm-shrinkwrap.json`, lockfileVersion 1, 2 or 3. */
export function parseNpmLock(input: LockfileInput): DependencyGraph {
  const doc = asRecord(parseJsonStrict(input.file, input.text));
  if (!doc) throw lockfileError(input.file, 'not a JSON object');
  const version = doc.lockfileVersion;
  if (version === 1) return parseNpmLockV1(input, doc);
  if (version !== 2 && version !== 3) {
    throw lockfileError(
      input.file,
      `unknown lockfileVersion ${JSON.stringify(version)} (Airlock reads 1, 2 and 3)`,
    );
  }
  const packages = asRecord(doc.packages);
  if (!packages) throw lockfileError(input.file, `lockfileVersion ${version} without a "packages" object`);
  const builder = new GraphBuilder(version === 2 ? 'npm-lock-v2' : 'npm-lock-v3', input.file);
  const lines = keyLines(input.text, /^ {4}"([^"]*)": \{/);
  const entry = (key: string) => asRecord(packages[key]);
  const rootEntry = entry('') ?? {};
  const idOf = new Map<string, string>();
  // A workspace member's own entry often lacks `name`; the link that points at it carries the name.
  const linkNames = new Map<string, string>();
  for (const key of Object.keys(packages)) {
    const e = entry(key);
    const name = nameFromPath(key);
    if (e?.link === true && typeof e.resolved === 'string' && name) linkNames.set(e.resolved, name);
  }

  // Links point at another key (workspace members, file: directories); follow them to the real entry.
  const target = (key: string): string => {
    const e = entry(key);
    return e?.link === true && typeof e.resolved === 'string' ? e.resolved : key;
  };
  const componentFor = (key: string): string | undefined => {
    const real = target(key);
    const known = idOf.get(real);
    if (known) return known;
    const e = entry(real);
    if (!e) return undefined;
    const isRoot = real === '';
    const name =
      asString(e.name) ?? (isRoot ? asString(doc.name) : (linkNames.get(real) ?? nameFromPath(real))) ?? real;
    const resolved = asString(e.resolved);
    const kind: SourceKind =
      real !== key || (!real.includes('node_modules/') && !isRoot) ? 'link' : sourceKind(resolved);
    const line = lines.get(key) ?? lines.get(real);
    const add = {
      ecosystem: 'npm' as const,
      name,
      version: asString(e.version) ?? '',
      hashes: hashesFromSri(e.integrity),
      ...(licenseOf(e.license) ? { license: licenseOf(e.license) } : {}),
      source: kind === 'registry' ? { kind } : { kind, url: resolved ?? real },
      bundled: e.inBundle === true,
      // npm writes `hasInstallScript` for every package with a (pre|post)install script, so its absence on
      // a registry package means none. Projects and links run their own scripts, not a dependency's.
      ...(kind === 'registry' && !isRoot ? { installScripts: e.hasInstallScript === true } : {}),
      ...(line ? { location: { file: input.file, line } } : {}),
    };
    const id = isRoot ? builder.setRoot(add) : builder.add(add);
    idOf.set(real, id);
    return id;
  };

  const rootId = componentFor('') as string;
  for (const key of Object.keys(packages)) {
    const e = entry(key);
    if (!e) throw lockfileError(input.file, `packages["${key}"] is not an object`, lines.get(key));
    if (e.link === true) continue;
    const from = componentFor(key) as string;
    const fields: [string, EdgeKind][] = [...depFields];
    // Only projects (the root, workspace members, linked directories) bring their devDependencies.
    if (!key.includes('node_modules/')) fields.push(['devDependencies', 'dev']);
    for (const [field, kind] of fields) {
      const meta = asRecord(e.peerDependenciesMeta);
      for (const [dep] of stringEntries(e[field])) {
        if (field === 'dependencies' && asRecord(e.optionalDependencies)?.[dep] !== undefined) continue;
        const found = resolveFrom(key, dep, (k) => entry(k) !== undefined);
        if (found === undefined) {
          const optional =
            kind === 'optional' || (kind === 'peer' && asRecord(meta?.[dep])?.optional === true);
          if (!optional && kind !== 'peer')
            builder.warn(`${key || 'root'}: dependency ${dep} is not in the lockfile`);
          continue;
        }
        const to = componentFor(found);
        if (to) builder.edge(from, to, kind);
      }
    }
  }
  // Workspace members hang off the root: npm installs them as links in the root node_modules.
  for (const [key, value] of Object.entries(packages)) {
    const e = asRecord(value);
    if (e?.link === true && typeof e.resolved === 'string' && key.split('node_modules/').length === 2) {
      const to = componentFor(key);
      if (to && isWorkspace(rootEntry, e.resolved)) builder.edge(rootId, to, 'prod');
    }
  }
  return builder.build();
}

function isWorkspace(root: Record<string, unknown>, path: string): boolean {
  const patterns = Array.isArray(root.workspaces)
    ? root.workspaces
    : (asRecord(root.workspaces)?.packages as unknown[] | undefined);
  if (!Array.isArray(patterns)) return false;
  return patterns.some((p) => typeof p === 'string' && globMatch(p, path));
}

/** Workspace globs as npm uses them: `*` within a segment, `**` across segments. */
export function globMatch(pattern: string, path: string): boolean {
  const clean = pattern.replace(/^\.\//, '').replace(/\/$/, '');
  const re = clean
    .split('/')
    .map((seg) => (seg === '**' ? '.*' : seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')))
    .join('/');
  return new RegExp(`^${re}$`).test(path);
}

/** Node's module resolution over lockfile keys: nearest `node_modules/<dep>` walking up from `key`. */
function resolveFrom(key: string, dep: string, exists: (key: string) => boolean): string | undefined {
  const parts = key === '' ? [] : key.split('/');
  for (let i = parts.length; i >= 0; i--) {
    if (i > 0 && parts[i - 1] === 'node_modules') continue;
    const prefix = parts.slice(0, i).join('/');
    const candidate = prefix ? `${prefix}/node_modules/${dep}` : `node_modules/${dep}`;
    if (exists(candidate)) return candidate;
  }
  return undefined;
}

function nameFromPath(key: string): string | undefined {
  const at = key.lastIndexOf('node_modules/');
  return at === -1 ? undefined : key.slice(at + 'node_modules/'.length);
}

/** Where an npm `resolved` points: the registry, git, a tarball URL or a local file. */
export function sourceKind(resolved: string | undefined): SourceKind {
  if (!resolved) return 'registry';
  if (/^git(\+[a-z]+)?:|^github:|^gitlab:|^bitbucket:/.test(resolved)) return 'git';
  if (resolved.startsWith('file:')) return 'file';
  if (/^https?:/.test(resolved))
    return /\/-\/[^/]+\.tgz$/.test(resolved.split('?')[0] ?? '') ? 'registry' : 'tarball';
  return 'file';
}
