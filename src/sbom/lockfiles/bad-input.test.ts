import { describe, expect, it } from 'vitest';
import { isAirlockError } from '../../errors.js';
import { parseLockfile } from '../load.js';
import { summarise } from '../test-support/summarise.js';

function failure(file: string, text: string, maxBytes?: number): string {
  try {
    parseLockfile({ file, text }, maxBytes === undefined ? {} : { maxBytes });
  } catch (error) {
    if (isAirlockError(error)) return `${error.code} ${error.message}`;
    throw error;
  }
  throw new Error('expected the lockfile to be refused');
}

const v3 = (packages: string) =>
  `{\n  "name": "x",\n  "lockfileVersion": 3,\n  "packages": {\n${packages}\n  }\n}\n`;

describe('hostile and broken lockfiles', () => {
  it('names the file and line of truncated or invalid JSON', () => {
    expect(failure('package-lock.json', '{\n  "lockfileVersion": 3,\n  "packages": {\n    "": {')).toBe(
      'LOCKFILE_INVALID package-lock.json:4: invalid JSON (CloseBraceExpected)',
    );
  });

  it('refuses duplicate keys instead of silently taking the last one', () => {
    const text = v3(
      '    "": {},\n    "node_modules/a": { "version": "1.0.0" },\n    "node_modules/a": { "version": "6.6.6" }',
    );
    expect(failure('package-lock.json', text)).toBe(
      'LOCKFILE_INVALID package-lock.json:7: duplicate key "node_modules/a"',
    );
    expect(failure('pnpm-lock.yaml', "lockfileVersion: '9.0'\nimporters: {}\nimporters: {}\n")).toMatch(
      /^LOCKFILE_INVALID pnpm-lock\.yaml:3: invalid YAML: Map keys must be unique/,
    );
    expect(
      failure('yarn.lock', '# yarn lockfile v1\n\na@^1:\n  version "1.0.0"\n\na@^1:\n  version "1.0.1"\n'),
    ).toBe('LOCKFILE_INVALID yarn.lock:6: duplicate entry for "a@^1"');
  });

  it('finds duplicates however they are spelt or nested, and is not fooled by quotes and colons in strings', () => {
    // The same key written two ways: JSON.parse keeps one, so the text has a key more than the tree.
    const escaped = v3(
      '    "": {},\n    "node_modules/a": { "version": "1.0.0" },\n    "node_modules/\\u0061": { "version": "6.6.6" }',
    );
    expect(failure('package-lock.json', escaped)).toBe(
      'LOCKFILE_INVALID package-lock.json:7: duplicate key "node_modules/a"',
    );
    const nested = v3(
      '    "": {},\n    "node_modules/a": {\n      "version": "1.0.0",\n      "version": "6.6.6"\n    }',
    );
    expect(failure('package-lock.json', nested)).toBe(
      'LOCKFILE_INVALID package-lock.json:8: duplicate key "version"',
    );
    const tricky = v3(
      '    "": { "description": "a \\"quoted\\": b", "keywords": ["x:", "y" ] },\n    "node_modules/a": { "version": "1.0.0", "license": "MIT" }',
    );
    expect(
      parseLockfile({ file: 'package-lock.json', text: tricky }).components.map(
        (c) => `${c.name}@${c.version}`,
      ),
    ).toEqual(['a@1.0.0']);
  });

  it('refuses unknown lockfile versions', () => {
    expect(failure('package-lock.json', '{"lockfileVersion": 4, "packages": {}}')).toBe(
      'LOCKFILE_INVALID package-lock.json: unknown lockfileVersion 4 (Airlock reads 1, 2 and 3)',
    );
    expect(failure('pnpm-lock.yaml', "lockfileVersion: '4.0'\n")).toBe(
      'LOCKFILE_INVALID pnpm-lock.yaml:1: unknown pnpm lockfileVersion "4.0" (Airlock reads 5.x, 6.x and 9.x)',
    );
    expect(failure('yarn.lock', '__metadata:\n  version: 99\n')).toBe(
      'LOCKFILE_INVALID yarn.lock: unknown yarn lockfile version 99',
    );
    expect(failure('Gemfile.lock', 'GEM\n')).toMatch(
      /^LOCKFILE_INVALID Gemfile\.lock: not a lockfile or SBOM Airlock knows/,
    );
  });

  it('refuses an enormous file before parsing it', () => {
    expect(failure('package-lock.json', v3('    "": {}'), 32)).toBe(
      'LOCKFILE_INVALID package-lock.json: larger than 32 bytes; refusing to read it',
    );
  });

  it('reads a dependency cycle once and keeps both edges', () => {
    const text = v3(
      [
        '    "": { "dependencies": { "a": "1" } },',
        '    "node_modules/a": { "version": "1.0.0", "dependencies": { "b": "1" } },',
        '    "node_modules/b": { "version": "1.0.0", "dependencies": { "a": "1" } }',
      ].join('\n'),
    );
    expect(summarise(parseLockfile({ file: 'package-lock.json', text }))).toEqual({
      components: ['a@1.0.0 prod registry', 'b@1.0.0 prod registry'],
      edges: ['a@1.0.0 > b@1.0.0', 'b@1.0.0 > a@1.0.0', 'x@ > a@1.0.0'],
    });
  });

  it('says when the lockfile is incomplete instead of presenting a partial graph as whole', () => {
    const text = v3(
      '    "": { "dependencies": { "gone": "1" } },\n    "node_modules/a": { "version": "1.0.0" }',
    );
    expect(parseLockfile({ file: 'package-lock.json', text }).warnings).toEqual([
      'root: dependency gone is not in the lockfile',
      '1 component(s) not reachable from the project root (kept with the scope the lockfile gives): a@1.0.0',
    ]);
  });

  it('does not let __proto__ keys reach any prototype', () => {
    const text = v3(
      '    "": { "dependencies": { "__proto__": "1" } },\n    "node_modules/__proto__": { "version": "1.0.0" }',
    );
    const graph = parseLockfile({ file: 'package-lock.json', text });
    expect(graph.components.map((c) => c.name)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).version).toBeUndefined();
  });
});
