import semver from 'semver';
import { z } from 'zod';
import { durationSchema } from '../config/duration.js';
import { severities } from '../core/finding.js';
import { patternProblem, starsProblem } from './name-pattern.js';
import { parseLicenseEntry } from './spdx.js';
import { checkPolicyDocument } from './check-policy.js';

/*
 * The policy document: what a security team writes in airlock.yaml (`policy:`) or policy.yaml.
 * Every key is optional; a rule left out keeps the default policy's rule (see default-policy.ts),
 * and `off` turns a rule off. Strict objects make an unknown rule name an error naming it.
 */

const maxListLength = 10_000;

/** What a rule does when it fires. */
export const ruleActionSchema = z.enum(['reject', 'review', 'off']);
export type RuleAction = z.output<typeof ruleActionSchema>;

const patternSchema = z.string().superRefine((value, ctx) => {
  const problem = patternProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const patternListSchema = z.array(patternSchema).max(maxListLength);

const rangeSchema = z
  .string()
  .max(256)
  .superRefine((value, ctx) => {
    if (semver.validRange(value) === null) {
      ctx.addIssue({ code: 'custom', message: `"${value.slice(0, 80)}" is not a semver version or range` });
    }
  });

const licenseEntrySchema = z
  .string()
  .max(256)
  .superRefine((value, ctx) => {
    try {
      parseLicenseEntry(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  });

/** `reject` or `{ action: reject, revoke: true }`: a string is shorthand for the action. */
function ruleSchema<T extends z.ZodRawShape>(defaultAction: RuleAction, extra: T) {
  return z.preprocess(
    (value) => (typeof value === 'string' ? { action: value } : value),
    z.strictObject({
      action: ruleActionSchema.default(defaultAction),
      revoke: z.boolean().default(false),
      ...extra,
    }),
  );
}

const simpleRuleSchema = (defaultAction: RuleAction) => ruleSchema(defaultAction, {});
export type SimpleRule = z.output<ReturnType<typeof simpleRuleSchema>>;

const minReleaseAgeSchema = z.preprocess(
  (value) => (typeof value === 'string' || typeof value === 'number' ? { age: value } : value),
  z.strictObject({
    /** Versions younger than this are held and re-evaluated when they come of age; `0` turns it off. */
    age: durationSchema,
    exempt: patternListSchema.default([]),
  }),
);

const vulnerabilityRuleSchema = z
  .strictObject({
    /** Fires for advisories at least this severe. */
    severity: z.enum(severities).optional(),
    /** Fires for advisories with a CVSS score at least this high. */
    minCvss: z.number().min(0).max(10).optional(),
    /** `true`: only when a fixed version exists; `false`: only when none does; absent: either way. */
    fixAvailable: z.boolean().optional(),
    action: ruleActionSchema,
    revoke: z.boolean().default(false),
  })
  .refine((rule) => rule.severity !== undefined || rule.minCvss !== undefined, {
    message: 'a vulnerability rule needs severity or minCvss',
  });
export type VulnerabilityRule = z.output<typeof vulnerabilityRuleSchema>;

const findingRuleSchema = z
  .strictObject({
    analyzer: z.string().min(1).max(64).optional(),
    rule: z.string().min(1).max(128).optional(),
    severity: z.enum(severities).default('info'),
    action: ruleActionSchema,
    revoke: z.boolean().default(false),
  })
  .refine((rule) => rule.analyzer !== undefined || rule.rule !== undefined, {
    message: 'a findings rule needs analyzer or rule',
  });
export type FindingRule = z.output<typeof findingRuleSchema>;

export const overrideActions = ['approve', 'review', 'reject', 'private'] as const;
export type OverrideAction = (typeof overrideActions)[number];

const overrideSchema = z.preprocess(
  splitPackageVersion,
  z.strictObject({
    /** Name or glob: `left-pad`, `@acme/*`. */
    package: patternSchema,
    /** Semver version or range; absent means every version. */
    version: rangeSchema.optional(),
    /** `private`: the name is ours; upstream copies are rejected and privately published ones approved. */
    action: z.enum(overrideActions),
    reason: z.string().min(1).max(1000),
    /** A `reject` here also revokes versions approved before (see policy diff). */
    revoke: z.boolean().default(false),
  }),
);
export type Override = z.output<typeof overrideSchema>;

const rulesShape = {
  /** `enforce` blocks; `monitor` records decisions but lets everything through (dry-run). */
  mode: z.enum(['enforce', 'monitor']).optional(),
  minReleaseAge: minReleaseAgeSchema.optional(),
  vulnerabilities: z.array(vulnerabilityRuleSchema).max(100).optional(),
  malware: ruleSchema('reject', { suspicious: ruleActionSchema.default('review') }).optional(),
  installScripts: ruleSchema('review', {
    allow: patternListSchema.default([]),
    firstSeen: ruleActionSchema.default('reject'),
  }).optional(),
  licenses: z
    .strictObject({
      allow: z.array(licenseEntrySchema).max(maxListLength).default([]),
      deny: z.array(licenseEntrySchema).max(maxListLength).default([]),
      action: ruleActionSchema.default('reject'),
      unknown: ruleActionSchema.default('review'),
    })
    .optional(),
  provenance: z
    .strictObject({
      /** Names that must carry provenance. */
      require: patternListSchema.default([]),
      action: ruleActionSchema.default('reject'),
      /** Earlier versions had provenance, this one has none. */
      regression: ruleActionSchema.default('review'),
      /** Expected source repository per name pattern; the repository may itself use `*`. */
      repositories: z
        .array(
          z.strictObject({
            package: patternSchema,
            repository: z
              .string()
              .min(1)
              .max(512)
              .superRefine((value, ctx) => {
                const problem = starsProblem(value);
                if (problem) ctx.addIssue({ code: 'custom', message: problem });
              }),
          }),
        )
        .max(maxListLength)
        .default([]),
      repositoryMismatch: ruleActionSchema.default('reject'),
      repositoryChanged: ruleActionSchema.default('review'),
    })
    .optional(),
  typosquat: simpleRuleSchema('review').optional(),
  newPackage: ruleSchema('review', { minAge: durationSchema.default(7 * 86_400_000) }).optional(),
  unpopular: ruleSchema('review', { minWeeklyDownloads: z.number().int().min(0).default(100) }).optional(),
  deprecated: simpleRuleSchema('review').optional(),
  maintainerChange: simpleRuleSchema('review').optional(),
  scanIncomplete: simpleRuleSchema('review').optional(),
  integrity: simpleRuleSchema('reject').optional(),
  findings: z.array(findingRuleSchema).max(100).optional(),
  overrides: z.array(overrideSchema).max(maxListLength).optional(),
};

/** Names of the rule keys a policy may set, for error messages. */
export const policyRuleKeys = Object.keys(rulesShape);

export const policyRulesObject = z.strictObject(rulesShape);
/** The policy document schema (rules only). */
export const policyRulesSchema = policyRulesObject.superRefine(checkPolicyDocument);
export type PolicyRules = z.output<typeof policyRulesObject>;
export type PolicyRulesInput = z.input<typeof policyRulesObject>;

/** `package: lodash@4.17.21` is shorthand for `package: lodash, version: 4.17.21`. */
function splitPackageVersion(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  const name = record.package;
  if (typeof name !== 'string' || record.version !== undefined) return value;
  const at = name.lastIndexOf('@');
  if (at <= 0) return value;
  return { ...record, package: name.slice(0, at), version: name.slice(at + 1) };
}

/** The section of airlock.yaml: either the rules inline, or `file:` naming a policy.yaml. */
export const policySectionShape = { file: z.string().min(1).max(4096).optional(), ...rulesShape };
