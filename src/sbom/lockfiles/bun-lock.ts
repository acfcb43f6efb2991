import { GraphBuilder } from '../graph-builder.js';
import type { DependencyGraph, EdgeKind, SourceKind } from '../graph.js';
import { hashesFromSri } from '../integrity.js';
import {
  asRecord,
  asString,
  lockfileError,
  parseJsonStrict,
  stringEntries,
  type LockfileInput,
} from './input.js';
import { keyLines } from './lines.js';
import { sourceKind } from './npm-lock.js';
import { versionFromTarball } from './npm-lock-v1.js';
import { specName } from './yarn-v1.js';

const fields: readonly [string, EdgeKind][] = [
  ['dependencies', 'prod'],
  ['optionalDependencies', 'optional'],
  ['peerDependencies', 'peer'],
  ['devDependencies', 'dev'],
];

/**
 * `bun.lock` (bun 1.2+, JSONC): `workspaces` by path, `packages` keyed by install path (`parent/child` for
 * nested copies), each an array `[ident, registry|meta, meta, integrity]` whose shape depends on the source.
 */
export function parseBunLock(input: LockfileInput): DependencyGraph {
  const doc = asRecord(parseJsonStrict(input.file, input.text, { jsonc: true }));
  if (!doc) throw lockfileError(input.file, 'not a JSON object');
  if (doc.lockfileVersion !== 0 && doc.lockfileVersion !== 1) {
    throw lockfileError(
      input.file,
      `unknown bun lockfileVersion ${JSON.stringify(doc.lockfileVersion)} (Airlock reads 0 and 1)`,
    );
  }
  const workspaces = asRecord(doc.workspaces) ?? {};
  const packages = asRecord(doc.packages) ?? {};
  const builder = new GraphBuilder('bun', input.file);
  const lines = keyLines(input.text, /^ {4}"([^"]+)": \[/);
  const rootWs = asRecord(workspaces['']) ?? {};
  const rootId = builder.setRoot({
    ecosystem: 'npm',
    name: asString(rootWs.name) ?? asString(input.manifest?.name) ?? 'project',
    version: asString(rootWs.version) ?? asString(input.manifest?.version) ?? '',
  });
  const wsIds = new Map<string, string>([['', rootId]]);
  const wsNames = new Map<string, string>();
  for (const path of Object.keys(workspaces)) {
    if (path === '') continue;
    const ws = asRecord(workspaces[path]) ?? {};
    const name = asString(ws.name) ?? path;
    wsIds.set(
      path,
      builder.add({
        ecosystem: 'npm',
        name,
        version: asString(ws.version) ?? '',
        source: { kind: 'link', url: path },
      }),
    );
    wsNames.set(name, path);
    builder.edge(rootId, wsIds.get(path) as string, 'prod');
  }
  const ids = new Map<string, string>();
  const componentOf = (key: string): string | undefined => {
    const known = ids.get(key);
    if (known) return known;
    const entry = packages[key];
    if (!Array.isArray(entry) || typeof entry[0] !== 'string') {
      if (entry !== undefined)
        throw lockfileError(input.file, `packages["${key}"] is not [ident, …]`, lines.get(key));
      return undefined;
    }
    const ident = entry[0];
    const name = specName(ident);
    const ref = ident.slice(name.length + 1);
    if (ref.startsWith('workspace:')) {
      const id = wsIds.get(ref.slice('workspace:'.length));
      if (id) ids.set(key, id);
      return id;
    }
    let kind = bunSource(ref);
    const meta = metaOf(entry);
    let version = kind === 'registry' ? ref : (asString(meta.version) ?? '');
    if (kind === 'tarball') {
      kind = sourceKind(ref);
      version = versionFromTarball(name, ref) ?? version;
    } else if (kind === 'link' && !version) {
      version = asString(input.readMember?.(ref.replace(/^(file:|link:)/, ''))?.version) ?? '';
    }
    const integrity: unknown = (entry as unknown[]).find(
      (x, i) => i > 0 && typeof x === 'string' && /^sha(1|256|384|512)-/.test(x),
    );
    const line = lines.get(key);
    const id = builder.add({
      ecosystem: 'npm',
      name,
      version,
      hashes: hashesFromSri(integrity),
      source: kind === 'registry' ? { kind } : { kind, url: ref },
      bundled: meta.bundled === true,
      ...(line ? { location: { file: input.file, line } } : {}),
    });
    ids.set(key, id);
    return id;
  };
  // Like node_modules: a nested copy `parent/dep` wins over the hoisted `dep`.
  const resolve = (fromKey: string, dep: string): string | undefined => {
    const parts = fromKey ? fromKey.split('/') : [];
    for (let i = parts.length; i >= 0; i--) {
      const key = [...parts.slice(0, i), dep].join('/');
      if (Object.hasOwn(packages, key)) return key;
    }
    return undefined;
  };
  const link = (from: string, fromKey: string, deps: Record<string, unknown>, isProject: boolean) => {
    for (const [field, kind] of fields) {
      if (kind === 'dev' && !isProject) continue;
      for (const [dep] of stringEntries(deps[field])) {
        const key = resolve(fromKey, dep);
        const to = key
          ? componentOf(key)
          : wsNames.has(dep)
            ? wsIds.get(wsNames.get(dep) as string)
            : undefined;
        if (to) builder.edge(from, to, kind);
        else if (kind === 'prod' || kind === 'dev')
          builder.warn(`${fromKey || 'root'}: ${dep} is not in the lockfile`);
      }
    }
  };
  for (const [path, id] of wsIds) {
    const ws = asRecord(workspaces[path]) ?? {};
    link(id, path === '' ? '' : (asString(ws.name) ?? path), ws, true);
  }
  for (const key of Object.keys(packages)) {
    const from = componentOf(key);
    const entry = packages[key];
    if (from && Array.isArray(entry) && !wsIds.has(key)) link(from, key, metaOf(entry), false);
  }
  return builder.build();
}

function metaOf(entry: unknown[]): Record<string, unknown> {
  return (
    entry
      .slice(1)
      .map(asRecord)
      .find((x) => x !== undefined) ?? {}
  );
}

// bun writes registry versions bare, local tarballs as their path, directories as `file:`/`link:`.
function bunSource(ref: string): SourceKind {
  if (/^(github:|git\+|git:)/.test(ref)) return 'git';
  if (/^https?:/.test(ref)) return 'tarball';
  if (/\.(tgz|tar\.gz|tar)$/.test(ref)) return 'file';
  if (/^(link:|file:)/.test(ref) || ref.includes('/')) return 'link';
  return 'registry';
}
