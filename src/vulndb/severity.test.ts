import { describe, expect, it } from 'vitest';
import { advisorySeverity, cvssBaseScore, severityOfScore } from './severity.js';

describe('advisory severity', () => {
  it('computes CVSS v3.0, v3.1 and v4.0 base scores and rejects malformed vectors', () => {
    expect(cvssBaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toBe(9.8);
    expect(cvssBaseScore('CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N')).toBe(6.1);
    expect(cvssBaseScore('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')).toBe(9.3);
    expect(cvssBaseScore('CVSS:3.1/AV:Q/AC:L')).toBeUndefined();
    expect(cvssBaseScore('AV:N/AC:L/Au:N/C:P/I:P/A:P')).toBeUndefined();
  });

  it('maps scores to the FIRST qualitative ratings', () => {
    expect([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map(severityOfScore)).toEqual([
      'info',
      'low',
      'low',
      'moderate',
      'moderate',
      'high',
      'high',
      'critical',
      'critical',
    ]);
  });

  it('takes the highest of every CVSS vector and the database label, keeping its source', () => {
    const v3low = { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L' }; // 5.3
    const v4crit = {
      type: 'CVSS_V4',
      score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
    };
    expect(advisorySeverity([v3low, v4crit], 'MODERATE', false)).toEqual({
      severity: 'critical',
      source: 'cvss_v4',
      cvssScore: 9.3,
      cvssVector: v4crit.score,
    });
    expect(advisorySeverity([v3low], 'HIGH', false)).toEqual({
      severity: 'high',
      source: 'database_specific',
      cvssScore: 5.3,
      cvssVector: v3low.score,
    });
    expect(
      advisorySeverity([{ type: 'CVSS_V2', score: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' }], 'medium', false),
    ).toEqual({
      severity: 'moderate',
      source: 'database_specific',
    });
    expect(advisorySeverity([], undefined, false)).toEqual({ severity: 'moderate', source: 'default' });
    expect(advisorySeverity([], '__proto__', false)).toEqual({ severity: 'moderate', source: 'default' });
    expect(advisorySeverity([v3low], undefined, true)).toEqual({ severity: 'critical', source: 'default' });
  });
});
