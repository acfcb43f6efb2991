import { GraphBuilder } from '../graph-builder.js';
import type { DependencyGraph, EdgeKind } from '../graph.js';
import { hashesFromSri } from '../integrity.js';
import { asRecord, asString, licenseOf, stringEntries, type LockfileInput } from './input.js';
import { keyLines } from './lines.js';
import { globMatch, sourceKind } from './npm-lock.js';

interface V1Node {
  readonly name: string;
  readonly entry: Record<string, unknown>;
  readonly parent: V1Node | undefined;
  readonly children: Map<string, V1Node>;
  id?: string;
}

/** lockfileVersion 1 (npm 5 and 6): a nested `dependencies` tree; `requires` name what each entry needs. */
export function parseNpmLockV1(input: LockfileInput, doc: Record<string, unknown>): DependencyGraph {
  const builder = new GraphBuilder('npm-lock-v1', input.file);
  const lines = keyLines(input.text, /^ {4}"([^"]*)": \{/);
  const manifest = input.manifest ?? {};
  const rootId = builder.setRoot({
    ecosystem: 'npm',
    name: asString(doc.name) ?? asString(manifest.name) ?? 'project',
    version: asString(doc.version) ?? asString(manifest.version) ?? '',
    ...(licenseOf(manifest.license) ? { license: licenseOf(manifest.license) } : {}),
  });
  const top: V1Node = { name: '', entry: doc, parent: undefined, children: new Map() };
  const build = (node: V1Node, depth: number) => {
    for (const [name, value] of Object.entries(asRecord(node.entry.dependencies) ?? {})) {
      const entry = asRecord(value);
      if (!entry) continue;
      const child: V1Node = { name, entry, parent: node, children: new Map() };
      node.children.set(name, child);
      if (depth < 200) build(child, depth + 1);
    }
  };
  build(top, 0);

  const idOf = (node: V1Node): string => {
    if (node.id) return node.id;
    let version = asString(node.entry.version) ?? '';
    let name = node.name;
    // Aliases record `npm:<real-name>@<version>` as the version.
    const alias = /^npm:((?:@[^/]+\/)?[^@]+)@(.+)$/.exec(version);
    if (alias) {
      name = alias[1] ?? name;
      version = alias[2] ?? version;
    }
    // Non-registry entries put their source where the version goes.
    const spec = /^(file:|git|https?:|github:)/.test(version) ? version : undefined;
    const resolved = asString(node.entry.resolved) ?? spec;
    let kind = sourceKind(resolved);
    if (version.startsWith('file:') && !version.endsWith('.tgz')) kind = 'link';
    if (spec) {
      const member = version.startsWith('file:') ? input.readMember?.(version.slice(5)) : undefined;
      version = asString(member?.version) ?? versionFromTarball(name, spec) ?? '';
    }
    const line = node.parent === top ? lines.get(node.name) : undefined;
    node.id = builder.add({
      ecosystem: 'npm',
      name,
      version,
      hashes: hashesFromSri(node.entry.integrity),
      source: kind === 'registry' ? { kind } : { kind, url: resolved ?? version },
      bundled: node.entry.bundled === true,
      scope: node.entry.dev === true ? 'dev' : node.entry.optional === true ? 'optional' : 'prod',
      ...(line ? { location: { file: input.file, line } } : {}),
    });
    return node.id;
  };
  const resolve = (from: V1Node, dep: string): V1Node | undefined => {
    for (let n: V1Node | undefined = from; n; n = n.parent) {
      const hit = n.children.get(dep);
      if (hit) return hit;
    }
    return undefined;
  };
  const walk = (node: V1Node) => {
    for (const child of node.children.values()) {
      const from = idOf(child);
      for (const [dep] of stringEntries(child.entry.requires)) {
        const to = resolve(child, dep);
        if (to) builder.edge(from, idOf(to), to.entry.optional === true ? 'optional' : 'prod');
        else builder.warn(`${child.name}: required ${dep} is not in the lockfile`);
      }
      walk(child);
    }
  };
  walk(top);

  // v1 does not say what the root asks for: take package.json when we have it, else every top entry.
  const rootFields: [string, EdgeKind][] = [
    ['dependencies', 'prod'],
    ['optionalDependencies', 'optional'],
    ['devDependencies', 'dev'],
  ];
  if (input.manifest) {
    for (const [field, kind] of rootFields) {
      for (const [dep] of stringEntries(manifest[field])) {
        const node = top.children.get(dep);
        if (node) builder.edge(rootId, idOf(node), kind);
      }
    }
    for (const node of top.children.values()) {
      const version = asString(node.entry.version) ?? '';
      if (version.startsWith('file:') && isWorkspacePath(manifest, version.slice(5))) {
        builder.edge(rootId, idOf(node), 'prod');
      }
    }
  } else {
    for (const node of top.children.values()) {
      const kind: EdgeKind =
        node.entry.dev === true ? 'dev' : node.entry.optional === true ? 'optional' : 'prod';
      builder.edge(rootId, idOf(node), kind);
    }
  }
  return builder.build();
}

function isWorkspacePath(
  manifest: Record<string, unknown> | Readonly<Record<string, unknown>>,
  path: string,
): boolean {
  const ws = manifest.workspaces;
  const patterns = Array.isArray(ws) ? ws : asRecord(ws)?.packages;
  return Array.isArray(patterns) && patterns.some((p) => typeof p === 'string' && globMatch(p, path));
}

/** `https://registry/x/-/x-1.2.3.tgz` → `1.2.3`. */
export function versionFromTarball(name: string, url: string): string | undefined {
  const base = name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name;
  const file = /\/-\/([^/?#]+)\.tgz(?:[?#].*)?$/.exec(url)?.[1];
  return file?.startsWith(`${base}-`) ? file.slice(base.length + 1) : undefined;
}
