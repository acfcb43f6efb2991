import { describe, expect, it } from 'vitest';
import type { Decision } from '../core/decision.js';
import { diffPolicy, diffSummary, type StoredVersion } from './diff.js';
import { cleanFacts, now, policyOf, ref, vuln } from './test-support/policies.js';

const byPolicy = (action: Decision['action']): Decision => ({
  action,
  reasons: [],
  policyDigest: 'sha256:old',
  decidedBy: 'policy',
  at: '2026-03-01T00:00:00.000Z',
});
const byPerson = (action: Decision['action']): Decision => ({ ...byPolicy(action), decidedBy: 'alice' });

const scripts = { ...cleanFacts, hasInstallScripts: true };
const versions: StoredVersion[] = [
  {
    ref: ref('clean@1.0.0'),
    state: 'approved',
    facts: cleanFacts,
    findings: [],
    decision: byPolicy('approve'),
  },
  {
    ref: ref('high@1.0.0'),
    state: 'approved',
    facts: cleanFacts,
    findings: [vuln('high')],
    decision: byPolicy('approve'),
  },
  {
    ref: ref('bad@1.0.0'),
    state: 'approved',
    facts: cleanFacts,
    findings: [
      {
        analyzer: 'malware',
        rule: 'known-malicious',
        severity: 'critical',
        message: 'x',
        advisory: { id: 'MAL-2026-9' },
      },
    ],
    decision: byPolicy('approve'),
  },
  { ref: ref('native@1.0.0'), state: 'review', facts: scripts, findings: [], decision: byPolicy('review') },
  { ref: ref('held@1.0.0'), state: 'review', facts: scripts, findings: [], decision: byPerson('review') },
  {
    ref: ref('crit@1.0.0'),
    state: 'rejected',
    facts: cleanFacts,
    findings: [vuln('critical')],
    decision: byPolicy('reject'),
  },
  { ref: ref('new@1.0.0'), state: 'scanning', facts: cleanFacts, findings: [] },
];

describe('diffPolicy', () => {
  const previous = policyOf({ vulnerabilities: [{ severity: 'critical', action: 'reject' }] });
  const next = policyOf({
    vulnerabilities: [
      { severity: 'critical', action: 'review' },
      { severity: 'high', action: 'review' },
    ],
    installScripts: { allow: ['native', 'held'] },
  });

  it('classifies every stored version and never revokes silently', () => {
    const diff = diffPolicy({ versions, policy: next, previous, waivers: [], now });
    expect(diff.changes.map((c) => `${c.ref.name}:${c.kind}:${c.from}->${c.to}`)).toEqual([
      'bad:revoke:approved->reject',
      'crit:reclassify:rejected->review',
      'held:kept-manual:review->approve',
      'high:would-block:approved->review',
      'native:release:review->approve',
    ]);
    expect(diff.unchanged).toBe(1);
    expect(diff.skipped).toBe(1);
    expect(diff.fromDigest).toBe(previous.digest);
    expect(diff.toDigest).toBe(next.digest);
    expect(diff.changes.find((c) => c.ref.name === 'high')?.previousAction).toBe('approve');
  });

  it('revokes with --revoke, and by itself for a rule marked revoke: true', () => {
    const revoked = diffPolicy({ versions, policy: next, waivers: [], now, revoke: true });
    expect(revoked.changes.filter((c) => c.kind === 'revoke').map((c) => c.ref.name)).toEqual([
      'bad',
      'high',
    ]);
    // bad@1.0.0 was approved before malware was known; the default malware rule says revoke: true.
    const stale = diffPolicy({ versions, policy: policyOf(), waivers: [], now });
    expect(stale.changes.filter((c) => c.kind === 'revoke').map((c) => c.ref.name)).toEqual(['bad']);
    expect(stale.changes.find((c) => c.ref.name === 'high')?.kind).toBe('would-block');
  });

  it('summarises the diff for the policy.apply audit event', () => {
    const diff = diffPolicy({ versions, policy: next, previous, waivers: [], now });
    expect(diffSummary(diff)).toEqual({
      from: previous.digest,
      to: next.digest,
      revoke: false,
      counts: {
        revoke: 1,
        'would-block': 1,
        release: 1,
        reclassify: 1,
        'kept-manual': 1,
        unchanged: 1,
        skipped: 1,
      },
      versions: {
        revoke: ['npm:bad@1.0.0'],
        'would-block': ['npm:high@1.0.0'],
        release: ['npm:native@1.0.0'],
        reclassify: ['npm:crit@1.0.0'],
        'kept-manual': ['npm:held@1.0.0'],
      },
    });
  });
});
