import { GraphBuilder } from '../graph-builder.js';
import type { DependencyGraph, EdgeKind } from '../graph.js';
import { hashesFromSri } from '../integrity.js';
import { asRecord, asString, licenseOf, stringEntries, type LockfileInput } from './input.js';
import { globMatch, sourceKind } from './npm-lock.js';
import { readYarnV1, type YarnV1Entry } from './yarn-v1-syntax.js';

const manifestFields: readonly [string, EdgeKind][] = [
  ['dependencies', 'prod'],
  ['optionalDependencies', 'optional'],
  ['devDependencies', 'dev'],
];

/** `yarn.lock` written by yarn 1: entries keyed by `name@range`; the root and workspaces come from package.json. */
export function parseYarnV1(input: LockfileInput): DependencyGraph {
  const entries = readYarnV1(input.file, input.text);
  const builder = new GraphBuilder('yarn-v1', input.file);
  const bySpec = new Map<string, YarnV1Entry>();
  for (const entry of entries) for (const spec of entry.specs) bySpec.set(spec, entry);
  const ids = new Map<YarnV1Entry, string>();
  const idOf = (entry: YarnV1Entry): string => {
    const known = ids.get(entry);
    if (known) return known;
    const spec = entry.specs[0] ?? '';
    let name = specName(spec);
    const range = spec.slice(name.length + 1);
    const alias = /^npm:((?:@[^/]+\/)?[^@]+)@/.exec(range);
    if (alias?.[1]) name = alias[1];
    const resolved = entry.fields.get('resolved');
    const integrity = entry.fields.get('integrity');
    const sha1 = /#([0-9a-f]{40})$/.exec(resolved ?? '')?.[1];
    let kind = sourceKind(resolved?.replace(/#[0-9a-f]{40}$/, ''));
    if (resolved && /registry\.yarnpkg\.com|registry\.npmjs\.org/.test(resolved) && kind === 'tarball')
      kind = 'registry';
    if (!resolved && range.startsWith('file:')) kind = 'link';
    const hashes = hashesFromSri(integrity);
    if (hashes.length === 0 && sha1 && kind !== 'git') hashes.push({ alg: 'SHA-1', content: sha1 });
    const id = builder.add({
      ecosystem: 'npm',
      name,
      version: entry.fields.get('version') ?? '',
      hashes,
      source:
        kind === 'registry'
          ? { kind }
          : { kind, url: (resolved ?? range).replace(/#[0-9a-f]{40}$/, kind === 'git' ? '$&' : '') },
      location: { file: input.file, line: entry.line },
    });
    ids.set(entry, id);
    return id;
  };
  for (const entry of entries) {
    const from = idOf(entry);
    const optional = entry.blocks.get('optionalDependencies');
    for (const [blockName, kind] of [
      ['dependencies', 'prod'],
      ['optionalDependencies', 'optional'],
    ] as const) {
      for (const [dep, range] of entry.blocks.get(blockName) ?? []) {
        if (kind === 'prod' && optional?.has(dep)) continue;
        const target = bySpec.get(`${dep}@${range}`);
        if (target) builder.edge(from, idOf(target), kind);
        else if (kind === 'prod')
          builder.warn(`${entry.specs[0] ?? ''}: ${dep}@${range} is not in the lockfile`);
      }
    }
  }

  const manifest = input.manifest ?? {};
  const rootId = builder.setRoot({
    ecosystem: 'npm',
    name: asString(manifest.name) ?? 'project',
    version: asString(manifest.version) ?? '',
    ...(licenseOf(manifest.license) ? { license: licenseOf(manifest.license) } : {}),
  });
  const linkProject = (from: string, project: Record<string, unknown>) => {
    for (const [field, kind] of manifestFields) {
      for (const [dep, range] of stringEntries(project[field])) {
        const target = bySpec.get(`${dep}@${range}`);
        if (target) builder.edge(from, idOf(target), kind);
        else if (!workspaceNames.has(dep))
          builder.warn(`package.json: ${dep}@${range} is not in the lockfile`);
      }
    }
  };
  // yarn 1 leaves workspace members out of the lockfile; read their package.json files when we can.
  const members = workspaceMembers(input);
  const workspaceNames = new Map<string, string>();
  for (const [path, member] of members) {
    const id = builder.add({
      ecosystem: 'npm',
      name: asString(member.name) ?? path,
      version: asString(member.version) ?? '',
      source: { kind: 'link', url: path },
    });
    workspaceNames.set(asString(member.name) ?? path, id);
    builder.edge(rootId, id, 'prod');
  }
  linkProject(rootId, manifest);
  for (const [, member] of members) {
    const from = workspaceNames.get(asString(member.name) ?? '');
    if (!from) continue;
    linkProject(from, member);
    for (const [dep] of stringEntries(member.dependencies)) {
      const ws = workspaceNames.get(dep);
      if (ws) builder.edge(from, ws, 'prod');
    }
  }
  if (!input.manifest) {
    builder.warn("no package.json beside the lockfile: the root's direct dependencies are unknown");
    for (const entry of entries) builder.edge(rootId, idOf(entry), 'prod');
  }
  return builder.build();
}

/** `name@range` → name (scoped names start with `@`). */
export function specName(spec: string): string {
  const at = spec.indexOf('@', 1);
  return at < 0 ? spec : spec.slice(0, at);
}

/** Workspace members named by package.json `workspaces`, read through `input.readMember`. */
export function workspaceMembers(input: LockfileInput): Map<string, Readonly<Record<string, unknown>>> {
  const members = new Map<string, Readonly<Record<string, unknown>>>();
  const ws = input.manifest?.workspaces;
  const patterns = Array.isArray(ws) ? ws : asRecord(ws)?.packages;
  if (!Array.isArray(patterns) || !input.readMember) return members;
  for (const pattern of patterns) {
    if (typeof pattern !== 'string') continue;
    const star = pattern.indexOf('*');
    if (star < 0) {
      const m = input.readMember(pattern.replace(/\/$/, ''));
      if (m) members.set(pattern, m);
      continue;
    }
    // Only `dir/*` is expanded (the form nearly every monorepo uses).
    const dir = pattern.slice(0, star).replace(/\/$/, '');
    for (const child of input.listDir?.(dir) ?? []) {
      const path = `${dir}/${child}`;
      if (!globMatch(pattern, path)) continue;
      const m = input.readMember(path);
      if (m) members.set(path, m);
    }
  }
  return members;
}
