import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';
import { compilePattern, patternProblem } from './name-pattern.js';
import { evaluateLicense, parseLicenseEntry } from './spdx.js';
import { resolvePolicy } from './load.js';

describe('evaluateLicense', () => {
  const lists = (allow: string[], deny: string[] = []) => ({
    allow: allow.map(parseLicenseEntry),
    deny: deny.map(parseLicenseEntry),
  });

  it('with no lists, accepts any valid expression', () => {
    expect(evaluateLicense('GPL-3.0-only', lists([]))).toEqual({ verdict: 'allowed' });
    expect(evaluateLicense('LicenseRef-acme', lists([]))).toEqual({ verdict: 'allowed' });
  });

  it('walks AND/OR: OR needs one acceptable side, AND needs both', () => {
    const l = lists(['MIT', 'ISC']);
    expect(evaluateLicense('MIT OR GPL-3.0-only', l).verdict).toBe('allowed');
    expect(evaluateLicense('(MIT AND ISC) OR GPL-3.0-only', l).verdict).toBe('allowed');
    expect(evaluateLicense('MIT AND (ISC OR GPL-3.0-only)', l).verdict).toBe('allowed');
    expect(evaluateLicense('MIT AND (BSD-3-Clause OR GPL-3.0-only)', l)).toEqual({
      verdict: 'denied',
      message:
        'licence "MIT AND (BSD-3-Clause OR GPL-3.0-only)" is not acceptable: BSD-3-Clause is not on the allow list, GPL-3.0-only is not on the allow list',
    });
  });

  it('takes identifiers in SPDX case only, and treats an exception as covered by its licence', () => {
    expect(evaluateLicense('mit', lists(['MIT'])).verdict).toBe('unknown');
    expect(evaluateLicense('Apache-2.0 WITH LLVM-exception', lists(['Apache-2.0'])).verdict).toBe('allowed');
    expect(
      evaluateLicense('GPL-2.0-only WITH Classpath-exception-2.0', lists([], ['GPL-2.0-only'])).verdict,
    ).toBe('denied');
  });

  it('calls missing, UNLICENSED, SEE LICENSE IN and over-long licences unknown', () => {
    expect(evaluateLicense(undefined, lists([])).verdict).toBe('unknown');
    expect(evaluateLicense('  ', lists([])).verdict).toBe('unknown');
    expect(evaluateLicense('UNLICENSED', lists([])).verdict).toBe('unknown');
    expect(evaluateLicense('SEE LICENSE IN LICENSE', lists([])).verdict).toBe('unknown');
    expect(evaluateLicense(`MIT${' OR MIT'.repeat(100)}`, lists([]))).toEqual({
      verdict: 'unknown',
      message: 'licence expression too long',
    });
  });

  it('refuses list entries that are expressions, or use "+"', () => {
    expect(() => parseLicenseEntry('MIT OR ISC')).toThrow(/list one SPDX licence identifier per entry/);
    expect(() => parseLicenseEntry('GPL-2.0+')).toThrow(/write the -or-later identifier/);
  });
});

describe('name patterns', () => {
  it('matches exact names and globs case-insensitively, with regex characters taken literally', () => {
    expect(compilePattern('@acme/*').matches('@acme/ui')).toBe(true);
    expect(compilePattern('@acme/*').matches('@acmex/ui')).toBe(false);
    expect(compilePattern('JSONStream').matches('jsonstream')).toBe(true);
    expect(compilePattern('a.b').matches('axb')).toBe(false);
    expect(compilePattern('eslint-plugin-*').literalLength).toBe(14);
    expect(patternProblem('../x')).toBeUndefined();
    expect(patternProblem('a b')).toMatch(/is not a package name pattern/);
    expect(patternProblem('x'.repeat(215))).toMatch(/is not a package name pattern/);
    expect(patternProblem('*a*a*a*a*')).toBe('"*a*a*a*a*" has 5 "*"; use at most 4');
  });
});

describe('policy config through environment variables', () => {
  it('AIRLOCK_POLICY_MODE switches to monitor mode', () => {
    const config = loadConfig({ env: { AIRLOCK_POLICY_MODE: 'monitor' } });
    expect(resolvePolicy(config.policy).rules.mode).toBe('monitor');
  });
});
