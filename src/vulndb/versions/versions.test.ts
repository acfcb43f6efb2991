import { describe, expect, it } from 'vitest';
import { compareVersionText, versionOrder } from './ecosystem-order.js';
import { parsePep440 } from './pep440.js';
import { parseSemver } from './semver.js';

const sorted = (eco: 'npm' | 'pypi', list: string[]) =>
  [...list].sort((a, b) => compareVersionText(eco, a, b));

describe('SemVer 2.0 precedence', () => {
  it('orders the spec example and ignores build metadata', () => {
    expect(
      sorted('npm', [
        '1.0.0',
        '1.0.0-rc.1',
        '1.0.0-beta.11',
        '1.0.0-beta.2',
        '1.0.0-beta',
        '1.0.0-alpha.beta',
        '1.0.0-alpha.1',
        '1.0.0-alpha',
      ]),
    ).toEqual([
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
    ]);
    expect(compareVersionText('npm', '1.0.0+a', '1.0.0+b')).toBe(0);
  });

  it('reads huge numbers exactly and rejects what is not a version', () => {
    expect(parseSemver('18446744073709551616.0.0')?.core).toEqual(['18446744073709551616', '0', '0']);
    expect(compareVersionText('npm', '18446744073709551617.0.0', '18446744073709551616.0.0')).toBe(1);
    expect(parseSemver('latest')).toBeUndefined();
    expect(versionOrder('npm').parseStrict('')).toBeUndefined();
  });
});

describe('PEP 440', () => {
  it('normalises spellings', () => {
    expect(compareVersionText('pypi', '1.0alpha1', '1.0a1')).toBe(0);
    expect(compareVersionText('pypi', '1.0-c2', '1.0rc2')).toBe(0);
    expect(compareVersionText('pypi', '1.0.rev3', '1.0.post3')).toBe(0);
    expect(compareVersionText('pypi', '1.0-3', '1.0.post3')).toBe(0);
    expect(compareVersionText('pypi', 'v1.0.0', '1')).toBe(0);
    expect(compareVersionText('pypi', '1.0+Ubuntu-1', '1.0+ubuntu.1')).toBe(0);
  });

  it('orders dev < pre < release < post, epochs first, locals after', () => {
    expect(
      sorted('pypi', [
        '1.0',
        '1.0.post1',
        '1.0rc1',
        '1.0.dev1',
        '1.0a1.dev1',
        '1.0a1',
        '0!2.0',
        '1!0.1',
        '1.0+local',
        '1.0.post1.dev1',
      ]),
    ).toEqual([
      '1.0.dev1',
      '1.0a1.dev1',
      '1.0a1',
      '1.0rc1',
      '1.0',
      '1.0+local',
      '1.0.post1.dev1',
      '1.0.post1',
      '0!2.0',
      '1!0.1',
    ]);
  });

  it('keeps non-PEP 440 strings as legacy versions below every valid one', () => {
    expect(parsePep440('2013-final').kind).toBe('legacy');
    expect(compareVersionText('pypi', '2013-final', '0.0.1')).toBe(-1);
    expect(versionOrder('pypi').parseStrict('2013-final')).toBeUndefined();
  });
});
