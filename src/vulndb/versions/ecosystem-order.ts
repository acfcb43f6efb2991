import type { Ecosystem } from '../../core/package-ref.js';
import { compareSemver, parseSemver, type SemverVersion } from './semver.js';
import { comparePep440, isPep440, parsePep440, type Pep440Version } from './pep440.js';

/** A parsed version of one ecosystem; compare only with versions of the same ecosystem. */
export type ParsedVersion =
  | { readonly ecosystem: 'npm'; readonly v: SemverVersion }
  | { readonly ecosystem: 'pypi'; readonly v: Pep440Version };

/** How one ecosystem orders versions: npm by SemVer 2.0 precedence, PyPI by PEP 440. */
export interface VersionOrder {
  /** Undefined when `text` is no version of this ecosystem (advisory events must be valid). */
  parseStrict(text: string): ParsedVersion | undefined;
  /** Any installed version: npm versions that are not SemVer are undefined; PyPI falls back to legacy. */
  parse(text: string): ParsedVersion | undefined;
  compare(a: ParsedVersion, b: ParsedVersion): number;
}

const npmOrder: VersionOrder = {
  parseStrict: (text) => npmOrder.parse(text),
  parse: (text) => {
    const v = parseSemver(text);
    return v && { ecosystem: 'npm', v };
  },
  compare: (a, b) => compareSemver(a.v as SemverVersion, b.v as SemverVersion),
};

const pypiOrder: VersionOrder = {
  parseStrict: (text) => (isPep440(text) ? { ecosystem: 'pypi', v: parsePep440(text) } : undefined),
  parse: (text) => ({ ecosystem: 'pypi', v: parsePep440(text) }),
  compare: (a, b) => comparePep440(a.v as Pep440Version, b.v as Pep440Version),
};

/** The order of `ecosystem`. */
export function versionOrder(ecosystem: Ecosystem): VersionOrder {
  return ecosystem === 'npm' ? npmOrder : pypiOrder;
}

/** Compares two version strings of one ecosystem; unparsable npm versions sort below all others. */
export function compareVersionText(ecosystem: Ecosystem, a: string, b: string): number {
  const order = versionOrder(ecosystem);
  const x = order.parse(a);
  const y = order.parse(b);
  if (!x || !y) return x ? 1 : y ? -1 : 0;
  return order.compare(x, y);
}
