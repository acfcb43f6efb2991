import { describe, expect, it } from 'vitest';
import { AirlockError } from '../errors.js';
import { parsePolicy } from './load.js';
import { PolicySource } from './policy-source.js';

describe('PolicySource', () => {
  it('keeps the last good policy when a reload fails, and reports the error until a good one loads', () => {
    let text = 'minReleaseAge: 3d\n';
    const source = new PolicySource(() => parsePolicy(text, 'policy.yaml'));
    const good = source.current();
    text = 'minReleaseAge: soon\n';
    const failed = source.reload();
    expect(failed.ok).toBe(false);
    expect(source.current()).toBe(good);
    expect(source.lastError()?.message).toBe(
      'policy.yaml:1: minReleaseAge.age: invalid duration "soon": use a number and a unit, e.g. 30s, 5m, 2h, 3d',
    );
    text = 'minReleaseAge: 4d\n';
    const reloaded = source.reload();
    expect(reloaded).toMatchObject({ ok: true, changed: true });
    expect(source.current().rules.minReleaseAge.age).toBe(4 * 86_400_000);
    expect(source.lastError()).toBeUndefined();
    expect(source.reload()).toMatchObject({ ok: true, changed: false });
  });

  it('refuses to start with a bad policy', () => {
    expect(() => new PolicySource(() => parsePolicy('typosqat: reject\n', 'p.yaml'))).toThrow(AirlockError);
  });

  it('wraps unexpected loader failures as POLICY_INVALID', () => {
    let fail = false;
    const source = new PolicySource(() => {
      if (fail) throw new Error('disk on fire');
      return parsePolicy('', 'p');
    });
    fail = true;
    const result = source.reload();
    expect(result.ok ? undefined : result.error.code).toBe('POLICY_INVALID');
    expect(source.lastError()?.message).toBe('cannot load the policy: disk on fire');
  });
});
