import type { Finding } from '../../core/finding.js';
import type { VersionFacts } from '../../core/facts.js';
import type { FileSummary } from '../content/inventory.js';
import { ruleFinding } from '../findings.js';
import { installHooks } from '../install-scripts/install-scripts.js';
import {
  asRecord,
  asString,
  dependencyMap,
  hasRepository,
  licenseOf,
  type Json,
} from '../manifest-fields.js';
import type { TyposquatIndex } from './typosquat.js';

const URL_SPEC = /^(?:git\+|git:|github:|gitlab:|bitbucket:|https?:|file:|link:)|^[\w-]+\/[\w.-]+(?:#.*)?$/;
const DAY_MS = 86_400_000;

export interface MetadataInput {
  readonly name: string;
  readonly version: string;
  readonly manifest: Json;
  readonly packument?: Json;
  /** The tarball's own package.json (what npm actually installs and runs). */
  readonly tarballManifest?: Json;
  readonly inventory: readonly FileSummary[];
  readonly now: Date;
  readonly youngPackageDays: number;
}

/** Metadata rules: typosquatting, slopsquatting, URL dependencies, binaries, empty and mismatched manifests. */
export function analyzeMetadata(
  input: MetadataInput,
  typosquats: TyposquatIndex,
): { findings: Finding[]; facts: VersionFacts } {
  const { manifest, packument } = input;
  const findings: Finding[] = [];
  const facts: VersionFacts = {};
  const squat = typosquats.check(input.name);
  if (squat) {
    facts.typosquatOf = squat.of;
    findings.push(
      ruleFinding('typosquat', `"${input.name}" looks like "${squat.of}" (${squat.how})`, {
        file: 'package.json',
      }),
    );
  }
  const time = asRecord(packument?.time);
  const created = asString(time?.created);
  const published = asString(time?.[input.version]);
  if (created !== undefined) facts.packageCreatedAt = created;
  if (published !== undefined) facts.publishedAt = published;
  facts.hasRepository = hasRepository(manifest);
  const license = licenseOf(manifest);
  if (license !== undefined) facts.license = license;
  const deprecated = asString(manifest.deprecated);
  if (deprecated !== undefined) {
    facts.deprecated = deprecated;
    findings.push(ruleFinding('deprecated', `deprecated: ${deprecated.slice(0, 200)}`));
  }
  const maintainers = Array.isArray(packument?.maintainers)
    ? packument.maintainers.flatMap((m) => asString(asRecord(m)?.name) ?? [])
    : [];
  if (maintainers.length > 0) facts.maintainers = maintainers;

  const versions = Object.keys(asRecord(packument?.versions) ?? {}).length;
  const ageDays = created !== undefined ? (input.now.getTime() - Date.parse(created)) / DAY_MS : undefined;
  if (
    ageDays !== undefined &&
    ageDays >= 0 &&
    ageDays < input.youngPackageDays &&
    !facts.hasRepository &&
    versions <= 3
  )
    findings.push(
      ruleFinding(
        'young-package',
        `first published ${Math.floor(ageDays)} days ago, ${versions} version(s), no repository`,
      ),
    );

  for (const field of ['dependencies', 'optionalDependencies']) {
    for (const [dep, spec] of dependencyMap(manifest, field))
      if (URL_SPEC.test(spec))
        findings.push(
          ruleFinding('url-dependency', `${dep} comes from ${spec.slice(0, 120)}`, {
            file: 'package.json',
            evidence: `"${dep}": "${spec.slice(0, 200)}"`,
          }),
        );
  }
  const binaries = input.inventory.filter((f) => f.kind === 'binary');
  if (binaries.length > 0)
    findings.push(
      ruleFinding(
        'bundled-binary',
        `${binaries.length} executable binaries, e.g. ${binaries
          .slice(0, 3)
          .map((b) => b.path)
          .join(', ')}`,
        { file: binaries[0]?.path },
      ),
    );
  if (asString(manifest.description)?.trim() ? false : !facts.hasRepository && license === undefined)
    findings.push(ruleFinding('metadata-empty', 'no description, repository or licence'));

  const tarball = input.tarballManifest;
  if (tarball) {
    const problems: string[] = [];
    if (asString(tarball.name) !== input.name) problems.push(`name "${String(tarball.name)}"`);
    if (asString(tarball.version) !== input.version) problems.push(`version "${String(tarball.version)}"`);
    // npm adds the implicit `node-gyp rebuild` to the published manifest, so both sides get it.
    const gyp = input.inventory.some((f) => f.path === 'binding.gyp');
    const fromTarball = JSON.stringify(installHooks(tarball.scripts, gyp));
    if (fromTarball !== JSON.stringify(installHooks(manifest.scripts, gyp)))
      problems.push(`install scripts ${fromTarball}`);
    const deps = (m: Json) => JSON.stringify([...dependencyMap(m)].sort());
    if (deps(tarball) !== deps(manifest)) problems.push('dependencies');
    if (problems.length > 0)
      findings.push(
        ruleFinding(
          'manifest-mismatch',
          `tarball package.json differs from the registry manifest: ${problems.join(', ')}`,
          { file: 'package.json' },
        ),
      );
  }
  return { findings, facts };
}
