import { GraphBuilder } from '../graph-builder.js';
import type { DependencyGraph, EdgeKind, SourceKind } from '../graph.js';
import { asRecord, asString, licenseOf, lockfileError, stringEntries, type LockfileInput } from './input.js';
import { keyLines } from './lines.js';
import { sourceKind } from './npm-lock.js';
import { specName } from './yarn-v1.js';
import { parseYamlStrict } from './yaml-text.js';

/** `yarn.lock` written by yarn 2+ (berry): YAML with `__metadata`, `resolution` locators and workspaces. */
export function parseYarnBerry(input: LockfileInput): DependencyGraph {
  const doc = asRecord(parseYamlStrict(input.file, input.text));
  const metadata = asRecord(doc?.__metadata);
  if (!doc || !metadata) throw lockfileError(input.file, 'not a yarn berry lockfile (no __metadata)');
  const lockVersion = Number(metadata.version);
  if (!Number.isInteger(lockVersion) || lockVersion < 4 || lockVersion > 8 + 4) {
    throw lockfileError(input.file, `unknown yarn lockfile version ${String(metadata.version)}`);
  }
  const builder = new GraphBuilder('yarn-berry', input.file);
  const lines = keyLines(input.text, /^"?([^\s"][^\n]*?)"?:$/);
  const byDescriptor = new Map<string, string>();
  const entries: [string, Record<string, unknown>][] = [];
  for (const key of Object.keys(doc)) {
    if (key === '__metadata') continue;
    const entry = asRecord(doc[key]);
    if (!entry) throw lockfileError(input.file, `entry "${key}" is not a mapping`, lines.get(key));
    entries.push([key, entry]);
    for (const descriptor of key.split(/,\s*/)) byDescriptor.set(stripLocator(descriptor), key);
  }
  const ids = new Map<string, string>();
  const rootKey = entries.find(([, e]) => /@workspace:\.$/.test(asString(e.resolution) ?? ''))?.[0];
  if (!rootKey) throw lockfileError(input.file, 'no root workspace (`…@workspace:.`) in the lockfile');
  for (const [key, entry] of entries) {
    const resolution = asString(entry.resolution) ?? '';
    const name = specName(resolution);
    const reference = resolution.slice(name.length + 1);
    const kind = berrySource(reference);
    const workspacePath = reference.startsWith('workspace:')
      ? reference.slice('workspace:'.length)
      : undefined;
    const member = workspacePath !== undefined ? input.readMember?.(workspacePath) : undefined;
    let version = asString(entry.version) ?? (typeof entry.version === 'number' ? String(entry.version) : '');
    if (version === '0.0.0-use.local')
      version = asString(member?.version) ?? asString(input.manifest?.version) ?? '';
    const line = lines.get(key);
    const component = {
      ecosystem: 'npm' as const,
      name,
      version: key === rootKey ? (asString(input.manifest?.version) ?? version) : version,
      source:
        kind === 'registry' || key === rootKey
          ? { kind: 'registry' as const }
          : { kind, url: cleanReference(reference) },
      ...(key === rootKey && licenseOf(input.manifest?.license)
        ? { license: licenseOf(input.manifest?.license) }
        : {}),
      ...(line ? { location: { file: input.file, line } } : {}),
    };
    ids.set(key, key === rootKey ? builder.setRoot(component) : builder.add(component));
  }
  for (const [key, entry] of entries) {
    const from = ids.get(key) as string;
    const meta = asRecord(entry.dependenciesMeta);
    const resolution = asString(entry.resolution) ?? '';
    const isWorkspace = resolution.includes('@workspace:');
    const wsPath = isWorkspace ? resolution.slice(resolution.indexOf('@workspace:') + 11) : undefined;
    const project =
      key === rootKey ? input.manifest : wsPath !== undefined ? input.readMember?.(wsPath) : undefined;
    const devNames = new Set(Object.keys(asRecord(project?.devDependencies) ?? {}));
    for (const field of ['dependencies', 'optionalDependencies'] as const) {
      for (const [dep, range] of stringEntries(entry[field])) {
        const target = byDescriptor.get(`${dep}@${range}`);
        if (!target) {
          builder.warn(`${key}: ${dep}@${range} is not in the lockfile`);
          continue;
        }
        const optional = field === 'optionalDependencies' || asRecord(meta?.[dep])?.optional === true;
        // Berry lists a workspace's devDependencies with its dependencies; package.json tells them apart.
        const kind: EdgeKind = optional ? 'optional' : devNames.has(dep) ? 'dev' : 'prod';
        builder.edge(from, ids.get(target) as string, kind);
      }
    }
    if (key === rootKey) {
      for (const [other, e] of entries) {
        if (other !== rootKey && (asString(e.resolution) ?? '').includes('@workspace:')) {
          builder.edge(from, ids.get(other) as string, 'prod');
        }
      }
    }
  }
  return builder.build();
}

// `name@file:x::locator=…` descriptors carry the requesting workspace; dependants name them without it.
function stripLocator(descriptor: string): string {
  const at = descriptor.indexOf('::');
  return at < 0 ? descriptor : descriptor.slice(0, at);
}

function berrySource(reference: string): SourceKind {
  if (reference.startsWith('npm:')) return 'registry';
  if (reference.startsWith('workspace:') || reference.startsWith('link:') || reference.startsWith('portal:'))
    return 'link';
  if (reference.startsWith('file:'))
    return reference.includes('.tgz') || reference.includes('.tar') ? 'file' : 'link';
  if (/^(git|git\+|github:|https?:\/\/[^#]*\.git)/.test(reference) || reference.includes('#commit='))
    return 'git';
  if (/^https?:/.test(reference)) return sourceKind(reference);
  return 'registry';
}

// `file:x#x::hash=…&locator=…`: the part before `#`/`::` is what the project asked for.
function cleanReference(reference: string): string {
  return reference.replace(/::.*$/, '').replace(/^(file:[^#]*)#.*$/, '$1');
}
