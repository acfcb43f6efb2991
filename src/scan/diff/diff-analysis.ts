import type { Finding } from '../../core/finding.js';
import type { VersionFacts } from '../../core/facts.js';
import type { FileSummary } from '../content/inventory.js';
import { ruleFinding } from '../findings.js';
import { installHooks } from '../install-scripts/install-scripts.js';
import { asRecord, asString, dependencyMap, publisherOf, type Json } from '../manifest-fields.js';

export interface DiffInput {
  readonly version: string;
  readonly manifest: Json;
  readonly packument?: Json;
  readonly previous?: { readonly version: string; readonly manifest: Json };
  readonly inventory: readonly FileSummary[];
  /** Files of the previous version, when its tarball could be read. */
  readonly previousInventory?: readonly FileSummary[];
}

const unpackedSize = (m: Json | undefined): number | undefined => {
  const size = asRecord(m?.dist)?.unpackedSize;
  return typeof size === 'number' && size >= 0 ? size : undefined;
};
const hasHooks = (m: Json | undefined): boolean => Object.keys(installHooks(m?.scripts, false)).length > 0;

/** Earlier versions of the package by publish time (packument `time`), oldest first. */
function earlierManifests(input: DiffInput): Json[] {
  const versions = asRecord(input.packument?.versions);
  const time = asRecord(input.packument?.time);
  const mine = asString(time?.[input.version]);
  if (!versions) return input.previous ? [input.previous.manifest] : [];
  return Object.entries(versions)
    .filter(([v]) => v !== input.version && (mine === undefined || (asString(time?.[v]) ?? '') < mine))
    .flatMap(([, m]) => {
      const record = asRecord(m);
      return record ? [record] : [];
    });
}

/** What changed since the previous version: the strongest signal of a hijacked maintainer account. */
export function analyzeDiff(input: DiffInput): { findings: Finding[]; facts: VersionFacts } {
  const findings: Finding[] = [];
  const facts: VersionFacts = {};
  const earlier = earlierManifests(input);
  const now = installHooks(
    input.manifest.scripts,
    input.inventory.some((f) => f.path === 'binding.gyp'),
  );
  facts.hasInstallScripts = Object.keys(now).length > 0;
  if (facts.hasInstallScripts && earlier.length > 0) facts.installScriptsFirstSeen = !earlier.some(hasHooks);
  const previous = input.previous?.manifest;
  if (!previous) return { findings, facts };
  const from = `since ${input.previous?.version}`;

  if (facts.hasInstallScripts && !hasHooks(previous))
    findings.push(
      ruleFinding(
        'install-script-added',
        `${Object.keys(now).join(', ')} added ${from}: ${Object.values(now)[0]?.slice(0, 120)}`,
        { file: 'package.json' },
      ),
    );
  const before = dependencyMap(previous);
  const added = [...dependencyMap(input.manifest).keys()].filter((d) => !before.has(d));
  if (added.length > 0)
    findings.push(
      ruleFinding('dependency-added', `${added.slice(0, 10).join(', ')} added ${from}`, {
        file: 'package.json',
      }),
    );
  const [sizeBefore, sizeNow] = [unpackedSize(previous), unpackedSize(input.manifest)];
  const sum = (inv?: readonly FileSummary[]) => inv?.reduce((n, f) => n + f.size, 0);
  const a = sizeBefore ?? sum(input.previousInventory);
  const b = sizeNow ?? sum(input.inventory);
  if (a !== undefined && b !== undefined && b > a * 3 && b - a > 500_000)
    findings.push(ruleFinding('size-jump', `unpacked size grew from ${a} to ${b} bytes ${from}`));
  if (input.previousInventory) {
    const old = new Set(input.previousInventory.map((f) => f.path));
    const fresh = input.inventory.filter((f) => !old.has(f.path) && (f.minified || f.kind === 'binary'));
    if (fresh.length > 0)
      findings.push(
        ruleFinding(
          'new-minified-file',
          `${fresh
            .slice(0, 5)
            .map((f) => `${f.path} (${f.kind === 'binary' ? 'binary' : 'minified'})`)
            .join(', ')} new ${from}`,
          { file: fresh[0]?.path },
        ),
      );
  }
  const publisher = publisherOf(input.manifest);
  const knownPublishers = new Set(earlier.flatMap((m) => publisherOf(m) ?? []));
  if (publisher !== undefined && knownPublishers.size > 0 && !knownPublishers.has(publisher)) {
    facts.maintainerChanged = true;
    findings.push(
      ruleFinding(
        'publisher-changed',
        `published by ${publisher}, who published no earlier version (before: ${[...knownPublishers].slice(0, 3).join(', ')})`,
      ),
    );
  } else if (publisher !== undefined && knownPublishers.size > 0) facts.maintainerChanged = false;
  const attested = (m: Json) => asRecord(asRecord(m.dist)?.attestations) !== undefined;
  if (attested(previous) && !attested(input.manifest))
    findings.push(
      ruleFinding(
        'provenance-dropped',
        `${input.previous?.version} had provenance attestations, ${input.version} has none`,
      ),
    );
  const [mainBefore, mainNow] = [asString(previous.main), asString(input.manifest.main)];
  if (
    mainBefore !== undefined &&
    mainNow !== undefined &&
    mainBefore.replace(/^\.\//, '') !== mainNow.replace(/^\.\//, '')
  )
    findings.push(
      ruleFinding('entry-point-changed', `main changed from ${mainBefore} to ${mainNow} ${from}`, {
        file: 'package.json',
      }),
    );
  return { findings, facts };
}
