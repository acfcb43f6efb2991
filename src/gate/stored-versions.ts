import { refKey, type PackageVersionRef } from '../core/package-ref.js';
import type { StoredVersion, StoredVersionSource, VersionChange } from '../policy/index.js';
import type { AuditLog } from '../store/ports.js';
import type { GateStore, GateVersion } from './gate-store.js';
import { decidedStates } from './tables.js';

const toStored = (v: GateVersion): StoredVersion => ({
  ref: v.ref,
  state: v.state,
  facts: v.facts,
  findings: v.findings,
  decision: v.decision,
  origin: v.decision?.reasons.some((r) => r.rule === 'private-publish') ? 'private' : 'upstream',
});

/** The gate's versions as the policy domain reads them (policy test, explain, diff and apply). */
export function gateStoredVersions(store: GateStore, audit: AuditLog): StoredVersionSource {
  return {
    async *list() {
      for (const state of decidedStates) {
        for (const v of await store.listByState(state, 1_000_000)) yield toStored(v);
      }
    },
    async get(ref: PackageVersionRef) {
      const v = await store.version(ref);
      return v && toStored(v);
    },
    async apply(changes: readonly VersionChange[], actor: string) {
      for (const change of changes) {
        if (change.kind === 'would-block' || change.kind === 'kept-manual') continue;
        const current = await store.version(change.ref);
        if (!current) continue;
        const state = await store.recordDecision(change.ref, {
          decision: { ...change.decision, decidedBy: 'policy' },
          findings: current.findings,
          facts: current.facts,
          reevaluateAt: change.decision.reevaluateAt,
        });
        await audit.append({
          actor,
          action: `version.${change.kind}`,
          subject: refKey(change.ref),
          details: { from: change.from, state, policyDigest: change.decision.policyDigest },
        });
      }
    },
  };
}
