import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { createPolicyDecider, decisionAuditDetails } from './policy-decider.js';
import { PolicySource } from './policy-source.js';
import { cleanFacts, policyOf, ref, vuln, waiver } from './test-support/policies.js';

describe('createPolicyDecider', () => {
  it('decides with the running policy, the package’s waivers and the clock', async () => {
    const clock = new ManualClock('2026-03-10T12:00:00.000Z');
    const asked: string[] = [];
    const decider = createPolicyDecider({
      policy: new PolicySource(() => policyOf()),
      waivers: {
        activeFor: async (r) => {
          asked.push(r.name);
          return [waiver('vulnerability:GHSA-1', { until: '2026-03-11T00:00:00.000Z' })];
        },
      },
      clock,
    });
    const input = {
      ref: ref('demo@1.0.0'),
      facts: cleanFacts,
      findings: [vuln('critical', { id: 'GHSA-1' })],
    };
    const waived = await decider.decide(input);
    expect(waived).toMatchObject({
      action: 'approve',
      at: '2026-03-10T12:00:00.000Z',
      reevaluateAt: '2026-03-11T00:00:00.000Z',
    });
    expect(asked).toEqual(['demo']);
    clock.set('2026-03-11T00:00:00.000Z');
    const after = await decider.decide(input);
    expect(after.action).toBe('reject');
    expect(decisionAuditDetails(after)).toEqual({
      action: 'reject',
      policyDigest: policyOf().digest,
      mode: 'enforce',
      reasons: [
        {
          rule: 'vulnerability',
          message: 'critical vulnerability GHSA-1 (no fixed version): prototype pollution',
        },
      ],
      rules: [{ rule: 'vulnerability', outcome: 'reject', subject: 'GHSA-1' }],
    });
  });
});
