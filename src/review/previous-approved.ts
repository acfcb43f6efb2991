import semver from 'semver';
import type { GateVersion } from '../gate/gate-store.js';

/**
 * The version a reviewer compares against: the highest approved version below this one (semver),
 * or, for versions that are not semver, the latest approved one published before it.
 */
export function previousApproved(
  current: GateVersion,
  versions: readonly GateVersion[],
): GateVersion | undefined {
  const approved = versions.filter((v) => v.state === 'approved' && v.ref.version !== current.ref.version);
  const mine = semver.valid(current.ref.version);
  if (mine) {
    let best: GateVersion | undefined;
    for (const v of approved) {
      const theirs = semver.valid(v.ref.version);
      if (!theirs || !semver.lt(theirs, mine)) continue;
      if (!best || semver.gt(theirs, best.ref.version)) best = v;
    }
    return best;
  }
  const at = current.publishedAt;
  if (!at) return undefined;
  let best: GateVersion | undefined;
  for (const v of approved) {
    if (!v.publishedAt || v.publishedAt >= at) continue;
    if (!best || v.publishedAt > (best.publishedAt ?? '')) best = v;
  }
  return best;
}
