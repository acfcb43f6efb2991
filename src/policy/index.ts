// The policy domain's public surface: the engine, policy loading, waivers, re-evaluation and diff.
export { evaluate } from './evaluate.js';
export type { EvaluateInput, FiredRule, PolicyDecision, VersionOrigin } from './types.js';
export { compilePolicy, normalizeRepository, type CompiledPolicy } from './compile.js';
export { defaultPolicyDocument, defaultPolicyRules, type EffectivePolicy } from './default-policy.js';
export { policyConfigSchema, type PolicyConfig } from './config.js';
export { policyRulesSchema, type PolicyRules, type PolicyRulesInput } from './rules-schema.js';
export {
  loadPolicyFile,
  loadPolicyFromConfigFile,
  parsePolicy,
  resolvePolicy,
  type ResolvePolicyOptions,
} from './load.js';
export { PolicySource } from './policy-source.js';
export {
  createPolicyDecider,
  decisionAuditDetails,
  type PolicyDecider,
  type PolicyDeciderDeps,
} from './policy-decider.js';
export { ruleIds, waivableRuleIds, isRuleId, type RuleId } from './rule-ids.js';
export { evaluateLicense, type LicenseVerdict } from './spdx.js';
export { covers, findWaiver, isActive, waivesFiring, type Waiver } from './waiver.js';
export { parseWaiverTarget, validateWaiverInput, type WaiverInput } from './waiver-input.js';
export {
  SqlWaiverStore,
  type WaiverListFilter,
  type WaiverStore,
  type PolicyWaiversTable,
} from './waiver-store.js';
export { policyMigrations } from './migrations.js';
export {
  diffPolicy,
  diffSummary,
  reevaluate,
  type ChangeKind,
  type DiffInput,
  type PolicyDiff,
  type StoredVersion,
  type VersionChange,
} from './diff.js';
export {
  factsSchema,
  findingsSchema,
  inMemoryVersionSource,
  storedVersionsFromJson,
  type StoredVersionSource,
} from './stored-versions.js';
