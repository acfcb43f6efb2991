import type { Generated } from 'kysely';
import type { DecisionAction } from '../core/decision.js';

/** Where a version is in the quarantine: `pending` → `scanning` → `approved` | `review` | `rejected`. */
export type GateState = 'pending' | 'scanning' | DecisionStateOf<DecisionAction>;
type DecisionStateOf<A> = A extends 'approve' ? 'approved' : A extends 'reject' ? 'rejected' : 'review';

export const decidedStates: readonly GateState[] = ['approved', 'review', 'rejected'];

export interface GateVersionsTable {
  ecosystem: string;
  name: string;
  version: string;
  state: GateState;
  /** Upstream publish time, when known. */
  published_at: string | null;
  /** The integrity the packument declared; the stored blob must match it. */
  integrity: string;
  /** sha512 SRI of the stored tarball, once fetched. */
  blob_integrity: string | null;
  decision_json: string | null;
  findings_json: string | null;
  facts_json: string | null;
  /** When the policy wants another look (a cooldown ends). */
  reevaluate_at: string | null;
  /** Set by `airlock import`: the version is in use already, so the cooldown does not hold it. */
  baseline: number;
  created_at: string;
  updated_at: string;
}

export interface GatePackagesTable {
  ecosystem: string;
  name: string;
  /** Bumped on every state change of any version: the key of the precomputed documents. */
  revision: number;
  /** `upstream` or `private` (published to Airlock; never fetched from upstream). */
  source: string;
  /** Blob of the last upstream packument (raw bytes), or of the private packument. */
  packument_blob: string | null;
  etag: string | null;
  last_modified: string | null;
  fetched_at: string | null;
  updated_at: string;
}

/** Tarball requests the registry refused (403), aggregated per version and requester. */
export interface GateBlockedAttemptsTable {
  id: Generated<number>;
  ecosystem: string;
  name: string;
  version: string;
  /** Token name, or `anonymous`. */
  principal: string;
  client_ip: string;
  /** The latest user agent seen for this requester (truncated, control characters removed). */
  user_agent: string;
  /** Why the gate refused, as of the latest attempt. */
  reason: string;
  attempts: number;
  first_at: string;
  last_at: string;
}

// A type alias, not an interface: Kysely's withTables wants an index-signature-compatible shape.
export type GateTables = {
  gate_versions: GateVersionsTable;
  gate_packages: GatePackagesTable;
  gate_blocked_attempts: GateBlockedAttemptsTable;
};

/** The gate state a decision action leads to. */
export function stateOf(action: DecisionAction): GateState {
  return action === 'approve' ? 'approved' : action === 'reject' ? 'rejected' : 'review';
}
