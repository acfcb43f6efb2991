import { compareDigits, compareText, stripZeros } from './numeric.js';

/**
 * A PyPI version ordered by PEP 440: epoch, release, pre (a < b < rc), post, dev and local segments, with
 * the spec's normalisations (alpha→a, c/pre/preview→rc, rev/r→post, `1.0-1` = `1.0.post1`, case-insensitive).
 * Strings that are not PEP 440 are "legacy" versions: they sort below every valid version, ordered the way
 * pip's `packaging` (before 22) ordered them, because old advisories still name such releases.
 */
export type Pep440Version = Pep440Valid | Pep440Legacy;

export interface Pep440Valid {
  readonly kind: 'pep440';
  readonly epoch: string;
  /** Release numbers with trailing zeros removed (`1.0.0` = `1`). */
  readonly release: readonly string[];
  /** 0 a, 1 b, 2 rc; -1 for "dev release of a final" (sorts below any pre), 3 for none. */
  readonly preRank: number;
  readonly preNumber: string;
  readonly post: string | undefined;
  readonly dev: string | undefined;
  readonly local: readonly string[] | undefined;
}

export interface Pep440Legacy {
  readonly kind: 'legacy';
  readonly parts: readonly string[];
}

const pattern =
  /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(alpha|beta|preview|pre|a|b|c|rc)[-_.]?(\d+)?)?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?(?:[-_.]?(dev)[-_.]?(\d+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$/;

const preRanks: Readonly<Record<string, number>> = {
  a: 0,
  alpha: 0,
  b: 1,
  beta: 1,
  c: 2,
  rc: 2,
  pre: 2,
  preview: 2,
};

/** True when `input` is a valid PEP 440 version (not a legacy one). */
export function isPep440(input: string): boolean {
  return pattern.test(input.trim().toLowerCase());
}

/** Parses any string; invalid PEP 440 becomes a legacy version rather than an error, as pip treats them. */
export function parsePep440(input: string): Pep440Version {
  const text = input.trim().toLowerCase();
  const m = text.length <= 256 ? pattern.exec(text) : null;
  if (!m) return { kind: 'legacy', parts: legacyParts(text) };
  const release = (m[2] ?? '0').split('.').map(stripZeros);
  while (release.length > 1 && release[release.length - 1] === '0') release.pop();
  const preLetter = m[3];
  const post = m[5] ?? (m[6] !== undefined ? (m[7] ?? '0') : undefined);
  const dev = m[8] !== undefined ? (m[9] ?? '0') : undefined;
  let preRank = 3;
  if (preLetter !== undefined) preRank = preRanks[preLetter] ?? 3;
  else if (post === undefined && dev !== undefined) preRank = -1;
  return {
    kind: 'pep440',
    epoch: stripZeros(m[1] ?? '0'),
    release,
    preRank,
    preNumber: stripZeros(m[4] ?? '0'),
    post: post === undefined ? undefined : stripZeros(post),
    dev: dev === undefined ? undefined : stripZeros(dev),
    local: m[10] === undefined ? undefined : m[10].split(/[-_.]/),
  };
}

/** PEP 440 order: negative, zero or positive like a sort comparator. */
export function comparePep440(a: Pep440Version, b: Pep440Version): number {
  if (a.kind === 'legacy' || b.kind === 'legacy') {
    if (a.kind !== b.kind) return a.kind === 'legacy' ? -1 : 1;
    return compareParts((a as Pep440Legacy).parts, (b as Pep440Legacy).parts);
  }
  return (
    compareDigits(a.epoch, b.epoch) ||
    compareRelease(a.release, b.release) ||
    Math.sign(a.preRank - b.preRank) ||
    (a.preRank >= 0 && a.preRank <= 2 ? compareDigits(a.preNumber, b.preNumber) : 0) ||
    compareOptional(a.post, b.post, -1) ||
    compareOptional(a.dev, b.dev, 1) ||
    compareLocal(a.local, b.local)
  );
}

function compareRelease(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = compareDigits(a[i]!, b[i]!);
    if (d !== 0) return d;
  }
  return Math.sign(a.length - b.length);
}

/** An absent segment sorts below (`absent = -1`: post) or above (`absent = 1`: dev) any present one. */
function compareOptional(a: string | undefined, b: string | undefined, absent: number): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? absent : -absent;
  return compareDigits(a, b);
}

const numeric = /^[0-9]+$/;

/** No local label sorts first; numeric local parts sort above alphanumeric ones. */
function compareLocal(a: readonly string[] | undefined, b: readonly string[] | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const xn = numeric.test(x);
    const yn = numeric.test(y);
    const d = xn && yn ? compareDigits(x, y) : xn !== yn ? (xn ? 1 : -1) : compareText(x, y);
    if (d !== 0) return d;
  }
  return Math.sign(a.length - b.length);
}

function compareParts(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = compareText(a[i]!, b[i]!);
    if (d !== 0) return d;
  }
  return Math.sign(a.length - b.length);
}

const legacyToken = /(\d+|[a-z]+|\.|-)/;
const legacyReplacements: Readonly<Record<string, string>> = {
  pre: 'c',
  preview: 'c',
  '-': 'final-',
  rc: 'c',
  dev: '@',
};

/** The legacy sort key: numbers zero-padded to 8, words prefixed with `*`, a `*final` marker at the end. */
function legacyParts(text: string): string[] {
  const parts: string[] = [];
  const raw = [...text.split(legacyToken), '*final'];
  for (let index = 0; index < raw.length; index++) {
    let part = raw[index]!;
    if (index < raw.length - 1) {
      part = Object.hasOwn(legacyReplacements, part) ? legacyReplacements[part]! : part;
      if (part === '' || part === '.') continue;
      part = /^[0-9]/.test(part) ? part.padStart(8, '0') : `*${part}`;
    }
    if (part.startsWith('*')) {
      if (part < '*final') while (parts.length > 0 && parts[parts.length - 1] === '*final-') parts.pop();
      while (parts.length > 0 && parts[parts.length - 1] === '00000000') parts.pop();
    }
    parts.push(part);
  }
  return parts;
}
