import { describe, expect, it } from 'vitest';
import { OfflinePolicy } from './offline-policy.js';
import { now, policyOf, ref, vuln, waiver } from './test-support/policies.js';

const policy = policyOf({
  licenses: { deny: ['GPL-3.0-only'], action: 'reject', unknown: 'review' },
  overrides: [{ package: 'event-stream', action: 'reject', reason: 'compromised in 2018' }],
});

describe('OfflinePolicy: the policy on what a lockfile knows', () => {
  it('objects to a denied licence and an install script not on the allow list; release age is undecided', () => {
    const judge = new OfflinePolicy(policy, [], now);
    expect(
      judge.judge({ ref: ref('demo@1.0.0'), license: 'GPL-3.0-only', installScripts: true }, []),
    ).toEqual({
      objections: [
        {
          rule: 'install-scripts',
          outcome: 'review',
          message: expect.stringContaining('install') as string,
        },
        { rule: 'license', outcome: 'reject', message: expect.stringContaining('GPL-3.0-only') as string },
      ],
      undecided: ['min-release-age'],
    });
  });

  it('lets an allow-listed install script and an allowed licence through', () => {
    const judge = new OfflinePolicy(policy, [], now);
    expect(judge.judge({ ref: ref('esbuild@0.25.0'), license: 'MIT', installScripts: true }, [])).toEqual({
      objections: [],
      undecided: ['min-release-age'],
    });
  });

  it('reports a missing licence and unknown install scripts as undecided, not as passed or failed', () => {
    const judge = new OfflinePolicy(policy, [], now);
    const { objections, undecided } = judge.judge({ ref: ref('demo@1.0.0') }, []);
    expect(objections).toEqual([]);
    expect(undecided.sort()).toEqual(['install-scripts', 'license-unknown', 'min-release-age']);
  });

  it('a licence the policy cannot read is decided as the server would (unknown: review)', () => {
    const judge = new OfflinePolicy(policy, [], now);
    const { objections } = judge.judge(
      { ref: ref('demo@1.0.0'), license: 'SEE LICENSE IN x', installScripts: false },
      [],
    );
    expect(objections.map((o) => [o.rule, o.outcome])).toEqual([['license-unknown', 'review']]);
  });

  it('an override decides alone; a waiver silences its rule; vulnerabilities are left to their findings', () => {
    const judge = new OfflinePolicy(policy, [waiver('install-scripts')], now);
    expect(
      judge.judge({ ref: ref('event-stream@3.3.6'), license: 'MIT', installScripts: false }, []),
    ).toEqual({
      objections: [
        { rule: 'override', outcome: 'reject', message: expect.stringContaining('compromised') as string },
      ],
      undecided: [],
    });
    expect(
      judge.judge({ ref: ref('demo@1.0.0'), license: 'MIT', installScripts: true }, [vuln('critical')])
        .objections,
    ).toEqual([]);
  });
});
