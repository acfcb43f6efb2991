import { describe, expect, it } from 'vitest';
import { isAirlockError } from '../errors.js';
import { parseNpmPath } from './npm-paths.js';

describe('parseNpmPath', () => {
  it('reads packuments, versions, tarballs and dist-tags, scoped both ways', () => {
    expect(parseNpmPath('/lodash')).toMatchObject({ kind: 'packument', pkg: { name: 'lodash' } });
    expect(parseNpmPath('/@scope%2fname')).toMatchObject({
      kind: 'packument',
      pkg: { name: '@scope/name', scope: '@scope' },
    });
    expect(parseNpmPath('/@scope/name/1.0.0')).toMatchObject({ kind: 'version', spec: '1.0.0' });
    expect(parseNpmPath('/@scope/name/-/name-1.0.0.tgz')).toMatchObject({
      kind: 'tarball',
      version: '1.0.0',
    });
    expect(parseNpmPath('/-/package/@scope%2fname/dist-tags')).toMatchObject({
      kind: 'dist-tags',
      pkg: { name: '@scope/name' },
    });
    expect(parseNpmPath('/-/ping')).toEqual({ kind: 'special', path: '/-/ping' });
  });

  it.each([
    ['/..', 'INVALID_PACKAGE_NAME'],
    ['/%2e%2e', 'INVALID_PACKAGE_NAME'],
    ['/@scope%2f..', 'INVALID_PACKAGE_NAME'],
    ['/a%00b', 'INVALID_PACKAGE_NAME'],
    ['/bad%zz', 'INVALID_PACKAGE_NAME'],
    [`/${'a'.repeat(300)}`, 'INVALID_PACKAGE_NAME'],
    ['/lodash/-/other-1.0.0.tgz', 'NOT_FOUND'],
    ['/lodash/-/lodash-..%2f..%2fetc.tgz', 'NOT_FOUND'],
  ])('rejects %s with %s', (path, code) => {
    let error: unknown;
    try {
      parseNpmPath(path);
    } catch (e) {
      error = e;
    }
    expect(isAirlockError(error)).toBe(true);
    expect((error as { code: string }).code).toBe(code);
  });
});
