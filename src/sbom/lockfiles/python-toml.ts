import { parse, TomlError } from 'smol-toml';
import { GraphBuilder } from '../graph-builder.js';
import type { ComponentHash, DependencyGraph, EdgeKind, Scope, SourceKind } from '../graph.js';
import { hashFromPrefixedHex } from '../integrity.js';
import { normalizePypiName } from '../purl.js';
import { asRecord, asString, lockfileError, type LockfileInput } from './input.js';
import { keyLines } from './lines.js';
import { pyproject, pythonRoot } from './python-project.js';

function parseToml(input: LockfileInput): Record<string, unknown> {
  try {
    return parse(input.text);
  } catch (cause) {
    const line = cause instanceof TomlError ? cause.line : undefined;
    throw lockfileError(
      input.file,
      `invalid TOML: ${(cause as Error).message.split('\n')[0] ?? ''}`,
      line,
      cause,
    );
  }
}

function tables(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value)
    ? value.map(asRecord).filter((x): x is Record<string, unknown> => x !== undefined)
    : [];
}

/** `name = "…"` lines under each `[[package]]`, for locations. */
function packageLines(text: string): Map<string, number> {
  return keyLines(text, /^\[\[package\]\]\r?\nname = "([^"]+)"/);
}

/** `poetry.lock` (lock-version 1.x and 2.x): packages with groups/category, dependencies by name, files with hashes. */
export function parsePoetryLock(input: LockfileInput): DependencyGraph {
  const doc = parseToml(input);
  const metadata = asRecord(doc.metadata) ?? {};
  const lockVersion = asString(metadata['lock-version']) ?? '1.0';
  if (!/^[12]\./.test(lockVersion))
    throw lockfileError(
      input.file,
      `unknown poetry lock-version "${lockVersion}" (Airlock reads 1.x and 2.x)`,
    );
  const builder = new GraphBuilder('poetry', input.file);
  const rootId = builder.setRoot(pythonRoot(input));
  const lines = packageLines(input.text);
  const legacyFiles = asRecord(metadata.files) ?? {};
  const byName = new Map<string, string>();
  const packages = tables(doc.package);
  for (const p of packages) {
    const name = normalizePypiName(asString(p.name) ?? '');
    const files = Array.isArray(p.files)
      ? p.files
      : Array.isArray(legacyFiles[asString(p.name) ?? ''])
        ? (legacyFiles[asString(p.name) ?? ''] as unknown[])
        : [];
    const hashes = files
      .map((f) => hashFromPrefixedHex(asRecord(f)?.hash))
      .filter((h): h is ComponentHash => !!h)
      .slice(0, 1);
    const groups = Array.isArray(p.groups) ? p.groups.map(String) : [asString(p.category) ?? 'main'];
    const scope: Scope = p.optional === true ? 'optional' : groups.includes('main') ? 'prod' : 'dev';
    const source = asRecord(p.source);
    const type = asString(source?.type);
    const kind: SourceKind | undefined =
      type === 'git'
        ? 'git'
        : type === 'directory'
          ? 'link'
          : type === 'file'
            ? 'file'
            : type === 'url'
              ? 'tarball'
              : undefined;
    const line = lines.get(asString(p.name) ?? '');
    byName.set(
      name,
      builder.add({
        ecosystem: 'pypi',
        name,
        version: asString(p.version) ?? '',
        hashes,
        scope,
        ...(kind
          ? {
              source: {
                kind,
                url: `${asString(source?.url) ?? ''}${asString(source?.resolved_reference) ? `@${asString(source?.resolved_reference)}` : ''}`,
              },
            }
          : {}),
        ...(line ? { location: { file: input.file, line } } : {}),
      }),
    );
  }
  const dependedOn = new Set<string>();
  for (const p of packages) {
    const from = byName.get(normalizePypiName(asString(p.name) ?? '')) as string;
    for (const dep of Object.keys(asRecord(p.dependencies) ?? {})) {
      const to = byName.get(normalizePypiName(dep));
      if (to) {
        builder.edge(from, to, 'prod');
        dependedOn.add(to);
      }
    }
  }
  // The root's own requirements come from pyproject.toml; without it, the packages nothing else needs.
  const direct = directPoetryDeps(input);
  for (const [name, id] of byName) {
    const kind = direct ? direct.get(name) : dependedOn.has(id) ? undefined : 'prod';
    if (kind) builder.edge(rootId, id, kind);
  }
  // Lock files before Poetry 1.5 (category) and after 2.0 (groups) state scopes; 1.5–1.8 do not.
  const stated = packages.every((p) => Array.isArray(p.groups) || typeof p.category === 'string');
  return builder.build({ scopesFromLockfile: stated });
}

function directPoetryDeps(input: LockfileInput): Map<string, EdgeKind> | undefined {
  const project = pyproject(input);
  if (!project) return undefined;
  const out = new Map<string, EdgeKind>();
  const poetry = asRecord(asRecord(project.tool)?.poetry) ?? {};
  for (const name of Object.keys(asRecord(poetry.dependencies) ?? {}))
    out.set(normalizePypiName(name), 'prod');
  for (const group of Object.values(asRecord(poetry.group) ?? {})) {
    for (const name of Object.keys(asRecord(asRecord(group)?.dependencies) ?? {}))
      out.set(normalizePypiName(name), 'dev');
  }
  for (const req of Array.isArray(asRecord(project.project)?.dependencies)
    ? (asRecord(project.project)?.dependencies as unknown[])
    : []) {
    const name = /^[A-Za-z0-9][A-Za-z0-9._-]*/.exec(String(req))?.[0];
    if (name) out.set(normalizePypiName(name), 'prod');
  }
  return out;
}

/** `uv.lock` (version 1): packages with sources, dependencies by name (and version when ambiguous), sdist hashes. */
export function parseUvLock(input: LockfileInput): DependencyGraph {
  const doc = parseToml(input);
  if (doc.version !== 1)
    throw lockfileError(
      input.file,
      `unknown uv.lock version ${JSON.stringify(doc.version)} (Airlock reads 1)`,
    );
  const builder = new GraphBuilder('uv', input.file);
  const lines = packageLines(input.text);
  const packages = tables(doc.package);
  const isRoot = (p: Record<string, unknown>) => {
    const source = asRecord(p.source);
    return source?.editable === '.' || source?.virtual === '.';
  };
  const rootPkg = packages.find(isRoot);
  const root = pythonRoot(input);
  const rootId = builder.setRoot(
    rootPkg
      ? {
          ecosystem: 'pypi',
          name: normalizePypiName(asString(rootPkg.name) ?? root.name),
          version: asString(rootPkg.version) ?? '',
        }
      : root,
  );
  const ids = new Map<Record<string, unknown>, string>([...(rootPkg ? [[rootPkg, rootId] as const] : [])]);
  const byName = new Map<string, Record<string, unknown>[]>();
  for (const p of packages) {
    const name = normalizePypiName(asString(p.name) ?? '');
    byName.set(name, [...(byName.get(name) ?? []), p]);
    if (p === rootPkg) continue;
    const source = asRecord(p.source) ?? {};
    const kind: SourceKind = source.git
      ? 'git'
      : source.editable || source.directory || source.virtual
        ? 'link'
        : source.path
          ? 'file'
          : source.url
            ? 'tarball'
            : 'registry';
    const url =
      asString(source.git) ??
      asString(source.editable) ??
      asString(source.directory) ??
      asString(source.path) ??
      asString(source.url);
    const sdist = hashFromPrefixedHex(asRecord(p.sdist)?.hash);
    const line = lines.get(asString(p.name) ?? '');
    ids.set(
      p,
      builder.add({
        ecosystem: 'pypi',
        name,
        version: asString(p.version) ?? '',
        hashes: sdist ? [sdist] : [],
        ...(kind === 'registry' ? {} : { source: { kind, url: url ?? '' } }),
        ...(line ? { location: { file: input.file, line } } : {}),
      }),
    );
  }
  const resolve = (ref: Record<string, unknown>): string | undefined => {
    const candidates = byName.get(normalizePypiName(asString(ref.name) ?? '')) ?? [];
    const version = asString(ref.version);
    const hit = version ? candidates.find((c) => c.version === version) : candidates[0];
    return hit ? ids.get(hit) : undefined;
  };
  for (const p of packages) {
    const from = ids.get(p) as string;
    const link = (refs: unknown, kind: EdgeKind) => {
      for (const ref of tables(refs)) {
        const to = resolve(ref);
        if (to) builder.edge(from, to, kind);
        else
          builder.warn(
            `${asString(p.name) ?? ''}: dependency ${asString(ref.name) ?? ''} is not in the lockfile`,
          );
      }
    };
    link(p.dependencies, 'prod');
    for (const refs of Object.values(asRecord(p['optional-dependencies']) ?? {})) link(refs, 'optional');
    for (const refs of Object.values(asRecord(p['dev-dependencies']) ?? {})) link(refs, 'dev');
  }
  return builder.build();
}
