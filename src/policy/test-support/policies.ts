import type { VersionFacts } from '../../core/facts.js';
import type { Finding } from '../../core/finding.js';
import type { PackageVersionRef } from '../../core/package-ref.js';
import { compilePolicy, type CompiledPolicy } from '../compile.js';
import { evaluate } from '../evaluate.js';
import { policyRulesSchema, type PolicyRulesInput } from '../rules-schema.js';
import type { PolicyDecision } from '../types.js';
import type { Waiver } from '../waiver.js';

export const now = new Date('2026-03-10T12:00:00.000Z');
export const day = 86_400_000;

/** A policy from rules written as in policy.yaml, validated like a file. */
export function policyOf(rules: PolicyRulesInput = {}): CompiledPolicy {
  return compilePolicy(policyRulesSchema.parse(rules), 'test');
}

/** Facts of a version nothing should object to: old enough, no scripts, MIT. */
export const cleanFacts: VersionFacts = {
  publishedAt: new Date(now.getTime() - 10 * day).toISOString(),
  packageCreatedAt: '2020-01-01T00:00:00.000Z',
  hasInstallScripts: false,
  license: 'MIT',
  scanVerdict: 'clean',
};

export function ref(spec: string): PackageVersionRef {
  const at = spec.lastIndexOf('@');
  return { ecosystem: 'npm', name: spec.slice(0, at), version: spec.slice(at + 1) };
}

export function decide(
  options: {
    spec?: string;
    facts?: VersionFacts;
    findings?: Finding[];
    policy?: CompiledPolicy;
    waivers?: Waiver[];
    at?: Date;
    origin?: 'upstream' | 'private';
  } = {},
): PolicyDecision {
  return evaluate({
    ref: ref(options.spec ?? 'demo@1.0.0'),
    facts: options.facts ?? cleanFacts,
    findings: options.findings ?? [],
    policy: options.policy ?? policyOf(),
    waivers: options.waivers ?? [],
    now: options.at ?? now,
    ...(options.origin ? { origin: options.origin } : {}),
  });
}

export function vuln(
  severity: Finding['severity'],
  advisory: { id?: string; cvssScore?: number; fixedIn?: string[] } = {},
): Finding {
  return {
    analyzer: 'vulnerability',
    rule: 'known-vulnerability',
    severity,
    message: 'prototype pollution',
    advisory: { id: advisory.id ?? 'GHSA-test', ...advisory },
  };
}

export function waiver(rule: string, overrides: Partial<Waiver> = {}): Waiver {
  return {
    id: 1,
    ecosystem: 'npm',
    name: 'demo',
    range: '*',
    rule,
    until: '2026-04-01T00:00:00.000Z',
    reason: 'vendor patch pending',
    createdBy: 'alice',
    createdAt: '2026-03-01T00:00:00.000Z',
    ...overrides,
  };
}

/** `rule:outcome` of every rule that fired, for compact exact assertions. */
export function firedSummary(decision: PolicyDecision): string[] {
  return decision.rules.map(
    (r) => `${r.rule}:${r.outcome}${r.waivedBy ? ':waived' : ''}${r.overridden ? ':overridden' : ''}`,
  );
}
