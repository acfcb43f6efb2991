import { AirlockError } from '../errors.js';

/** npm's own limit; longer names never existed upstream. */
const maxNameLength = 214;
const unscoped = /^[a-z0-9~][a-z0-9._~-]*$/i;
const scoped = /^@([a-z0-9~][a-z0-9._~-]*)\/([a-z0-9~][a-z0-9._~-]*)$/i;

/** A validated npm package name: safe to use in URLs, file names and SQL. */
export interface NpmPackageName {
  readonly name: string;
  /** `@acme` for `@acme/pkg`, undefined for unscoped names. */
  readonly scope: string | undefined;
}

/**
 * Validates a name taken from a request path or a document. Rejects traversal (`..`, `%2e%2e`),
 * control characters and over-long names before anything else sees them.
 */
export function parsePackageName(raw: string): NpmPackageName {
  if (raw.length === 0 || raw.length > maxNameLength) {
    throw invalid(raw, `must be 1–${maxNameLength} characters`);
  }
  const scopedMatch = scoped.exec(raw);
  if (scopedMatch) {
    const [, scope = '', bare = ''] = scopedMatch;
    if (isDotName(bare) || isDotName(scope)) throw invalid(raw, 'must not be "." or ".."');
    return { name: raw, scope: `@${scope}` };
  }
  if (!unscoped.test(raw)) throw invalid(raw, 'has characters npm does not allow');
  if (isDotName(raw)) throw invalid(raw, 'must not be "." or ".."');
  return { name: raw, scope: undefined };
}

/** Decodes a name from a URL segment: `@scope%2fname` and `@scope/name` both mean the scoped name. */
export function packageNameFromPath(segment: string): NpmPackageName {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    throw invalid(segment, 'is not valid URL encoding');
  }
  return parsePackageName(decoded);
}

/** The name as it appears in upstream URLs (`@scope%2fname`). */
export function encodePackageName(name: string): string {
  return name.startsWith('@') ? `@${encodeURIComponent(name.slice(1))}` : encodeURIComponent(name);
}

function isDotName(name: string): boolean {
  return name === '.' || name === '..';
}

function invalid(raw: string, why: string): AirlockError {
  const shown = JSON.stringify(raw.length > 80 ? `${raw.slice(0, 80)}…` : raw);
  return new AirlockError('INVALID_PACKAGE_NAME', `package name ${shown} ${why}`);
}
