import type { Ecosystem } from '../core/package-ref.js';

// purl-spec percent-encodes everything outside its unreserved set; ':' and '/' inside segments too.
function encodeSegment(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** PEP 503 normalised name: lower case, runs of `-_.` become one `-`. */
export function normalizePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** The package URL of a component, e.g. `pkg:npm/%40scope/name@1.0.0`, `pkg:pypi/requests@2.31.0`. */
export function purlOf(ecosystem: Ecosystem, name: string, version: string): string {
  const at = version ? `@${encodeSegment(version)}` : '';
  if (ecosystem === 'pypi') return `pkg:pypi/${encodeSegment(normalizePypiName(name))}${at}`;
  const slash = name.startsWith('@') ? name.indexOf('/') : -1;
  if (slash > 0) {
    return `pkg:npm/${encodeSegment(name.slice(0, slash))}/${encodeSegment(name.slice(slash + 1))}${at}`;
  }
  return `pkg:npm/${encodeSegment(name)}${at}`;
}

/** The purl without qualifiers, subpath and (optionally) version, for matching VEX products. */
export function purlBase(purl: string, keepVersion = true): string {
  let base = purl.split(/[?#]/, 1)[0] ?? purl;
  base = decodeURIComponent(base);
  if (!keepVersion) {
    const at = base.lastIndexOf('@');
    if (at > base.lastIndexOf('/')) base = base.slice(0, at);
  }
  return base.toLowerCase();
}
