import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/canonical-json.js';
import { compilePattern, type NamePattern } from './name-pattern.js';
import { parseLicenseEntry, type LicenseEntry } from './spdx.js';
import { versionSpecificity } from './override-conflicts.js';
import { defaultPolicyRules, type EffectivePolicy } from './default-policy.js';
import type { Override, PolicyRules } from './rules-schema.js';

export interface CompiledOverride extends Override {
  readonly index: number;
  readonly pattern: NamePattern;
  readonly specificity: readonly number[];
}

/** A validated policy ready for the engine: every rule filled in, patterns compiled, its digest computed. */
export interface CompiledPolicy {
  readonly rules: EffectivePolicy;
  /** `sha256:<hex>` of the canonical JSON of `rules`; stored with every decision made under it. */
  readonly digest: string;
  /** Where the policy came from (a file path, or `(default)`), for messages. */
  readonly source: string;
  readonly minReleaseAgeExempt: readonly NamePattern[];
  readonly installScriptsAllow: readonly NamePattern[];
  readonly provenanceRequired: readonly NamePattern[];
  readonly repositories: readonly { readonly pattern: NamePattern; readonly repository: RegExp }[];
  readonly licenseAllow: readonly LicenseEntry[];
  readonly licenseDeny: readonly LicenseEntry[];
  /** Most specific first. */
  readonly overrides: readonly CompiledOverride[];
  /** Overrides that can match `name` (exact-name ones looked up by lower-case name), most specific first. */
  overridesFor(name: string): readonly CompiledOverride[];
}

/** Fills rules left out from the default policy and compiles them; `rules` must already be validated. */
export function compilePolicy(rules: PolicyRules = {}, source = '(default)'): CompiledPolicy {
  const merged: Record<string, unknown> = { ...defaultPolicyRules };
  for (const [key, value] of Object.entries(rules)) if (value !== undefined) merged[key] = value;
  const effective = merged as EffectivePolicy;
  const overrides = effective.overrides
    .map((o, index) => {
      const pattern = compilePattern(o.package);
      const specificity = [pattern.exact ? 1 : 0, pattern.literalLength, versionSpecificity(o.version)];
      return { ...o, index, pattern, specificity };
    })
    .sort((a, b) => compareSpecificity(b.specificity, a.specificity) || a.index - b.index);
  const byName = new Map<string, CompiledOverride[]>();
  const patterns: CompiledOverride[] = [];
  for (const o of overrides) {
    if (!o.pattern.exact) patterns.push(o);
    else {
      const key = o.package.toLowerCase();
      byName.set(key, [...(byName.get(key) ?? []), o]);
    }
  }
  // Exact names rank above every pattern, so a name's own overrides come first, then the patterns.
  const overridesFor = (name: string): readonly CompiledOverride[] => {
    const exact = byName.get(name.toLowerCase()) ?? [];
    const matching = patterns.filter((o) => o.pattern.matches(name));
    return exact.length === 0 ? matching : [...exact, ...matching];
  };
  return {
    overridesFor,
    rules: effective,
    digest: `sha256:${createHash('sha256').update(canonicalJson(effective)).digest('hex')}`,
    source,
    minReleaseAgeExempt: effective.minReleaseAge.exempt.map(compilePattern),
    installScriptsAllow: effective.installScripts.allow.map(compilePattern),
    provenanceRequired: effective.provenance.require.map(compilePattern),
    repositories: effective.provenance.repositories.map((r) => ({
      pattern: compilePattern(r.package),
      repository: repositoryPattern(r.repository),
    })),
    licenseAllow: effective.licenses.allow.map(parseLicenseEntry),
    licenseDeny: effective.licenses.deny.map(parseLicenseEntry),
    overrides,
  };
}

/** Compares specificity tuples; positive when `a` is more specific. */
export function compareSpecificity(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** `github.com/acme/*` → a regex over normalized repository URLs (see `normalizeRepository`). */
function repositoryPattern(text: string): RegExp {
  const parts = normalizeRepository(text).split('*');
  return new RegExp(`^${parts.map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/** `git+https://GitHub.com/acme/ui.git` → `github.com/acme/ui`, so spellings of one repository compare equal. */
export function normalizeRepository(url: string): string {
  return url
    .trim()
    .toLowerCase()
    .replace(/^git\+/, '')
    .replace(/^[a-z]+:\/\//, '')
    .replace(/^git@([^:]+):/, '$1/')
    .replace(/^[^@/]+@/, '')
    .replace(/\.git$/, '')
    .replace(/\/+$/, '');
}
