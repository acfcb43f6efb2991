import type { Finding } from '../core/finding.js';
import { installHooks } from '../scan/install-scripts/install-scripts.js';
import { dependencyMap, type Json } from '../scan/manifest-fields.js';
import type { TarballContents, TarballFile } from '../scan/tarball/index.js';

/** One file that is new, gone or different. */
export interface FileChange {
  readonly path: string;
  readonly size: number;
  readonly previousSize?: number;
}

export interface DependencyChange {
  readonly field: DependencyField;
  readonly name: string;
  readonly from?: string;
  readonly to?: string;
}

export interface InstallScriptChange {
  readonly hook: string;
  readonly before?: string;
  readonly after?: string;
}

/** What changed between the previous approved version and this one, in lists a reviewer can scan. */
export interface VersionDiff {
  readonly version: string;
  /** The version compared against; absent when no earlier version was approved. */
  readonly previous?: string;
  readonly files: {
    readonly added: readonly FileChange[];
    readonly removed: readonly FileChange[];
    readonly changed: readonly FileChange[];
    readonly counts: { added: number; removed: number; changed: number; unchanged: number };
    /** True when a list was cut at `maxListed`. */
    readonly truncated: boolean;
  };
  readonly installScripts: readonly InstallScriptChange[];
  readonly dependencies: readonly DependencyChange[];
  /** What the scanner's diff analyzer flagged (against the previous version by publish time). */
  readonly signals: readonly Finding[];
  /** Why part of the comparison could not be made. */
  readonly problems: readonly string[];
}

const dependencyFields = ['dependencies', 'optionalDependencies', 'peerDependencies'] as const;
type DependencyField = (typeof dependencyFields)[number];

/** Compares two read tarballs and their manifests; lists are bounded, counts are exact. */
export function diffVersions(input: {
  readonly version: string;
  readonly manifest: Json;
  readonly contents: TarballContents;
  readonly previous?: {
    readonly version: string;
    readonly manifest: Json;
    readonly contents: TarballContents;
  };
  readonly signals?: readonly Finding[];
  readonly problems?: readonly string[];
  readonly maxListed?: number;
}): VersionDiff {
  const max = input.maxListed ?? 200;
  const previous = input.previous;
  const problems = [...(input.problems ?? [])];
  const before = previous?.contents.files ?? new Map<string, TarballFile>();
  const added: FileChange[] = [];
  const changed: FileChange[] = [];
  const removed: FileChange[] = [];
  let unchanged = 0;
  if (previous) {
    for (const [path, file] of input.contents.files) {
      const old = before.get(path);
      if (!old) added.push({ path, size: file.size });
      else if (differ(old, file)) changed.push({ path, size: file.size, previousSize: old.size });
      else unchanged++;
    }
    for (const [path, file] of before)
      if (!input.contents.files.has(path)) removed.push({ path, size: file.size });
  }
  const byPath = (a: FileChange, b: FileChange) => a.path.localeCompare(b.path);
  const counts = { added: added.length, removed: removed.length, changed: changed.length, unchanged };
  return {
    version: input.version,
    ...(previous ? { previous: previous.version } : {}),
    files: {
      added: added.sort(byPath).slice(0, max),
      removed: removed.sort(byPath).slice(0, max),
      changed: changed.sort(byPath).slice(0, max),
      counts,
      truncated: counts.added > max || counts.removed > max || counts.changed > max,
    },
    installScripts: previous
      ? scriptChanges(previous.manifest, previous.contents, input.manifest, input.contents)
      : [],
    dependencies: previous ? dependencyChanges(previous.manifest, input.manifest).slice(0, max) : [],
    signals: input.signals ?? [],
    problems,
  };
}

function differ(a: TarballFile, b: TarballFile): boolean {
  if (a.size !== b.size) return true;
  // Files over the read limit have no bytes: equal sizes is all that can be said.
  if (!a.bytes || !b.bytes) return false;
  return !Buffer.from(a.bytes.buffer, a.bytes.byteOffset, a.bytes.byteLength).equals(b.bytes);
}

function scriptChanges(
  beforeManifest: Json,
  beforeContents: TarballContents,
  afterManifest: Json,
  afterContents: TarballContents,
): InstallScriptChange[] {
  const before = installHooks(beforeManifest.scripts, beforeContents.files.has('binding.gyp'));
  const after = installHooks(afterManifest.scripts, afterContents.files.has('binding.gyp'));
  const hooks = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return hooks
    .filter((hook) => before[hook] !== after[hook])
    .map((hook) => ({
      hook,
      ...(before[hook] !== undefined ? { before: before[hook] } : {}),
      ...(after[hook] !== undefined ? { after: after[hook] } : {}),
    }));
}

function dependencyChanges(before: Json, after: Json): DependencyChange[] {
  const changes: DependencyChange[] = [];
  for (const field of dependencyFields) {
    const a = dependencyMap(before, field);
    const b = dependencyMap(after, field);
    for (const [name, to] of b) {
      const from = a.get(name);
      if (from === undefined) changes.push({ field, name, to: to.slice(0, 200) });
      else if (from !== to) changes.push({ field, name, from: from.slice(0, 200), to: to.slice(0, 200) });
    }
    for (const [name, from] of a) if (!b.has(name)) changes.push({ field, name, from: from.slice(0, 200) });
  }
  return changes;
}
