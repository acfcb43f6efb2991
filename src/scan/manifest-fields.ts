/** Narrow readers for attacker-supplied manifest and packument fields: wrong types read as absent. */
export type Json = Readonly<Record<string, unknown>>;

export const asRecord = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;

export const asString = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

/** `dependencies` as name → spec pairs (non-string specs dropped). */
export function dependencyMap(manifest: Json | undefined, field = 'dependencies'): Map<string, string> {
  const out = new Map<string, string>();
  const deps = asRecord(manifest?.[field]);
  if (deps)
    for (const [name, spec] of Object.entries(deps)) if (typeof spec === 'string') out.set(name, spec);
  return out;
}

/** Whether the manifest names a source repository. */
export function hasRepository(manifest: Json | undefined): boolean {
  const repo = manifest?.repository;
  if (typeof repo === 'string') return repo.trim() !== '';
  return typeof asRecord(repo)?.url === 'string' && (asRecord(repo)?.url as string).trim() !== '';
}

/** The licence as declared (`"MIT"` or the old `{ type: "MIT" }`). */
export function licenseOf(manifest: Json | undefined): string | undefined {
  const license = manifest?.license;
  return asString(license) ?? asString(asRecord(license)?.type);
}

/** `_npmUser.name`, the account that published the version. */
export const publisherOf = (manifest: Json | undefined): string | undefined =>
  asString(asRecord(manifest?._npmUser)?.name);
