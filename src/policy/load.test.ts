import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAirlockError } from '../errors.js';
import { loadConfig } from '../config/load.js';
import { defaultPolicyRules } from './default-policy.js';
import { loadPolicyFile, loadPolicyFromConfigFile, parsePolicy, resolvePolicy } from './load.js';

function policyError(text: string): Error {
  try {
    parsePolicy(text, 'policy.yaml');
  } catch (error) {
    expect(isAirlockError(error, 'POLICY_INVALID')).toBe(true);
    return error as Error;
  }
  throw new Error('expected the policy to be refused');
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'airlock-policy-'));
}

describe('parsePolicy', () => {
  it('fills what the file leaves out from the default policy', () => {
    const policy = parsePolicy('mode: monitor\nminReleaseAge: 3d\n', 'policy.yaml');
    expect(policy.rules.mode).toBe('monitor');
    expect(policy.rules.minReleaseAge).toEqual({ age: 3 * 86_400_000, exempt: [] });
    expect(policy.rules.malware).toEqual(defaultPolicyRules.malware);
    expect(policy.source).toBe('policy.yaml');
  });

  it('names unknown rules with the line and the valid rules', () => {
    expect(policyError('mode: enforce\ntyposqat: reject\n').message).toMatch(
      /^policy\.yaml:2: typosqat: unknown rule "typosqat"; valid rules: mode, minReleaseAge, vulnerabilities,/,
    );
  });

  it('names unknown keys inside a rule', () => {
    expect(policyError('installScripts:\n  alow: [esbuild]\n').message).toBe(
      'policy.yaml:2: installScripts.alow: unknown key "alow"; valid keys: action, revoke, allow, firstSeen',
    );
  });

  it('refuses contradictory overrides with the line of the second one', () => {
    const text = [
      'overrides:',
      '  - package: lodash@4.17.21',
      '    action: approve',
      '    reason: audited',
      '  - package: left-pad',
      '    action: reject',
      '    reason: never',
      '  - package: lodash',
      '    version: 4.17.21',
      '    action: reject',
      '    reason: banned',
    ].join('\n');
    expect(policyError(text).message).toBe(
      'policy.yaml:8: overrides.2: contradictory rules: this override says reject for lodash@4.17.21 but overrides.0 says approve for lodash@4.17.21, equally specific',
    );
  });

  it('refuses overlapping ranges of equal specificity, but not a more specific version', () => {
    const overlap =
      'overrides:\n  - { package: a, version: "^1.0.0", action: approve, reason: x }\n  - { package: a, version: ">=1.5.0", action: reject, reason: y }\n';
    expect(policyError(overlap).message).toMatch(/^policy\.yaml:3: overrides\.1: contradictory rules/);
    const specific =
      'overrides:\n  - { package: a, action: reject, reason: x }\n  - { package: a, version: 1.2.3, action: approve, reason: y }\n';
    expect(parsePolicy(specific, 'p').overrides.map((o) => o.action)).toEqual(['approve', 'reject']);
  });

  it('refuses a licence both allowed and denied', () => {
    expect(policyError('licenses:\n  allow: [MIT]\n  deny:\n    - MIT\n').message).toBe(
      'policy.yaml:4: licenses.deny.0: contradictory rules: licence MIT is both allowed and denied',
    );
  });

  it('refuses invalid durations, SPDX ids, ranges, patterns and actions', () => {
    expect(policyError('minReleaseAge:\n  age: soon\n').message).toBe(
      'policy.yaml:2: minReleaseAge.age: invalid duration "soon": use a number and a unit, e.g. 30s, 5m, 2h, 3d',
    );
    expect(policyError('licenses:\n  deny: [MIT, Foo]\n').message).toBe(
      'policy.yaml:2: licenses.deny.1: "Foo" is not an SPDX licence identifier (Unexpected `F` at offset 0)',
    );
    expect(policyError('licenses:\n  allow: ["MIT OR ISC"]\n').message).toMatch(
      /list one SPDX licence identifier per entry/,
    );
    expect(
      policyError('overrides:\n  - { package: a, version: "not a range", action: approve, reason: x }\n')
        .message,
    ).toMatch(/^policy\.yaml:2: overrides\.0\.version: "not a range" is not a semver version or range/);
    expect(policyError('minReleaseAge:\n  exempt: ["../x y"]\n  age: 1d\n').message).toMatch(
      /^policy\.yaml:2: minReleaseAge\.exempt\.0: /,
    );
    expect(policyError('typosquat: block\n').message).toMatch(
      /^policy\.yaml:1: typosquat\.action: Invalid option/,
    );
  });

  it('refuses invalid YAML and duplicate keys with the line', () => {
    expect(policyError('mode: enforce\nmode: monitor\n').message).toMatch(/^policy\.yaml:2: invalid YAML/);
    expect(policyError('- a\n- b\n').message).toBe('policy.yaml: the policy must be a mapping of rule names');
  });
});

describe('loading from airlock.yaml', () => {
  it('validates inline rules at config load with the line (CONFIG_INVALID)', () => {
    const dir = tempDir();
    const file = join(dir, 'airlock.yaml');
    writeFileSync(
      file,
      'server:\n  port: 9000\npolicy:\n  minReleaseAge: 3d\n  overrides:\n    - { package: a, action: approve, reason: x }\n    - { package: a, action: reject, reason: y }\n',
    );
    expect(() => loadConfig({ file })).toThrow(
      /airlock\.yaml:\d+: policy\.overrides\.1: contradictory rules/,
    );
  });

  it('resolves inline rules and policy.file relative to airlock.yaml', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'airlock.yaml'), 'policy:\n  minReleaseAge: 5d\n');
    const inline = loadConfig({ file: join(dir, 'airlock.yaml') });
    expect(
      resolvePolicy(inline.policy, { configFile: join(dir, 'airlock.yaml') }).rules.minReleaseAge.age,
    ).toBe(5 * 86_400_000);

    writeFileSync(join(dir, 'policy.yaml'), 'mode: monitor\n');
    writeFileSync(join(dir, 'with-file.yaml'), 'policy:\n  file: policy.yaml\n');
    const config = loadConfig({ file: join(dir, 'with-file.yaml') });
    const policy = resolvePolicy(config.policy, { configFile: join(dir, 'with-file.yaml') });
    expect(policy.rules.mode).toBe('monitor');
    expect(policy.source).toBe(join(dir, 'policy.yaml'));
    expect(resolvePolicy(loadConfig().policy).digest).toBe(parsePolicy('', 'x').digest);
  });

  it('refuses policy.file together with inline rules', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'airlock.yaml'), 'policy:\n  file: policy.yaml\n  mode: monitor\n');
    expect(() => loadConfig({ file: join(dir, 'airlock.yaml') })).toThrow(
      /airlock\.yaml:3: policy\.mode: policy\.file is set, so rules belong in that file, not inline \(found mode\)/,
    );
  });

  it('policy check reports POLICY_INVALID with the line in airlock.yaml or the referenced file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'airlock.yaml'), 'dataDir: ./x\npolicy:\n  malwre: reject\n');
    expect(() => loadPolicyFromConfigFile(join(dir, 'airlock.yaml'))).toThrow(
      /airlock\.yaml:3: policy\.malwre: unknown rule "malwre"; valid rules: file, mode,/,
    );
    writeFileSync(join(dir, 'policy.yaml'), 'mode: enforce\nnewPackage:\n  minAge: 1 fortnight\n');
    writeFileSync(join(dir, 'ref.yaml'), 'policy:\n  file: policy.yaml\n');
    expect(() => loadPolicyFromConfigFile(join(dir, 'ref.yaml'))).toThrow(
      /policy\.yaml:3: newPackage\.minAge: invalid duration/,
    );
    expect(() => loadPolicyFile(join(dir, 'missing.yaml'))).toThrow(
      /cannot read policy file .*missing\.yaml: ENOENT/,
    );
  });
});
