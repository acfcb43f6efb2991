import type { Finding } from '../../core/finding.js';
import type { VulnerabilityMatcher } from '../../core/vulnerability-matcher.js';

/** An in-memory VulnerabilityMatcher: findings keyed by `npm:name@version`, plus what it was asked. */
export class FakeMatcher implements VulnerabilityMatcher {
  readonly asked: string[] = [];
  constructor(private readonly findings: Readonly<Record<string, readonly Finding[]>>) {}
  async matchMany(refs: readonly { ecosystem: string; name: string; version: string }[]) {
    const out = new Map<string, readonly Finding[]>();
    for (const r of refs) {
      const key = `${r.ecosystem}:${r.name}@${r.version}`;
      this.asked.push(key);
      const f = this.findings[key];
      if (f) out.set(key, f);
    }
    return out;
  }
}

export const debugAdvisory: Finding = {
  analyzer: 'vulnerability',
  rule: 'known-vulnerability',
  severity: 'high',
  message: 'debug: regular expression denial of service',
  advisory: {
    id: 'GHSA-9vvw-cc9w-f27h',
    aliases: ['CVE-2017-16137'],
    fixedIn: ['4.3.5'],
    url: 'https://osv.dev/GHSA-9vvw-cc9w-f27h',
  },
};
export const msAdvisory: Finding = {
  analyzer: 'vulnerability',
  rule: 'known-vulnerability',
  severity: 'moderate',
  message: 'ms: inefficient regular expression',
  advisory: { id: 'GHSA-w9mr-4mfr-499f', fixedIn: [] },
};
export const semverAdvisory: Finding = {
  analyzer: 'vulnerability',
  rule: 'known-vulnerability',
  severity: 'high',
  message: 'semver: ReDoS in range parsing',
  advisory: { id: 'GHSA-c2qf-rxjj-qqgw', aliases: ['CVE-2022-25883'], fixedIn: ['7.5.2'] },
};

/** The three advisories above on the fixture project's components. */
export function fixtureMatcher(): FakeMatcher {
  return new FakeMatcher({
    'npm:debug@4.3.4': [debugAdvisory],
    'npm:ms@2.1.2': [msAdvisory],
    'npm:semver@7.6.0': [semverAdvisory],
  });
}
