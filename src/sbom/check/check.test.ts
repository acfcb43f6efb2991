import { describe, expect, it } from 'vitest';
import { parseLockfile } from '../load.js';
import { fixtureMatcher } from '../test-support/fake-matcher.js';
import { sarifErrors } from '../test-support/schemas.js';
import { runCheck } from './evaluate.js';
import { ServerGateState, type ApiCaller } from './gate-client.js';
import { toSarif } from './report-sarif.js';
import { renderCheckTable } from './report-table.js';
import { parseVex } from './vex.js';

const lockfile = 'test/fixtures/sbom/npm-v3/package-lock.json';
const graph = () => parseLockfile(lockfile);

describe('runCheck', () => {
  it('reports every matched advisory with its path, location and fix, and fails at the threshold', async () => {
    const matcher = fixtureMatcher();
    const report = await runCheck(graph(), { matcher, threshold: 'high' });
    expect(matcher.asked).toHaveLength(20);
    expect(report.failed).toBe(true);
    expect(
      report.findings.map((f) => [
        f.component.name,
        f.component.version,
        f.finding.severity,
        f.path.join(' > '),
        f.location?.line,
      ]),
    ).toEqual([
      ['debug', '4.3.4', 'high', 'fixture-root@1.2.3 > debug@4.3.4', 68],
      ['semver', '7.6.0', 'high', 'fixture-root@1.2.3 > semver@7.6.0', 207],
      ['ms', '2.1.2', 'moderate', 'fixture-root@1.2.3 > app-a@0.1.0 > ms@2.1.2', 84],
    ]);
    expect(report.summary.bySeverity).toEqual({ info: 0, low: 0, moderate: 1, high: 2, critical: 0 });
    expect((await runCheck(graph(), { matcher, threshold: 'critical' })).failed).toBe(false);
  });

  it('OpenVEX not_affected with a justification suppresses and says so; without one it does not', async () => {
    const vex = parseVex(
      'vex.json',
      JSON.stringify({
        '@context': 'https://openvex.dev/ns/v0.2.0',
        statements: [
          {
            vulnerability: { name: 'CVE-2017-16137' },
            products: [{ '@id': 'pkg:npm/debug@4.3.4' }],
            status: 'not_affected',
            justification: 'vulnerable_code_not_in_execute_path',
          },
          { vulnerability: 'GHSA-c2qf-rxjj-qqgw', products: ['pkg:npm/semver'], status: 'not_affected' },
        ],
      }),
    );
    const report = await runCheck(graph(), { matcher: fixtureMatcher(), threshold: 'high', vex: [vex] });
    const debug = report.findings.find((f) => f.component.name === 'debug');
    expect(debug?.suppressed).toEqual({
      file: 'vex.json',
      justification: 'vulnerable_code_not_in_execute_path',
    });
    expect(report.findings.find((f) => f.component.name === 'semver')?.suppressed).toBeUndefined();
    expect(report.summary.suppressed).toBe(1);
    expect(report.failed).toBe(true);
    expect(report.warnings).toEqual([
      'vex.json: 1 not_affected statement(s) without a justification were not applied',
    ]);
    const table = renderCheckTable(report, { colour: false });
    expect(table).toContain('SUPPRESSED BY VEX (1)');
    expect(table).toContain(
      'debug@4.3.4  GHSA-9vvw-cc9w-f27h: not_affected (vulnerable_code_not_in_execute_path) per vex.json',
    );
  });

  it('CycloneDX VEX (analysis.state not_affected) suppresses through bom-refs; a version-less purl covers all versions', async () => {
    const vex = parseVex(
      'bom.vex.json',
      JSON.stringify({
        bomFormat: 'CycloneDX',
        specVersion: '1.6',
        components: [{ 'bom-ref': 'semver', purl: 'pkg:npm/semver@7.6.0', name: 'semver' }],
        vulnerabilities: [
          {
            id: 'CVE-2022-25883',
            analysis: { state: 'not_affected', justification: 'code_not_reachable', detail: 'CLI only' },
            affects: [{ ref: 'semver' }],
          },
          {
            id: 'GHSA-9vvw-cc9w-f27h',
            analysis: { state: 'not_affected', justification: 'protected_by_mitigating_control' },
            affects: [{ ref: 'pkg:npm/debug' }],
          },
        ],
      }),
    );
    const report = await runCheck(graph(), { matcher: fixtureMatcher(), threshold: 'high', vex: [vex] });
    expect(
      report.findings.filter((f) => f.suppressed).map((f) => [f.component.name, f.suppressed?.justification]),
    ).toEqual([
      ['debug', 'protected_by_mitigating_control'],
      ['semver', 'code_not_reachable'],
    ]);
    expect(report.failed).toBe(false);
  });

  it('asks the server for the gate state of registry components and reports every unapproved one', async () => {
    const bodies: unknown[] = [];
    const api: ApiCaller = {
      call: async <T>(_m: 'POST', path: string, body: unknown) => {
        expect(path).toBe('/gate/check');
        bodies.push(body);
        const components = (body as { components: { ecosystem: string; name: string; version: string }[] })
          .components;
        return {
          results: components.map((c) => ({
            ...c,
            state:
              c.name === 'ms' && c.version === '2.1.3'
                ? 'rejected'
                : c.name === 'react'
                  ? 'pending'
                  : 'approved',
            reasons: c.name === 'ms' ? [{ rule: 'malware', message: 'known malicious' }] : [],
          })),
        } as T;
      },
    };
    const report = await runCheck(graph(), {
      matcher: fixtureMatcher(),
      threshold: 'critical',
      gate: new ServerGateState(api),
    });
    expect((bodies[0] as { components: unknown[] }).components).toHaveLength(15);
    expect(report.summary.gate).toEqual({ approved: 13, rejected: 1, pending: 1 });
    expect(
      report.findings
        .filter((f) => f.finding.analyzer === 'gate')
        .map((f) => [f.finding.severity, f.finding.message]),
    ).toEqual([
      ['critical', 'ms@2.1.3 is rejected on the Airlock server: known malicious'],
      ['high', 'react@18.3.1 is pending on the Airlock server'],
    ]);
    expect(report.failed).toBe(true);
  });

  it('SARIF output validates against the SARIF 2.1.0 schema and points into the lockfile', async () => {
    const report = await runCheck(graph(), { matcher: fixtureMatcher(), threshold: 'high' });
    const sarif = toSarif(report, { uriOf: (f) => f }) as {
      runs: { results: { ruleId: string; locations: unknown[] }[] }[];
    };
    expect(sarifErrors(sarif)).toBeNull();
    expect(sarif.runs[0]?.results[0]).toMatchObject({
      ruleId: 'GHSA-9vvw-cc9w-f27h',
      level: 'error',
      locations: [{ physicalLocation: { artifactLocation: { uri: lockfile }, region: { startLine: 68 } } }],
    });
    expect(sarifErrors({ version: '2.1.0', runs: [{ tool: {} }] })).not.toBeNull();
  });
});
