/**
 * Package name patterns of the policy: an exact name (`left-pad`, `@acme/ui`) or a glob where `*`
 * stands for any run of characters (`@acme/*`, `eslint-plugin-*`). Case-insensitive, because npm
 * treats names that differ only in case as the same package for new publishes.
 */
const patternChars = /^[a-z0-9@/._~*-]{1,214}$/i;

export interface NamePattern {
  readonly source: string;
  readonly exact: boolean;
  /** Characters that are not `*`: a longer literal part is a more specific pattern. */
  readonly literalLength: number;
  matches(name: string): boolean;
}

/** Why `text` is not a valid pattern, or undefined when it is. */
export function patternProblem(text: string): string | undefined {
  if (!patternChars.test(text)) {
    return `"${text.slice(0, 80)}" is not a package name pattern: use a name such as left-pad or @acme/ui, or a glob such as @acme/*`;
  }
  return starsProblem(text);
}

/** Names and repositories come from upstream: a glob with many `*` would backtrack for a long time on them. */
export function starsProblem(text: string): string | undefined {
  const stars = text.split('*').length - 1;
  return stars > maxStars ? `"${text.slice(0, 80)}" has ${stars} "*"; use at most ${maxStars}` : undefined;
}

const maxStars = 4;

/** Compiles a pattern; callers validate it first with `patternProblem`. */
export function compilePattern(text: string): NamePattern {
  const lower = text.toLowerCase();
  if (!lower.includes('*')) {
    return {
      source: text,
      exact: true,
      literalLength: lower.length,
      matches: (n) => n.toLowerCase() === lower,
    };
  }
  const regex = new RegExp(
    `^${lower
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return {
    source: text,
    exact: false,
    literalLength: lower.replaceAll('*', '').length,
    matches: (n) => regex.test(n.toLowerCase()),
  };
}

/** True when any of `patterns` matches `name`. */
export function matchesAny(patterns: readonly NamePattern[], name: string): boolean {
  return patterns.some((p) => p.matches(name));
}
