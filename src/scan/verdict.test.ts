import { describe, expect, it } from 'vitest';
import { scoreFindings } from './verdict.js';
import { ruleFinding } from './findings.js';

describe('scoreFindings', () => {
  it('keeps one weak signal clean, counts a rule once, and makes a chain malicious', () => {
    expect(scoreFindings([ruleFinding('native-build', 'x'), ruleFinding('install-script', 'y')])).toEqual({
      score: 3,
      verdict: 'clean',
    });
    expect(scoreFindings(Array.from({ length: 50 }, () => ruleFinding('child-process', 'x')))).toEqual({
      score: 5,
      verdict: 'clean',
    });
    expect(scoreFindings([ruleFinding('obfuscated-code', 'x')])).toEqual({
      score: 30,
      verdict: 'suspicious',
    });
    const chain = ['install-script', 'env-harvest', 'network', 'install-time-exfiltration'] as const;
    expect(scoreFindings(chain.map((r) => ruleFinding(r, 'x')))).toEqual({ score: 83, verdict: 'malicious' });
  });
});
