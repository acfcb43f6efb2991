import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from './load.js';

// The README's policy reference is what people copy: every example must load as written.
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const reference = readme.slice(
  readme.indexOf('## Policy reference'),
  readme.indexOf('### The default policy'),
);
const examples = [...reference.matchAll(/```yaml\n([\s\S]*?)```/g)]
  .map((m) => m[1] ?? '')
  .filter((text) => !text.includes('policy:'));

describe('README policy reference', () => {
  it('has an example for every rule key', () => {
    const keys = new Set(examples.flatMap((text) => [...text.matchAll(/^([a-zA-Z]+):/gm)].map((m) => m[1])));
    expect([...keys].sort()).toEqual(
      [
        'deprecated',
        'findings',
        'installScripts',
        'integrity',
        'licenses',
        'maintainerChange',
        'malware',
        'minReleaseAge',
        'mode',
        'newPackage',
        'overrides',
        'provenance',
        'scanIncomplete',
        'typosquat',
        'unpopular',
        'vulnerabilities',
      ].sort(),
    );
  });

  it.each(examples.map((text, i) => [i, text] as const))('example %i loads', (_i, text) => {
    expect(parsePolicy(text, 'README.md').digest).toMatch(/^sha256:/);
  });
});
