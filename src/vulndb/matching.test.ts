import { describe, expect, it } from 'vitest';
import { parseOsvRecord } from './osv/parse-record.js';
import { AdvisoryIndex } from './advisory-index.js';
import type { Advisory } from './advisory.js';
import { mergeMatches } from './finding-merge.js';
import * as records from './fixtures/osv-records.js';

function advisory(record: unknown): Advisory {
  const result = parseOsvRecord(record);
  if (!result.ok) throw new Error(result.reason);
  return result.advisory;
}

function indexOf(...list: unknown[]): AdvisoryIndex {
  const index = new AdvisoryIndex();
  for (const r of list) index.add(advisory(r));
  return index;
}

const ids = (index: AdvisoryIndex, eco: 'npm' | 'pypi', name: string, version: string) =>
  index
    .match(eco, name, version)
    .map((m) => m.advisory.id)
    .sort();

describe('OSV range matching', () => {
  const index = indexOf(
    ...Object.values(records).filter(
      (r) => !r.id.startsWith('EXAMPLE-unknown') && !r.id.startsWith('EXAMPLE-invalid'),
    ),
  );

  it('ECOSYSTEM introduced/fixed: the fixed version and above are clean, the introduced version is affected', () => {
    expect(ids(index, 'npm', 'lodash', '3.6.9')).toEqual(['GHSA-35jh-r3h4-6jhm']);
    expect(ids(index, 'npm', 'lodash', '3.7.0')).toEqual(['GHSA-35jh-r3h4-6jhm', 'GHSA-p6mc-m468-83gw']);
    expect(ids(index, 'npm', 'lodash', '4.17.15')).toEqual(['GHSA-35jh-r3h4-6jhm', 'GHSA-p6mc-m468-83gw']);
    expect(ids(index, 'npm', 'lodash', '4.17.19')).toEqual(['GHSA-35jh-r3h4-6jhm']);
    expect(ids(index, 'npm', 'lodash', '4.17.21')).toEqual([]);
    expect(ids(index, 'npm', 'lodash-es', '4.17.19')).toEqual(['GHSA-p6mc-m468-83gw']);
  });

  it('several affected[] entries for one package are OR-ed, with the gap between them clean', () => {
    expect(ids(index, 'npm', 'minimist', '0.0.8')).toEqual(['GHSA-vh95-rmgr-6w4m']);
    expect(ids(index, 'npm', 'minimist', '0.2.1')).toEqual([]);
    expect(ids(index, 'npm', 'minimist', '0.2.4')).toEqual([]);
    expect(ids(index, 'npm', 'minimist', '1.2.0')).toEqual(['GHSA-vh95-rmgr-6w4m']);
    expect(ids(index, 'npm', 'minimist', '1.2.3')).toEqual([]);
  });

  it('SemVer precedence: pre-releases of the fixed version are affected, build metadata is ignored', () => {
    expect(ids(index, 'npm', 'next', '14.1.1-canary.0')).toEqual(['GHSA-fr5h-rqp8-mj6g']);
    expect(ids(index, 'npm', 'next', '14.1.1')).toEqual([]);
    expect(ids(index, 'npm', 'next', '14.1.1+build.5')).toEqual([]);
    expect(ids(index, 'npm', 'next', '13.4.0-canary.9')).toEqual([]);
    expect(ids(index, 'npm', 'next', '13.4.0')).toEqual(['GHSA-fr5h-rqp8-mj6g']);
  });

  it('last_affected includes its version; a later introduced re-opens; limit caps a range', () => {
    expect(ids(index, 'npm', 'example-events', '0.4.9')).toEqual(['EXAMPLE-last-affected']); // below the limit
    expect(ids(index, 'npm', 'example-events', '0.5.0')).toEqual([]);
    expect(ids(index, 'npm', 'example-events', '1.0.0')).toEqual(['EXAMPLE-last-affected']);
    expect(ids(index, 'npm', 'example-events', '1.4.2')).toEqual(['EXAMPLE-last-affected']);
    expect(ids(index, 'npm', 'example-events', '1.4.3')).toEqual([]);
    expect(ids(index, 'npm', 'example-events', '2.0.0-beta')).toEqual([]);
    expect(ids(index, 'npm', 'example-events', '2.0.0-rc.1')).toEqual(['EXAMPLE-last-affected']);
    expect(ids(index, 'npm', 'example-events', '7.0.0')).toEqual(['EXAMPLE-last-affected']);
  });

  it('an open range with last_known_affected_version_range stops at that bound', () => {
    expect(ids(index, 'npm', 'example-open', '2.3.0')).toEqual(['EXAMPLE-open-bound']);
    expect(ids(index, 'npm', 'example-open', '2.3.1')).toEqual([]);
    expect(ids(index, 'npm', 'example-open', '9.0.0')).toEqual([]);
  });

  it('PyPI: PEP 503 names, PEP 440 order, versions[] and ranges together, GIT ranges ignored', () => {
    expect(ids(index, 'pypi', 'jinja2', '2.11.2')).toEqual(['GHSA-g3rq-g295-4j3m', 'PYSEC-2021-66']);
    expect(ids(index, 'pypi', 'jinja2', '2.11.3')).toEqual([]);
    expect(ids(index, 'pypi', 'jinja2', '2.11.3rc1')).toEqual(['GHSA-g3rq-g295-4j3m', 'PYSEC-2021-66']);
    expect(ids(index, 'pypi', 'zope-interface-example', '1.0rc1')).toEqual(['EXAMPLE-pep440']);
    expect(ids(index, 'pypi', 'zope-interface-example', '1.0')).toEqual(['EXAMPLE-pep440']);
    expect(ids(index, 'pypi', 'zope-interface-example', '1.0.post1')).toEqual([]);
    expect(ids(index, 'pypi', 'zope-interface-example', '1.0b9')).toEqual([]);
    expect(ids(index, 'pypi', 'zope-interface-example', '2.0')).toEqual([]); // epoch 0
    expect(ids(index, 'pypi', 'zope-interface-example', '1!2.0.5')).toEqual(['EXAMPLE-pep440']);
    expect(ids(index, 'pypi', 'zope-interface-example', '1!2.1.dev0')).toEqual([]);
    expect(ids(index, 'pypi', 'zope-interface-example', '1!2.1a1')).toEqual([]);
  });

  it('withdrawn records never match', () => {
    expect(ids(index, 'npm', 'lodash', '4.17.21')).toEqual([]);
  });

  it('rejects unknown range types and invalid versions with a reason', () => {
    expect(parseOsvRecord(records.unknownRangeType)).toMatchObject({
      ok: false,
      reason: 'affected[0]: ranges[0] has unknown type "CALVER"',
    });
    expect(parseOsvRecord(records.invalidVersion)).toMatchObject({
      ok: false,
      reason: 'affected[0]: ranges[0] has invalid npm version "latest"',
    });
    expect(parseOsvRecord({ id: 'X-1' })).toMatchObject({ ok: false, id: 'X-1' });
  });
});

describe('findings', () => {
  const index = indexOf(
    records.jinja2RedosPysec,
    records.jinja2RedosGhsa,
    records.maliciousPackage,
    records.lodashPrototypePollution,
    records.lodashCommandInjection,
  );

  it('aliases merge the PYSEC and GHSA copies into one finding named by the GHSA id', () => {
    const findings = mergeMatches('pypi', 'Jinja2', '2.11.2', index.match('pypi', 'jinja2', '2.11.2'));
    expect(findings).toEqual([
      {
        analyzer: 'vulnerability',
        rule: 'known-vulnerability',
        severity: 'moderate',
        message:
          'Jinja2@2.11.2: GHSA-g3rq-g295-4j3m Regular Expression Denial of Service (ReDoS) in Jinja2; fixed in 2.11.3',
        evidence: 'severity from GHSA-g3rq-g295-4j3m cvss_v3',
        advisory: {
          id: 'GHSA-g3rq-g295-4j3m',
          aliases: ['CVE-2020-28493', 'PYSEC-2021-66'],
          url: 'https://github.com/advisories/GHSA-g3rq-g295-4j3m',
          fixedIn: ['2.11.3'],
          cvssScore: 5.3,
        },
      },
    ]);
  });

  it('MAL- records become critical malware findings', () => {
    const [finding] = mergeMatches(
      'npm',
      'example-stealer',
      '1.0.0',
      index.match('npm', 'example-stealer', '1.0.0'),
    );
    expect(finding).toMatchObject({
      analyzer: 'malware',
      rule: 'known-malicious-package',
      severity: 'critical',
      advisory: { id: 'MAL-2099-0001' },
    });
  });

  it('two lodash advisories stay two findings, worst first, with CVSS scores and fixes', () => {
    const findings = mergeMatches('npm', 'lodash', '4.17.15', index.match('npm', 'lodash', '4.17.15'));
    expect(
      findings.map((f) => [f.advisory?.id, f.severity, f.advisory?.cvssScore, f.advisory?.fixedIn]),
    ).toEqual([
      ['GHSA-35jh-r3h4-6jhm', 'high', 7.2, ['4.17.21']],
      ['GHSA-p6mc-m468-83gw', 'high', 7.4, ['4.17.19']],
    ]);
  });
});
