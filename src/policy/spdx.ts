import parseSpdx, { type SpdxLicenseNode, type SpdxNode } from 'spdx-expression-parse';

/** A licence identifier from an allow or deny list, optionally with a `WITH` exception. */
export interface LicenseEntry {
  readonly license: string;
  readonly exception?: string | undefined;
}

export type LicenseVerdict =
  | { readonly verdict: 'allowed' }
  | { readonly verdict: 'denied'; readonly message: string }
  | { readonly verdict: 'unknown'; readonly message: string };

const maxExpressionLength = 512;

/** Parses an allow/deny list entry (`MIT`, `GPL-2.0-only WITH Classpath-exception-2.0`); throws naming the problem. */
export function parseLicenseEntry(text: string): LicenseEntry {
  let node: SpdxNode;
  try {
    node = parseSpdx(text);
  } catch (error) {
    throw new Error(`"${text.slice(0, 80)}" is not an SPDX licence identifier (${(error as Error).message})`);
  }
  if (!('license' in node)) {
    throw new Error(`"${text.slice(0, 80)}" is an expression; list one SPDX licence identifier per entry`);
  }
  if (node.plus) throw new Error(`"${text}": write the -or-later identifier instead of "+"`);
  return { license: node.license, exception: node.exception };
}

/**
 * Decides a declared licence against allow/deny lists. The expression is satisfied when some choice
 * through its ORs uses only licences that are not denied and (when an allow list is given) allowed.
 * A missing, unparsable, UNLICENSED or "SEE LICENSE IN" licence is unknown.
 */
export function evaluateLicense(
  declared: string | undefined,
  lists: { readonly allow: readonly LicenseEntry[]; readonly deny: readonly LicenseEntry[] },
): LicenseVerdict {
  const text = declared?.trim() ?? '';
  if (text === '') return { verdict: 'unknown', message: 'no licence declared' };
  if (text.length > maxExpressionLength)
    return { verdict: 'unknown', message: 'licence expression too long' };
  if (/^unlicen[cs]ed$/i.test(text) || /^see licen[cs]e in /i.test(text)) {
    return { verdict: 'unknown', message: `licence "${text.slice(0, 80)}" is not an SPDX expression` };
  }
  let node: SpdxNode;
  try {
    node = parseSpdx(text);
  } catch {
    return { verdict: 'unknown', message: `licence "${text.slice(0, 80)}" is not a valid SPDX expression` };
  }
  const blockers: string[] = [];
  if (satisfiable(node, lists, blockers)) return { verdict: 'allowed' };
  const unique = [...new Set(blockers)];
  return {
    verdict: 'denied',
    message: `licence "${text.slice(0, 120)}" is not acceptable: ${unique.join(', ')}`,
  };
}

function satisfiable(
  node: SpdxNode,
  lists: { readonly allow: readonly LicenseEntry[]; readonly deny: readonly LicenseEntry[] },
  blockers: string[],
): boolean {
  if ('license' in node) {
    const problem = leafProblem(node, lists);
    if (problem) blockers.push(problem);
    return problem === undefined;
  }
  // Evaluate both sides so the message names every blocking licence, not only the first.
  const left = satisfiable(node.left, lists, blockers);
  const right = satisfiable(node.right, lists, blockers);
  return node.conjunction === 'and' ? left && right : left || right;
}

function leafProblem(
  leaf: SpdxLicenseNode,
  lists: { readonly allow: readonly LicenseEntry[]; readonly deny: readonly LicenseEntry[] },
): string | undefined {
  const name = leaf.exception ? `${leaf.license} WITH ${leaf.exception}` : leaf.license;
  // An allow entry naming this exact exception is more specific than a deny of the bare licence.
  if (lists.allow.some((e) => e.exception !== undefined && sameEntry(e, leaf))) return undefined;
  if (lists.deny.some((e) => sameEntry(e, leaf))) return `${name} is denied`;
  if (lists.allow.length > 0 && !lists.allow.some((e) => sameEntry(e, leaf))) {
    return `${name} is not on the allow list`;
  }
  return undefined;
}

/** An entry without an exception covers the licence with or without one (an exception only adds permissions). */
function sameEntry(entry: LicenseEntry, leaf: SpdxLicenseNode): boolean {
  if (entry.license.toLowerCase() !== leaf.license.toLowerCase()) return false;
  return entry.exception === undefined || entry.exception.toLowerCase() === leaf.exception?.toLowerCase();
}
