/** How a name imitates a popular one. */
export interface TyposquatMatch {
  readonly of: string;
  readonly how: 'edit' | 'transposition' | 'separator-or-suffix' | 'homoglyph' | 'scope';
}

const HOMOGLYPHS: readonly [RegExp, string][] = [
  [/0/g, 'o'],
  [/1/g, 'l'],
  [/3/g, 'e'],
  [/5/g, 's'],
  [/rn/g, 'm'],
  [/vv/g, 'w'],
  [/i/g, 'l'],
];

/** `lodash.js`, `lo-dash`, `node-lodash`, `lodashjs` all fold to `lodash`. */
function foldSeparators(name: string): string {
  return name
    .replace(/(?:[-_.]?js|[-_.]node)$/, '')
    .replace(/^node[-_.]/, '')
    .replace(/[-_.]/g, '');
}

function foldHomoglyphs(name: string): string {
  let out = name;
  for (const [pattern, to] of HOMOGLYPHS) out = out.replace(pattern, to);
  return out;
}

/** Optimal string alignment distance, stopping early once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit = 2): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, (prevPrev[j - 2] ?? 0) + 1);
      row.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    prevPrev = prev;
    prev = row;
  }
  return prev[b.length] ?? limit + 1;
}

function isTransposition(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff = [...a].flatMap((c, i) => (c === b[i] ? [] : [i]));
  return (
    diff.length === 2 &&
    a[diff[0] as number] === b[diff[1] as number] &&
    a[diff[1] as number] === b[diff[0] as number]
  );
}

/** Typosquatting checks against a list of popular names (most popular first). */
export class TyposquatIndex {
  readonly #popular: ReadonlySet<string>;
  readonly #names: readonly string[];
  readonly #folded = new Map<string, string>();
  readonly #scopes = new Set<string>();

  constructor(popularNames: readonly string[]) {
    this.#names = popularNames;
    this.#popular = new Set(popularNames);
    for (const name of popularNames) {
      const key = foldHomoglyphs(foldSeparators(name));
      if (!this.#folded.has(key)) this.#folded.set(key, name);
      if (name.startsWith('@')) this.#scopes.add(name.slice(1, name.indexOf('/')));
    }
  }

  /** The popular package `name` imitates, if any; popular names themselves never match. */
  check(rawName: string): TyposquatMatch | undefined {
    const name = rawName.toLowerCase();
    if (this.#popular.has(name)) return undefined;
    if (name.startsWith('@')) {
      const slash = name.indexOf('/');
      const scope = name.slice(1, slash);
      const bare = name.slice(slash + 1);
      if (this.#scopes.has(scope)) return undefined;
      for (const popular of this.#scopes)
        if (
          scope.length >= 4 &&
          editDistance(scope, popular, 1) <= 1 &&
          this.#popular.has(`@${popular}/${bare}`)
        )
          return { of: `@${popular}/${bare}`, how: 'scope' };
      return undefined;
    }
    const folded = foldSeparators(name);
    const direct = this.#folded.get(folded);
    if (direct !== undefined && direct !== name && folded.length >= 3)
      return { of: direct, how: 'separator-or-suffix' };
    const glyphs = this.#folded.get(foldHomoglyphs(folded));
    if (glyphs !== undefined && glyphs !== name && folded.length >= 4)
      return { of: glyphs, how: 'homoglyph' };
    if (name.length < 5) return undefined;
    for (const popular of this.#names) {
      if (popular.startsWith('@') || popular.length < 5 || Math.abs(popular.length - name.length) > 1)
        continue;
      if (editDistance(name, popular, 1) <= 1)
        return { of: popular, how: isTransposition(name, popular) ? 'transposition' : 'edit' };
    }
    return undefined;
  }
}
