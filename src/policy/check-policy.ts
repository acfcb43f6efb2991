import type { z } from 'zod';
import { findContradictions } from './override-conflicts.js';
import type { PolicyRules } from './rules-schema.js';

/** Cross-rule checks that one key's schema cannot see: contradictory overrides, licences both allowed and denied. */
export function checkPolicyDocument(policy: PolicyRules, ctx: z.core.$RefinementCtx): void {
  for (const c of findContradictions(policy.overrides ?? [])) {
    ctx.addIssue({ code: 'custom', path: ['overrides', c.index], message: c.message });
  }
  const allowed = new Set((policy.licenses?.allow ?? []).map((l) => l.toLowerCase()));
  (policy.licenses?.deny ?? []).forEach((license, index) => {
    if (allowed.has(license.toLowerCase())) {
      ctx.addIssue({
        code: 'custom',
        path: ['licenses', 'deny', index],
        message: `contradictory rules: licence ${license} is both allowed and denied`,
      });
    }
  });
}
