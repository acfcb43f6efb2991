import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readPackageIdentity } from './package-identity.js';
import { readTarball } from './test-support/conformance.js';

function tarEntry(name: string, content: string): Buffer {
  const body = Buffer.from(content);
  const header = Buffer.alloc(512);
  header.write(name, 0);
  header.write(`${body.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write('0', 156);
  return Buffer.concat([header, body, Buffer.alloc((512 - (body.length % 512)) % 512)]);
}

describe('readPackageIdentity', () => {
  it('reads the real tarball as sigstore@2.3.1', () => {
    expect(readPackageIdentity(readTarball())).toEqual({ name: 'sigstore', version: '2.3.1' });
  });

  it('finds package.json under any top folder and skips nested ones', () => {
    const tgz = gzipSync(
      Buffer.concat([
        tarEntry('pkg/node_modules/x/package.json', '{"name":"x","version":"9.9.9"}'),
        tarEntry('pkg/package.json', '{"name":"@s/p","version":"1.0.0"}'),
        Buffer.alloc(1024),
      ]),
    );
    expect(readPackageIdentity(tgz)).toEqual({ name: '@s/p', version: '1.0.0' });
  });

  it('names what is wrong with bad tarballs', () => {
    expect(() => readPackageIdentity(Buffer.from('plain text'))).toThrow('not a gzip tarball');
    expect(() => readPackageIdentity(gzipSync(Buffer.alloc(1024)))).toThrow(
      'the tarball has no package.json at its root',
    );
    expect(() => readPackageIdentity(gzipSync(tarEntry('package/package.json', '{"name":1}')))).toThrow(
      'package.json has no valid name and version',
    );
  });
});
