import { describe, expect, it } from 'vitest';
import {
  cleanFacts,
  day,
  decide,
  firedSummary,
  now,
  policyOf,
  vuln,
  waiver,
} from './test-support/policies.js';

describe('evaluate: approve and the shape of a decision', () => {
  it('approves a clean, old enough version under the default policy', () => {
    const d = decide();
    expect(d.action).toBe('approve');
    expect(d.reasons).toEqual([{ rule: 'policy', message: 'no rule fired' }]);
    expect(d.rules).toEqual([]);
    expect(d.decidedBy).toBe('policy');
    expect(d.at).toBe('2026-03-10T12:00:00.000Z');
    expect(d.policyDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(d.policyDigest).toBe(policyOf().digest);
    expect(d.enforced).toBe(true);
    expect(d.reevaluateAt).toBeUndefined();
  });

  it('gives a different digest for a different policy and the same for the same rules', () => {
    expect(policyOf({ minReleaseAge: '3d' }).digest).not.toBe(policyOf().digest);
    expect(policyOf({ minReleaseAge: '2d' }).digest).toBe(policyOf().digest);
  });

  it('monitor mode computes the decision but marks it not enforced', () => {
    const d = decide({ policy: policyOf({ mode: 'monitor' }), findings: [vuln('critical')] });
    expect(d.action).toBe('reject');
    expect(d.mode).toBe('monitor');
    expect(d.enforced).toBe(false);
  });
});

describe('evaluate: minReleaseAge', () => {
  it('holds a young version and says when to re-evaluate', () => {
    const facts = { ...cleanFacts, publishedAt: new Date(now.getTime() - 5 * 3_600_000).toISOString() };
    const d = decide({ facts });
    expect(d.action).toBe('review');
    expect(d.reasons).toEqual([
      {
        rule: 'min-release-age',
        message: 'published 5h ago; versions are held until 2d old (2026-03-12T07:00:00.000Z)',
      },
    ]);
    expect(d.reevaluateAt).toBe('2026-03-12T07:00:00.000Z');
    expect(decide({ facts, at: new Date('2026-03-12T07:00:00.000Z') }).action).toBe('approve');
  });

  it('exempts names matching a pattern', () => {
    const facts = { ...cleanFacts, publishedAt: now.toISOString() };
    const policy = policyOf({ minReleaseAge: { age: '3d', exempt: ['@acme/*'] } });
    expect(decide({ spec: '@acme/ui@1.0.0', facts, policy }).action).toBe('approve');
    expect(decide({ spec: '@other/ui@1.0.0', facts, policy }).action).toBe('review');
  });

  it('holds a version whose publish time is unknown, without a re-evaluation time', () => {
    const { publishedAt: _omit, ...facts } = cleanFacts;
    const d = decide({ facts });
    expect(d.action).toBe('review');
    expect(d.rules[0]).toMatchObject({ rule: 'min-release-age', unknown: true });
    expect(d.reevaluateAt).toBeUndefined();
  });

  it('is off with an age of 0', () => {
    expect(
      decide({
        facts: { ...cleanFacts, publishedAt: now.toISOString() },
        policy: policyOf({ minReleaseAge: 0 }),
      }).action,
    ).toBe('approve');
  });
});

describe('evaluate: vulnerabilities', () => {
  it('rejects critical and reviews high by default; moderate passes', () => {
    expect(decide({ findings: [vuln('critical')] }).action).toBe('reject');
    expect(decide({ findings: [vuln('high')] }).action).toBe('review');
    expect(decide({ findings: [vuln('moderate')] }).action).toBe('approve');
  });

  it('names the advisory, score and fix in the reason', () => {
    const d = decide({
      findings: [vuln('critical', { id: 'GHSA-1', cvssScore: 9.8, fixedIn: ['4.17.21'] })],
    });
    expect(d.reasons).toEqual([
      {
        rule: 'vulnerability',
        message: 'critical vulnerability GHSA-1 (CVSS 9.8, fixed in 4.17.21): prototype pollution',
      },
    ]);
  });

  it('uses CVSS thresholds and the fixAvailable condition', () => {
    const policy = policyOf({
      vulnerabilities: [
        { minCvss: 7, fixAvailable: true, action: 'reject' },
        { minCvss: 7, fixAvailable: false, action: 'review' },
      ],
    });
    expect(decide({ policy, findings: [vuln('low', { cvssScore: 7.5, fixedIn: ['2.0.0'] })] }).action).toBe(
      'reject',
    );
    expect(decide({ policy, findings: [vuln('low', { cvssScore: 7.5 })] }).action).toBe('review');
    expect(decide({ policy, findings: [vuln('critical', { cvssScore: 6.9 })] }).action).toBe('approve');
    // No score: a CVSS rule cannot judge it.
    expect(decide({ policy, findings: [vuln('critical')] }).action).toBe('approve');
  });

  it('takes the strongest matching rule per finding and lists each finding', () => {
    const d = decide({ findings: [vuln('critical', { id: 'A' }), vuln('high', { id: 'B' })] });
    expect(firedSummary(d)).toEqual(['vulnerability:reject', 'vulnerability:review']);
    expect(d.reasons.map((r) => r.rule)).toEqual(['vulnerability', 'vulnerability']);
  });
});

describe('evaluate: malware, integrity, scan-incomplete, generic findings', () => {
  const malware = {
    analyzer: 'malware',
    rule: 'known-malicious',
    severity: 'critical' as const,
    message: 'steals tokens',
    advisory: { id: 'MAL-2026-1' },
  };

  it('rejects malware with revoke, and a malicious verdict without a finding', () => {
    const d = decide({ findings: [malware] });
    expect(d.action).toBe('reject');
    expect(d.revoke).toBe(true);
    expect(d.reasons).toEqual([{ rule: 'malware', message: 'malware: MAL-2026-1: steals tokens' }]);
    expect(decide({ facts: { ...cleanFacts, scanVerdict: 'malicious' } }).action).toBe('reject');
  });

  it('leaves single behaviour signals to the scan verdict: one eval in a bundle is not malware', () => {
    const signal = {
      analyzer: 'malware',
      rule: 'dynamic-eval',
      severity: 'high' as const,
      message: 'Function — evaluates code computed at run time',
      file: 'package/dist/index.js',
      line: 12,
    };
    expect(decide({ findings: [signal], facts: { ...cleanFacts, scanVerdict: 'clean' } }).action).toBe(
      'approve',
    );
    expect(decide({ findings: [signal], facts: { ...cleanFacts, scanVerdict: 'malicious' } }).action).toBe(
      'reject',
    );
  });

  it('reviews a suspicious verdict without revoking', () => {
    const d = decide({ facts: { ...cleanFacts, scanVerdict: 'suspicious', scanScore: 0.7 } });
    expect(d.action).toBe('review');
    expect(d.revoke).toBe(false);
    expect(d.reasons[0]?.message).toBe('the malware scan found this version suspicious (score 0.7)');
  });

  it('rejects integrity failures and reviews incomplete scans', () => {
    const integrity = {
      analyzer: 'integrity',
      rule: 'sha512-mismatch',
      severity: 'critical' as const,
      message: 'sha512 differs',
    };
    expect(decide({ findings: [integrity] })).toMatchObject({ action: 'reject', revoke: true });
    expect(decide({ facts: { ...cleanFacts, scanIncomplete: true } }).reasons[0]?.rule).toBe(
      'scan-incomplete',
    );
  });

  it('applies generic finding selectors by analyzer and severity', () => {
    const policy = policyOf({ findings: [{ analyzer: 'secrets', severity: 'high', action: 'reject' }] });
    const secret = {
      analyzer: 'secrets',
      rule: 'aws-key',
      severity: 'high' as const,
      message: 'AWS key in dist/x.js',
    };
    expect(decide({ policy, findings: [secret] }).reasons).toEqual([
      { rule: 'finding', message: 'secrets/aws-key (high): AWS key in dist/x.js' },
    ]);
    expect(decide({ policy, findings: [{ ...secret, severity: 'low' }] }).action).toBe('approve');
  });
});

describe('evaluate: install scripts', () => {
  it('reviews install scripts unless allow-listed', () => {
    const facts = { ...cleanFacts, hasInstallScripts: true };
    expect(decide({ facts }).reasons[0]?.rule).toBe('install-scripts');
    expect(decide({ spec: 'esbuild@0.25.0', facts }).action).toBe('approve');
    expect(decide({ spec: '@esbuild/linux-x64@0.25.0', facts }).action).toBe('approve');
  });

  it('rejects scripts seen for the first time, even for allow-listed packages', () => {
    const facts = { ...cleanFacts, hasInstallScripts: true, installScriptsFirstSeen: true };
    expect(firedSummary(decide({ facts }))).toEqual([
      'install-scripts-first-seen:reject',
      'install-scripts:review',
    ]);
    expect(decide({ spec: 'sharp@1.0.0', facts }).action).toBe('reject');
  });

  it('treats unknown as review and an install-scripts finding as having scripts', () => {
    const { hasInstallScripts: _omit, ...facts } = cleanFacts;
    expect(decide({ facts }).rules[0]).toMatchObject({
      rule: 'install-scripts',
      unknown: true,
      outcome: 'review',
    });
    const finding = {
      analyzer: 'install-scripts',
      rule: 'postinstall',
      severity: 'moderate' as const,
      message: 'node x.js',
    };
    expect(decide({ facts, findings: [finding] }).rules[0]).toMatchObject({
      rule: 'install-scripts',
      outcome: 'review',
    });
    expect(
      decide({
        facts: { ...cleanFacts, hasInstallScripts: true },
        policy: policyOf({ installScripts: 'off' }),
      }).action,
    ).toBe('approve');
  });
});

describe('evaluate: licences', () => {
  const policy = policyOf({
    licenses: {
      allow: ['MIT', 'Apache-2.0', 'GPL-2.0-only WITH Classpath-exception-2.0'],
      deny: ['GPL-2.0-only'],
      unknown: 'review',
    },
  });
  const withLicense = (license: string | undefined) => decide({ policy, facts: { ...cleanFacts, license } });

  it('allows expressions with an acceptable choice and rejects the rest', () => {
    expect(withLicense('MIT').action).toBe('approve');
    expect(withLicense('(MIT OR GPL-3.0-only)').action).toBe('approve');
    expect(withLicense('MIT AND Apache-2.0').action).toBe('approve');
    expect(withLicense('GPL-2.0-only WITH Classpath-exception-2.0').action).toBe('approve');
    expect(withLicense('MIT AND GPL-3.0-only').reasons).toEqual([
      {
        rule: 'license',
        message: 'licence "MIT AND GPL-3.0-only" is not acceptable: GPL-3.0-only is not on the allow list',
      },
    ]);
    expect(withLicense('GPL-2.0-only').reasons[0]?.message).toMatch(/GPL-2.0-only is denied/);
  });

  it('handles unknown licences by licenses.unknown', () => {
    expect(withLicense(undefined).reasons).toEqual([
      { rule: 'license-unknown', message: 'no licence declared' },
    ]);
    expect(withLicense('UNLICENSED').action).toBe('review');
    expect(withLicense('SEE LICENSE IN LICENSE.md').action).toBe('review');
    expect(withLicense('BSD').reasons[0]?.message).toBe('licence "BSD" is not a valid SPDX expression');
    expect(
      decide({
        policy: policyOf({ licenses: { unknown: 'reject' } }),
        facts: { ...cleanFacts, license: 'Whatever' },
      }).action,
    ).toBe('reject');
  });
});

describe('evaluate: provenance', () => {
  const policy = policyOf({
    provenance: {
      require: ['@acme/*'],
      regression: 'reject',
      repositories: [{ package: '@acme/*', repository: 'github.com/acme/*' }],
    },
  });

  it('requires provenance for matching names', () => {
    expect(
      decide({ policy, spec: '@acme/ui@1.0.0', facts: { ...cleanFacts, hasProvenance: false } }).reasons.map(
        (r) => r.rule,
      ),
    ).toEqual(['provenance-required', 'provenance-repository']);
    const ok = { ...cleanFacts, hasProvenance: true, sourceRepo: 'git+https://github.com/acme/ui.git' };
    expect(decide({ policy, spec: '@acme/ui@1.0.0', facts: ok }).action).toBe('approve');
    expect(
      decide({ policy, spec: 'other@1.0.0', facts: { ...cleanFacts, hasProvenance: false } }).action,
    ).toBe('approve');
  });

  it('rejects a repository other than the expected one', () => {
    const facts = { ...cleanFacts, hasProvenance: true, sourceRepo: 'https://github.com/evil/ui' };
    expect(decide({ policy, spec: '@acme/ui@1.0.0', facts }).reasons).toEqual([
      {
        rule: 'provenance-repository',
        message: 'built from github.com/evil/ui, not the expected repository',
      },
    ]);
  });

  it('acts on regressions and repository changes', () => {
    expect(decide({ policy, facts: { ...cleanFacts, provenanceRegression: true } }).action).toBe('reject');
    expect(decide({ facts: { ...cleanFacts, provenanceRegression: true } }).action).toBe('review');
    expect(decide({ facts: { ...cleanFacts, sourceRepoChanged: true } }).reasons[0]?.rule).toBe(
      'provenance-repository-changed',
    );
  });
});

describe('evaluate: metadata rules', () => {
  it('reviews typosquats from the fact or a metadata finding', () => {
    expect(decide({ facts: { ...cleanFacts, typosquatOf: 'lodash' } }).reasons).toEqual([
      { rule: 'typosquat', message: 'the name looks like a typosquat of lodash' },
    ]);
    const finding = {
      analyzer: 'metadata',
      rule: 'typosquat',
      severity: 'high' as const,
      message: 'close to react',
    };
    expect(decide({ findings: [finding] }).reasons[0]?.message).toBe('possible typosquat: close to react');
    expect(
      decide({ facts: { ...cleanFacts, typosquatOf: 'lodash' }, policy: policyOf({ typosquat: 'reject' }) })
        .action,
    ).toBe('reject');
  });

  it('holds brand-new packages until they are old enough', () => {
    const policy = policyOf({ newPackage: { action: 'review', minAge: '7d' } });
    const facts = { ...cleanFacts, packageCreatedAt: new Date(now.getTime() - 2 * day).toISOString() };
    const d = decide({ policy, facts });
    expect(d.reasons[0]?.rule).toBe('new-package');
    expect(d.reevaluateAt).toBe(new Date(now.getTime() + 5 * day).toISOString());
    expect(decide({ facts }).action).toBe('approve');
  });

  it('reviews unpopular packages only when downloads are known', () => {
    const policy = policyOf({ unpopular: { action: 'review', minWeeklyDownloads: 50 } });
    expect(decide({ policy, facts: { ...cleanFacts, weeklyDownloads: 3 } }).reasons[0]?.message).toBe(
      '3 downloads a week (fewer than 50)',
    );
    expect(decide({ policy, facts: { ...cleanFacts, weeklyDownloads: 50 } }).action).toBe('approve');
    expect(decide({ policy }).action).toBe('approve');
  });

  it('acts on deprecation and maintainer change', () => {
    expect(
      decide({ policy: policyOf({ deprecated: 'reject' }), facts: { ...cleanFacts, deprecated: 'use v2' } })
        .reasons,
    ).toEqual([{ rule: 'deprecated', message: 'deprecated: use v2' }]);
    expect(decide({ facts: { ...cleanFacts, deprecated: 'use v2' } }).action).toBe('approve');
    expect(decide({ facts: { ...cleanFacts, maintainerChanged: true } }).reasons[0]?.rule).toBe(
      'maintainer-change',
    );
  });
});

describe('evaluate: precedence override > waiver > reject > review > approve', () => {
  const facts = { ...cleanFacts, hasInstallScripts: true };

  it('reject beats review, and reasons list rejects first', () => {
    const d = decide({ facts, findings: [vuln('critical')] });
    expect(d.action).toBe('reject');
    expect(d.reasons.map((r) => r.rule)).toEqual(['vulnerability', 'install-scripts']);
  });

  it('a waiver neutralises only its rule, and the decision says until when', () => {
    const d = decide({ facts, findings: [vuln('critical')], waivers: [waiver('vulnerability')] });
    expect(d.action).toBe('review');
    expect(firedSummary(d)).toEqual(['vulnerability:reject:waived', 'install-scripts:review']);
    const both = decide({
      facts,
      findings: [vuln('critical')],
      waivers: [
        waiver('vulnerability'),
        waiver('install-scripts', { id: 2, until: '2026-03-20T00:00:00.000Z' }),
      ],
    });
    expect(both.action).toBe('approve');
    expect(both.reasons.map((r) => r.rule)).toEqual(['vulnerability', 'install-scripts']);
    expect(both.reevaluateAt).toBe('2026-03-20T00:00:00.000Z');
  });

  it('a waiver naming one advisory waives only that advisory', () => {
    const findings = [vuln('critical', { id: 'GHSA-aaaa' }), vuln('critical', { id: 'GHSA-bbbb' })];
    const one = decide({ findings, waivers: [waiver('vulnerability:GHSA-aaaa')] });
    expect(firedSummary(one)).toEqual(['vulnerability:reject:waived', 'vulnerability:reject']);
    expect(one.action).toBe('reject');
    expect(one.rules.map((r) => r.subject)).toEqual(['GHSA-aaaa', 'GHSA-bbbb']);
    const both = decide({
      findings,
      waivers: [waiver('vulnerability:GHSA-aaaa'), waiver('vulnerability:GHSA-bbbb', { id: 2 })],
    });
    expect(both.action).toBe('approve');
  });

  it('ignores expired waivers and waivers for other packages or versions', () => {
    const findings = [vuln('critical')];
    expect(
      decide({ findings, waivers: [waiver('vulnerability', { until: now.toISOString() })] }).action,
    ).toBe('reject');
    expect(decide({ findings, waivers: [waiver('vulnerability', { name: 'other' })] }).action).toBe('reject');
    expect(decide({ findings, waivers: [waiver('vulnerability', { range: '^2.0.0' })] }).action).toBe(
      'reject',
    );
    expect(decide({ findings, waivers: [waiver('vulnerability', { range: '>=1.0.0 <1.1.0' })] }).action).toBe(
      'approve',
    );
    expect(decide({ findings, waivers: [waiver('vulnerability', { ecosystem: 'pypi' })] }).action).toBe(
      'reject',
    );
  });

  it('an explicit override beats waivers and every rule', () => {
    const policy = policyOf({
      overrides: [{ package: 'lodash@4.17.21', action: 'approve', reason: 'audited by security' }],
    });
    const d = decide({ policy, spec: 'lodash@4.17.21', facts, findings: [vuln('critical')] });
    expect(d.action).toBe('approve');
    expect(d.reasons).toEqual([
      { rule: 'override', message: 'override approve for lodash@4.17.21: audited by security' },
    ]);
    expect(firedSummary(d)).toEqual([
      'override:approve',
      'vulnerability:reject:overridden',
      'install-scripts:review:overridden',
    ]);
    expect(decide({ policy, spec: 'lodash@4.17.20', findings: [vuln('critical')] }).action).toBe('reject');
  });

  it('a reject override beats a clean version; the most specific override wins', () => {
    const policy = policyOf({
      overrides: [
        { package: 'left-pad', action: 'reject', reason: 'we never use left-pad' },
        { package: 'left-pad', version: '1.3.0', action: 'approve', reason: 'pinned legacy build' },
        { package: '@acme/*', action: 'private', reason: 'our scope' },
        { package: '@acme/legacy', action: 'review', reason: 'being retired' },
      ],
    });
    expect(decide({ policy, spec: 'left-pad@1.2.0' }).action).toBe('reject');
    expect(decide({ policy, spec: 'left-pad@1.3.0' }).action).toBe('approve');
    expect(decide({ policy, spec: '@acme/legacy@1.0.0', origin: 'private' }).action).toBe('review');
  });

  it('private overrides approve private publishes and reject upstream copies', () => {
    const policy = policyOf({ overrides: [{ package: '@acme/*', action: 'private', reason: 'our scope' }] });
    expect(decide({ policy, spec: '@acme/ui@1.0.0', origin: 'private' }).action).toBe('approve');
    const upstream = decide({ policy, spec: '@acme/ui@1.0.0' });
    expect(upstream.action).toBe('reject');
    expect(upstream.reasons[0]?.message).toBe(
      '@acme/* is private; a copy from upstream is refused (dependency confusion): our scope',
    );
  });

  it('breaks ties between equally specific patterns towards the strictest', () => {
    const policy = policyOf({
      overrides: [
        { package: 'ab*', action: 'approve', reason: 'x' },
        { package: '*bc', action: 'reject', reason: 'y' },
      ],
    });
    expect(decide({ policy, spec: 'abc@1.0.0' }).action).toBe('reject');
  });
});
