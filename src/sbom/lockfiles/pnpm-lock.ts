import { GraphBuilder } from '../graph-builder.js';
import type { DependencyGraph, EdgeKind, LockfileFormat, SourceKind } from '../graph.js';
import { hashesFromSri } from '../integrity.js';
import { asRecord, asString, licenseOf, lockfileError, stringEntries, type LockfileInput } from './input.js';
import { keyLines } from './lines.js';
import { parseYamlStrict } from './yaml-text.js';

type Dialect = 5 | 6 | 9;

const importerFields: readonly [string, EdgeKind][] = [
  ['dependencies', 'prod'],
  ['optionalDependencies', 'optional'],
  ['devDependencies', 'dev'],
];

/** `pnpm-lock.yaml`, lockfileVersion 5.x (pnpm 6–7), 6.x (pnpm 8) and 9.x (pnpm 9–10). */
export function parsePnpmLock(input: LockfileInput): DependencyGraph {
  const doc = asRecord(parseYamlStrict(input.file, input.text));
  if (!doc) throw lockfileError(input.file, 'not a YAML mapping');
  const raw =
    typeof doc.lockfileVersion === 'number' || typeof doc.lockfileVersion === 'string'
      ? String(doc.lockfileVersion)
      : '';
  const major = Number.parseInt(raw, 10);
  const dialect: Dialect | undefined = major === 5 ? 5 : major === 6 ? 6 : major === 9 ? 9 : undefined;
  if (!dialect)
    throw lockfileError(
      input.file,
      `unknown pnpm lockfileVersion "${raw}" (Airlock reads 5.x, 6.x and 9.x)`,
      1,
    );
  const format: LockfileFormat = dialect === 5 ? 'pnpm-v5' : dialect === 6 ? 'pnpm-v6' : 'pnpm-v9';
  const builder = new GraphBuilder(format, input.file);
  const lines = keyLines(input.text, /^ {2}'?([^\s'][^\n]*?)'?:(?: \{\})?$/);
  const packages = asRecord(doc.packages) ?? {};
  const snapshots = dialect === 9 ? (asRecord(doc.snapshots) ?? {}) : packages;

  // Older single-project lockfiles keep the root's dependencies at the top level instead of `importers`.
  const importers = asRecord(doc.importers) ?? { '.': doc };
  const importerIds = new Map<string, string>();
  for (const path of Object.keys(importers)) {
    const manifest = path === '.' ? input.manifest : input.readMember?.(path);
    const component = {
      ecosystem: 'npm' as const,
      name: asString(manifest?.name) ?? (path === '.' ? 'project' : (path.split('/').pop() ?? path)),
      version: asString(manifest?.version) ?? '',
      ...(licenseOf(manifest?.license) ? { license: licenseOf(manifest?.license) } : {}),
      ...(path === '.' ? {} : { source: { kind: 'link' as const, url: path } }),
    };
    importerIds.set(path, path === '.' ? builder.setRoot(component) : builder.add(component));
  }

  const ids = new Map<string, string>();
  const componentOf = (key: string): string | undefined => {
    const known = ids.get(key);
    if (known) return known;
    const meta = asRecord(packages[packageKey(key, dialect)]) ?? asRecord(packages[key]);
    if (!meta && !snapshots[key]) return undefined;
    const parsed = parseKey(key, dialect);
    const resolution = asRecord(meta?.resolution) ?? {};
    const kind = resolutionKind(resolution, key);
    const url =
      asString(resolution.tarball) ??
      asString(resolution.repo) ??
      asString(resolution.directory) ??
      parsed.version;
    const line = lines.get(packageKey(key, dialect)) ?? lines.get(key);
    const dir = kind === 'link' ? asString(resolution.directory) : undefined;
    const local = dir ? input.readMember?.(dir) : undefined;
    const id = builder.add({
      ecosystem: 'npm',
      name: asString(meta?.name) ?? parsed.name,
      version:
        asString(meta?.version) ??
        asString(local?.version) ??
        (kind === 'registry' || kind === 'tarball' ? parsed.version : ''),
      hashes: hashesFromSri(resolution.integrity),
      source: kind === 'registry' ? { kind } : { kind, url },
      ...(line ? { location: { file: input.file, line } } : {}),
    });
    ids.set(key, id);
    return id;
  };

  const link = (
    from: string,
    fromImporter: string | undefined,
    dep: string,
    ref: string,
    kind: EdgeKind,
    where: string,
  ) => {
    if (ref.startsWith('link:')) {
      const target = joinPath(fromImporter ?? '.', ref.slice('link:'.length));
      const to = importerIds.get(target);
      if (to) builder.edge(from, to, kind);
      return;
    }
    const key = depKey(dep, ref, dialect);
    const to = componentOf(key);
    if (to) builder.edge(from, to, kind);
    else if (kind !== 'optional') builder.warn(`${where}: ${dep} → ${key} is not in the lockfile`);
  };

  for (const [path, value] of Object.entries(importers)) {
    const importer = asRecord(value) ?? {};
    const from = importerIds.get(path) as string;
    for (const [field, kind] of importerFields) {
      for (const [dep, spec] of importerDeps(importer[field]))
        link(from, path, dep, spec, kind, `importer ${path}`);
    }
  }
  for (const key of Object.keys(snapshots)) {
    const from = componentOf(key);
    if (!from) continue;
    const snap = asRecord(snapshots[key]) ?? {};
    for (const [field, kind] of [
      ['dependencies', 'prod'],
      ['optionalDependencies', 'optional'],
    ] as const) {
      for (const [dep, ref] of stringEntries(snap[field])) link(from, undefined, dep, ref, kind, key);
    }
  }
  if (importerIds.size > 1) {
    const rootId = importerIds.get('.') as string;
    for (const [path, id] of importerIds) if (path !== '.') builder.edge(rootId, id, 'prod');
  }
  return builder.build();
}

/** v6/v9 importers give `{ specifier, version }`; v5 gives the version string directly. */
function importerDeps(value: unknown): [string, string][] {
  const record = asRecord(value);
  if (!record) return [];
  const out: [string, string][] = [];
  for (const name of Object.keys(record)) {
    const v = record[name];
    const ref = typeof v === 'string' ? v : asString(asRecord(v)?.version);
    if (ref !== undefined) out.push([name, ref]);
  }
  return out;
}

/** The packages/snapshots key a dependency reference points at. */
function depKey(dep: string, ref: string, dialect: Dialect): string {
  if (ref.startsWith('/')) return ref; // v5/v6 alias or explicit path
  if (/^(file:|git\+|git:|https?:|github:)/.test(ref)) return dialect === 9 ? `${dep}@${ref}` : ref;
  // v9 aliases are written `real-name@version`.
  if (dialect === 9 && /^(@[^/]+\/)?[^@/(]+@/.test(ref)) return ref;
  return dialect === 5 ? `/${dep}/${ref}` : dialect === 6 ? `/${dep}@${ref}` : `${dep}@${ref}`;
}

/** v9 keeps metadata under the key without the peer suffix; earlier versions use one key for both. */
function packageKey(key: string, dialect: Dialect): string {
  return dialect === 9 ? key.replace(/\(.*\)$/, '') : key;
}

/** `/@scope/name/1.0.0_peer` (v5), `/name@1.0.0(peer)` (v6), `name@1.0.0(peer)` (v9) → name, version. */
function parseKey(key: string, dialect: Dialect): { name: string; version: string } {
  let k = key.replace(/\(.*\)$/, '');
  if (k.startsWith('/')) k = k.slice(1);
  if (dialect === 5 && key.startsWith('/')) {
    const slash = k.lastIndexOf('/');
    return { name: k.slice(0, slash), version: k.slice(slash + 1).replace(/_.*$/, '') };
  }
  const at = k.indexOf('@', 1);
  if (at < 0) return { name: k, version: '' };
  return { name: k.slice(0, at), version: k.slice(at + 1) };
}

function resolutionKind(resolution: Record<string, unknown>, key: string): SourceKind {
  if (resolution.type === 'git' || typeof resolution.commit === 'string') return 'git';
  if (resolution.type === 'directory') return 'link';
  const tarball = asString(resolution.tarball);
  if (tarball?.startsWith('file:')) return 'file';
  if (tarball && !/\/-\/[^/]+\.tgz$/.test(tarball)) return 'tarball';
  if (/(^|@)file:/.test(key)) return 'file';
  return 'registry';
}

function joinPath(base: string, rel: string): string {
  const parts = base === '.' ? [] : base.split('/');
  for (const seg of rel.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.length === 0 ? '.' : parts.join('/');
}
