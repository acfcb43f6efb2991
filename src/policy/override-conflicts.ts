import semver from 'semver';

interface OverrideLike {
  readonly package: string;
  readonly version?: string | undefined;
  readonly action: string;
}

/** How specific an override's version is: one exact version beats a range, which beats all versions. */
export function versionSpecificity(version: string | undefined): number {
  if (version === undefined) return 0;
  return semver.valid(version) !== null ? 2 : 1;
}

/**
 * Overrides that contradict an earlier one: the same package pattern, equally specific versions that
 * overlap, and different actions. Such a policy cannot say what it means, so it is refused at load time.
 */
export function findContradictions(overrides: readonly OverrideLike[]): { index: number; message: string }[] {
  const out: { index: number; message: string }[] = [];
  overrides.forEach((later, index) => {
    for (let earlierIndex = 0; earlierIndex < index; earlierIndex++) {
      const earlier = overrides[earlierIndex];
      if (!earlier || earlier.action === later.action) continue;
      if (earlier.package.toLowerCase() !== later.package.toLowerCase()) continue;
      if (versionSpecificity(earlier.version) !== versionSpecificity(later.version)) continue;
      if (!versionsOverlap(earlier.version, later.version)) continue;
      out.push({
        index,
        message: `contradictory rules: this override says ${later.action} for ${describe(later)} but overrides.${earlierIndex} says ${earlier.action} for ${describe(earlier)}, equally specific`,
      });
      return;
    }
  });
  return out;
}

function versionsOverlap(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  try {
    return semver.intersects(a, b, { includePrerelease: true });
  } catch {
    return false;
  }
}

function describe(o: OverrideLike): string {
  return o.version === undefined ? o.package : `${o.package}@${o.version}`;
}
