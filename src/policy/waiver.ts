import semver from 'semver';
import type { Ecosystem, PackageVersionRef } from '../core/package-ref.js';
import { compilePattern } from './name-pattern.js';

/** A time-limited exception: rule `rule` does not count for `name@range` until `until`. */
export interface Waiver {
  readonly id: number;
  readonly ecosystem: Ecosystem;
  readonly name: string;
  /** Semver range (npm) or an exact version; `*` for every version. */
  readonly range: string;
  /** A rule id (`vulnerability`), or `rule:subject` to waive one thing only (`vulnerability:GHSA-xxxx`). */
  readonly rule: string;
  /** ISO time; the waiver stops applying at this instant. */
  readonly until: string;
  readonly reason: string;
  readonly createdBy: string;
  readonly createdAt: string;
}

/** True when `waiver` is in force at `now`. */
export function isActive(waiver: Pick<Waiver, 'until'>, now: Date): boolean {
  const until = Date.parse(waiver.until);
  return Number.isFinite(until) && now.getTime() < until;
}

/** True when `waiver` covers `ref` (same ecosystem, name and a version in its range). */
export function covers(waiver: Waiver, ref: PackageVersionRef): boolean {
  if (waiver.ecosystem !== ref.ecosystem) return false;
  // Stored waivers name one package; a pattern (only from hand-built waivers) is compiled on demand.
  const sameName = waiver.name.includes('*')
    ? compilePattern(waiver.name).matches(ref.name)
    : waiver.name.toLowerCase() === ref.name.toLowerCase();
  if (!sameName) return false;
  if (waiver.range === '*' || waiver.range === ref.version) return true;
  if (ref.ecosystem !== 'npm') return false;
  try {
    return semver.satisfies(ref.version, waiver.range, { includePrerelease: true });
  } catch {
    return false;
  }
}

/** True when the waiver's rule names this firing: the whole rule, or `rule:subject` for one subject. */
export function waivesFiring(
  waiverRule: string,
  firing: { rule: string; subject?: string | undefined },
): boolean {
  if (waiverRule === firing.rule) return true;
  return firing.subject !== undefined && waiverRule === `${firing.rule}:${firing.subject}`;
}

/** The waiver for this firing on `ref` in force at `now` that lasts longest, if any. */
export function findWaiver(
  waivers: readonly Waiver[],
  ref: PackageVersionRef,
  firing: { rule: string; subject?: string | undefined },
  now: Date,
): Waiver | undefined {
  let best: Waiver | undefined;
  for (const w of waivers) {
    if (!waivesFiring(w.rule, firing) || !isActive(w, now) || !covers(w, ref)) continue;
    if (!best || Date.parse(w.until) > Date.parse(best.until)) best = w;
  }
  return best;
}
