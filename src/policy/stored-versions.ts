import { z } from 'zod';
import { AirlockError } from '../errors.js';
import { severities } from '../core/finding.js';
import type { PackageVersionRef } from '../core/package-ref.js';
import type { StoredVersion, VersionChange } from './diff.js';

/**
 * The port through which `policy diff` and `policy test` read what the gate stored. The gate's
 * storage implements it; the policy domain never reads gate tables itself.
 */
export interface StoredVersionSource {
  /** Every stored version with its facts, findings and decision. */
  list(): AsyncIterable<StoredVersion> | Iterable<StoredVersion>;
  get(ref: PackageVersionRef): Promise<StoredVersion | undefined>;
  /** Persists a diff's revoke/release/reclassify changes (decidedBy `policy`); absent when read-only. */
  apply?(changes: readonly VersionChange[], actor: string): Promise<void>;
}

const findingSchema = z.object({
  analyzer: z.string().max(64),
  rule: z.string().max(128),
  severity: z.enum(severities),
  message: z.string().max(4096),
  file: z.string().max(4096).optional(),
  line: z.number().int().optional(),
  evidence: z.string().max(4096).optional(),
  advisory: z
    .object({
      id: z.string().max(256),
      aliases: z.array(z.string().max(256)).max(100).optional(),
      url: z.string().max(2048).optional(),
      fixedIn: z.array(z.string().max(256)).max(100).optional(),
      cvssScore: z.number().min(0).max(10).optional(),
    })
    .optional(),
});
export const findingsSchema = z.array(findingSchema).max(10_000);

/** Facts are checked for shape only where the engine reads them; unknown keys pass (namespaced extras). */
export const factsSchema = z.looseObject({
  publishedAt: z.string().max(64).optional(),
  packageCreatedAt: z.string().max(64).optional(),
  hasInstallScripts: z.boolean().optional(),
  installScriptsFirstSeen: z.boolean().optional(),
  license: z.string().max(1024).optional(),
  deprecated: z.string().max(4096).optional(),
  maintainerChanged: z.boolean().optional(),
  weeklyDownloads: z.number().optional(),
  typosquatOf: z.string().max(214).optional(),
  hasProvenance: z.boolean().optional(),
  sourceRepo: z.string().max(2048).optional(),
  provenanceRegression: z.boolean().optional(),
  sourceRepoChanged: z.boolean().optional(),
  scanVerdict: z.enum(['clean', 'suspicious', 'malicious']).optional(),
  scanScore: z.number().optional(),
  scanIncomplete: z.boolean().optional(),
});

const storedVersionSchema = z.object({
  ref: z.object({
    ecosystem: z.enum(['npm', 'pypi']),
    name: z.string().min(1).max(214),
    version: z.string().min(1).max(256),
  }),
  state: z.string().max(32),
  facts: factsSchema.default({}),
  findings: findingsSchema.default([]),
  decision: z
    .object({
      action: z.enum(['approve', 'review', 'reject']),
      reasons: z.array(z.object({ rule: z.string(), message: z.string() })).default([]),
      policyDigest: z.string(),
      decidedBy: z.string(),
      at: z.string(),
    })
    .optional(),
  origin: z.enum(['upstream', 'private']).optional(),
});

/** Reads stored versions from JSON (an export of the gate's store): `[{ ref, state, facts, findings, decision }]`. */
export function storedVersionsFromJson(text: string, source: string): StoredVersion[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new AirlockError('BAD_REQUEST', `${source}: not JSON: ${(cause as Error).message}`, { cause });
  }
  const result = z.array(storedVersionSchema).max(1_000_000).safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new AirlockError(
      'BAD_REQUEST',
      `${source}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return result.data;
}

/** A read-only source over versions already in memory. */
export function inMemoryVersionSource(versions: readonly StoredVersion[]): StoredVersionSource {
  return {
    list: () => versions,
    get: async (ref) =>
      versions.find(
        (v) => v.ref.ecosystem === ref.ecosystem && v.ref.name === ref.name && v.ref.version === ref.version,
      ),
  };
}
