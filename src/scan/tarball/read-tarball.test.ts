import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { readTarball } from './read-tarball.js';
import { tarballPackageJson } from './package-json.js';
import { makeTar, makeTarball } from '../test-support/make-tarball.js';
import { defaultTarballLimits } from './limits.js';

const kinds = (bytes: Uint8Array, limits = defaultTarballLimits) =>
  readTarball(bytes, limits).problems.map((p) => p.kind);

describe('readTarball', () => {
  it('reads files under package/ into memory by their package path', () => {
    const contents = readTarball(
      makeTarball({ 'package.json': '{"name":"a","version":"1.0.0"}', 'lib/index.js': 'x' }),
    );
    expect([...contents.files.keys()]).toEqual(['package.json', 'lib/index.js']);
    expect(new TextDecoder().decode(contents.files.get('lib/index.js')?.bytes)).toBe('x');
    expect(contents.problems).toEqual([]);
    expect(tarballPackageJson(contents)).toEqual({ name: 'a', version: '1.0.0' });
  });

  it('reads long names split into the ustar prefix', () => {
    const long = `package/${'d/'.repeat(60)}file.js`;
    const contents = readTarball(gzipSync(makeTar([{ name: long, content: 'ok' }])), {
      ...defaultTarballLimits,
      maxDepth: 100,
    });
    expect([...contents.files.keys()]).toEqual([`${'d/'.repeat(60)}file.js`]);
  });

  it('skips and reports absolute paths, traversal, links and device files', () => {
    const tar = gzipSync(
      makeTar([
        { name: '/etc/passwd', content: 'x' },
        { name: 'package/../../evil.js', content: 'x' },
        { name: 'C:/windows/evil.js', content: 'x' },
        { name: 'package/link', type: '2', linkName: '/etc/shadow' },
        { name: 'package/hard', type: '1', linkName: 'package/a' },
        { name: 'package/dev', type: '3' },
        { name: 'package/ok.js', content: 'fine' },
      ]),
    );
    const contents = readTarball(tar);
    expect(contents.problems.map((p) => p.kind)).toEqual([
      'absolute-path',
      'path-traversal',
      'absolute-path',
      'symlink',
      'hardlink',
      'special-file',
    ]);
    expect([...contents.files.keys()]).toEqual(['ok.js']);
  });

  it('stops a decompression bomb at the unpacked-bytes cap', () => {
    const bomb = gzipSync(makeTar([{ name: 'package/zeros', content: new Uint8Array(8 * 1024 * 1024) }]));
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect(kinds(bomb, { ...defaultTarballLimits, maxUnpackedBytes: 1024 * 1024 })).toEqual([
      'decompression-limit',
    ]);
  });

  it('bounds entry count, depth and file size', () => {
    const many = gzipSync(
      makeTar(Array.from({ length: 12 }, (_, i) => ({ name: `package/f${i}`, content: '' }))),
    );
    expect(kinds(many, { ...defaultTarballLimits, maxEntries: 10 })).toEqual(['too-many-entries']);
    const deep = gzipSync(makeTar([{ name: `package/${'a/'.repeat(40)}x.js`, content: '' }]));
    expect(kinds(deep)).toEqual(['too-deep']);
    const big = readTarball(makeTarball({ 'big.bin': new Uint8Array(2048) }), {
      ...defaultTarballLimits,
      maxFileBytes: 1024,
    });
    expect(big.problems.map((p) => p.kind)).toEqual(['file-too-large']);
    expect(big.files.get('big.bin')).toEqual({ path: 'big.bin', size: 2048, mode: 0o644 });
  });

  it('reports garbage, truncation and bad checksums without throwing', () => {
    expect(kinds(new TextEncoder().encode('hello, not a tarball'))).toEqual(['not-gzip']);
    expect(kinds(Uint8Array.of(0x1f, 0x8b, 1, 2, 3))).toEqual(['corrupt']);
    const tar = makeTar([{ name: 'package/a.js', content: 'x'.repeat(2000) }]);
    expect(kinds(gzipSync(tar.subarray(0, 1024)))).toEqual(['truncated']);
    const bad = Uint8Array.from(tar);
    bad[10] = 0x41;
    expect(kinds(gzipSync(bad))).toEqual(['bad-checksum']);
  });

  it('keeps __proto__ in package.json as plain data', () => {
    const pkg = tarballPackageJson(
      readTarball(makeTarball({ 'package.json': '{"__proto__":{"polluted":1},"name":"p"}' })),
    );
    expect(Object.getPrototypeOf(pkg)).toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(() => tarballPackageJson(readTarball(makeTarball({ 'a.js': '' })))).toThrow(/no package.json/);
  });
});
