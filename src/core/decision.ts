export type DecisionAction = 'approve' | 'review' | 'reject';

export interface DecisionReason {
  readonly rule: string;
  readonly message: string;
}

/** A gate decision; `decidedBy` is `policy` or the name of the person (token) who decided. */
export interface Decision {
  readonly action: DecisionAction;
  readonly reasons: readonly DecisionReason[];
  readonly policyDigest: string;
  readonly decidedBy: string;
  readonly at: string;
}
