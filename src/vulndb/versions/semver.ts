import { compareDigits, compareText, stripZeros } from './numeric.js';

/**
 * A version ordered by SemVer 2.0 precedence, parsed the tolerant way advisory data needs: a leading `v`,
 * fewer than three numeric components (`1.2` = `1.2.0`) and a suffix without a hyphen (`1.36.0rc1`).
 * Components past the third belong to the suffix, as in the reference implementations advisories use.
 */
export interface SemverVersion {
  /** Exactly three canonical digit strings. */
  readonly core: readonly [string, string, string];
  /** Pre-release identifiers; empty for a release. Build metadata is dropped: it never affects order. */
  readonly prerelease: readonly string[];
}

const digit = (c: number) => c >= 48 && c <= 57;

/** Parses a version; undefined when it does not start with a number (after an optional `v`). */
export function parseSemver(input: string): SemverVersion | undefined {
  let text = input.trim();
  if (text.startsWith('v') || text.startsWith('V')) text = text.slice(1);
  if (text.length === 0 || text.length > 256 || !digit(text.charCodeAt(0))) return undefined;
  const components: string[] = [];
  let i = 0;
  while (i < text.length) {
    const start = i;
    while (i < text.length && digit(text.charCodeAt(i))) i++;
    if (i === start) break;
    components.push(stripZeros(text.slice(start, i)));
    if (text[i] === '.' && i + 1 < text.length && digit(text.charCodeAt(i + 1))) i++;
    else break;
  }
  let suffix = text.slice(i);
  // `1.1.3.4.5`: the fourth and later numbers are suffix text, compared like pre-release identifiers.
  if (components.length > 3) suffix = `.${components.splice(3).join('.')}${suffix}`;
  while (components.length < 3) components.push('0');
  const plus = suffix.indexOf('+');
  if (plus >= 0) suffix = suffix.slice(0, plus);
  if (suffix.startsWith('-')) suffix = suffix.slice(1);
  return {
    core: components as unknown as [string, string, string],
    prerelease: suffix === '' ? [] : suffix.split('.'),
  };
}

/** SemVer 2.0 precedence: negative, zero or positive like a sort comparator. */
export function compareSemver(a: SemverVersion, b: SemverVersion): number {
  for (let i = 0; i < 3; i++) {
    const d = compareDigits(a.core[i]!, b.core[i]!);
    if (d !== 0) return d;
  }
  // A pre-release sorts below its release.
  if (a.prerelease.length === 0 || b.prerelease.length === 0)
    return b.prerelease.length - a.prerelease.length === 0 ? 0 : a.prerelease.length === 0 ? 1 : -1;
  const n = Math.min(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < n; i++) {
    const d = compareIdentifier(a.prerelease[i]!, b.prerelease[i]!);
    if (d !== 0) return d;
  }
  return Math.sign(a.prerelease.length - b.prerelease.length);
}

const numeric = /^[0-9]+$/;

/** Numeric identifiers compare by value and sort below alphanumeric ones, which compare in ASCII order. */
function compareIdentifier(a: string, b: string): number {
  const an = numeric.test(a);
  const bn = numeric.test(b);
  if (an && bn) return compareDigits(a, b);
  if (an !== bn) return an ? -1 : 1;
  return compareText(a, b);
}
