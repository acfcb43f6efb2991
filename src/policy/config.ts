import { z } from 'zod';
import { policySectionShape, policyRulesObject } from './rules-schema.js';
import { checkPolicyDocument } from './check-policy.js';

/**
 * The `policy:` section of airlock.yaml: the rules inline, or `file: policy.yaml` (relative to
 * airlock.yaml) holding them. Keys left out keep the default policy's rules.
 */
export const policyConfigSchema = z
  .strictObject(policySectionShape)
  .superRefine((section, ctx) => {
    const { file, ...rules } = section;
    if (file !== undefined) {
      const inline = Object.keys(rules).filter((k) => (rules as Record<string, unknown>)[k] !== undefined);
      if (inline.length > 0) {
        ctx.addIssue({
          code: 'custom',
          path: [inline[0] ?? 'file'],
          message: `policy.file is set, so rules belong in that file, not inline (found ${inline.join(', ')})`,
        });
      }
      return;
    }
    checkPolicyDocument(rules, ctx);
  })
  .default({});

export type PolicyConfig = z.output<typeof policyConfigSchema>;
export { policyRulesObject };
