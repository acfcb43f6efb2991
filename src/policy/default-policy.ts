import { policyRulesObject, type PolicyRulesInput } from './rules-schema.js';

/**
 * The policy Airlock ships: nothing is served until scanned and decided (the gate's default deny),
 * clean versions older than 2 days are approved, malware and critical vulnerabilities are rejected,
 * install scripts are reviewed unless the package is on the allow list.
 */
export const defaultPolicyDocument = {
  mode: 'enforce',
  minReleaseAge: { age: '2d', exempt: [] },
  vulnerabilities: [
    { severity: 'critical', action: 'reject' },
    { severity: 'high', action: 'review' },
  ],
  malware: { action: 'reject', revoke: true, suspicious: 'review' },
  installScripts: {
    action: 'review',
    // Well-known packages whose install step builds or downloads their native part.
    allow: ['esbuild', '@esbuild/*', 'sharp', '@swc/core', 'better-sqlite3', 'bcrypt', 'fsevents'],
    firstSeen: 'reject',
  },
  licenses: { allow: [], deny: [], action: 'reject', unknown: 'off' },
  provenance: {
    require: [],
    action: 'reject',
    regression: 'review',
    repositories: [],
    repositoryMismatch: 'reject',
    repositoryChanged: 'review',
  },
  typosquat: 'review',
  newPackage: { action: 'off', minAge: '7d' },
  unpopular: { action: 'off', minWeeklyDownloads: 100 },
  deprecated: 'off',
  maintainerChange: 'review',
  scanIncomplete: 'review',
  integrity: { action: 'reject', revoke: true },
  findings: [],
  overrides: [],
} satisfies PolicyRulesInput;

/** Every rule key filled in: what the engine runs on. */
export type EffectivePolicy = {
  readonly [K in keyof ReturnType<typeof policyRulesObject.parse>]-?: NonNullable<
    ReturnType<typeof policyRulesObject.parse>[K]
  >;
};

/** The default policy, parsed (durations in milliseconds, defaults applied). */
export const defaultPolicyRules = policyRulesObject.parse(defaultPolicyDocument) as EffectivePolicy;
