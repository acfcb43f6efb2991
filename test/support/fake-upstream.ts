import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeTarball } from './tarball.js';

export interface FakeVersion {
  readonly version: string;
  /** Days before now it was published. */
  readonly ageDays: number;
  readonly dependencies?: Record<string, string>;
  readonly scripts?: Record<string, string>;
  readonly files?: Record<string, string>;
  /** Serve bytes that do not match the declared integrity. */
  readonly corrupt?: boolean;
}

export interface FakePackage {
  readonly name: string;
  readonly versions: readonly FakeVersion[];
  readonly latest?: string;
}

export interface FakeUpstream {
  readonly url: string;
  readonly requests: string[];
  /** Answers every request with 503 while true (upstream outage). */
  down: boolean;
  close(): Promise<void>;
}

/** An npm registry served in-process from fixture definitions: packuments with real tarballs. */
export async function startFakeUpstream(packages: readonly FakePackage[]): Promise<FakeUpstream> {
  const tarballs = new Map<string, Buffer>();
  const packuments = new Map<string, (base: string) => string>();
  for (const pkg of packages) {
    const bare = pkg.name.startsWith('@') ? pkg.name.split('/')[1]! : pkg.name;
    const built = pkg.versions.map((v) => {
      const manifest = {
        name: pkg.name,
        version: v.version,
        description: `fixture ${pkg.name}`,
        license: 'MIT',
        main: 'index.js',
        ...(v.dependencies ? { dependencies: v.dependencies } : {}),
        ...(v.scripts ? { scripts: v.scripts } : {}),
      };
      const bytes = makeTarball({
        'package.json': JSON.stringify(manifest, null, 2),
        'index.js': `module.exports = ${JSON.stringify(`${pkg.name}@${v.version}`)};\n`,
        ...v.files,
      });
      const integrity = `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
      const shasum = createHash('sha1').update(bytes).digest('hex');
      const file = `${bare}-${v.version}.tgz`;
      tarballs.set(`/${pkg.name}/-/${file}`, v.corrupt ? Buffer.concat([bytes, Buffer.from('x')]) : bytes);
      return { v, manifest, integrity, shasum, file };
    });
    const doc = (base: string) => {
      const versions: Record<string, unknown> = {};
      const time: Record<string, string> = {};
      for (const b of built) {
        versions[b.v.version] = {
          ...b.manifest,
          _npmUser: { name: 'fixture', email: 'fixture@example.com' },
          dist: { integrity: b.integrity, shasum: b.shasum, tarball: `${base}/${pkg.name}/-/${b.file}` },
        };
        time[b.v.version] = new Date(Date.now() - b.v.ageDays * 86_400_000).toISOString();
      }
      const oldest = Math.max(...pkg.versions.map((v) => v.ageDays));
      return JSON.stringify({
        _id: pkg.name,
        name: pkg.name,
        'dist-tags': { latest: pkg.latest ?? pkg.versions.at(-1)!.version },
        versions,
        time: {
          created: new Date(Date.now() - oldest * 86_400_000).toISOString(),
          modified: new Date().toISOString(),
          ...time,
        },
      });
    };
    packuments.set(pkg.name, doc);
  }

  const requests: string[] = [];
  const rendered = new Map<string, string>();
  const state: { down: boolean } = { down: false };
  const server: Server = createServer((req, res) => {
    const url = decodeURIComponent(req.url ?? '/');
    requests.push(url);
    if (state.down) {
      res.writeHead(503).end();
      return;
    }
    const tarball = tarballs.get(url);
    if (tarball) {
      res
        .writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': tarball.length })
        .end(tarball);
      return;
    }
    const doc = packuments.get(url.slice(1));
    if (doc) {
      // Built once, so times and ETags stay put across requests.
      const body = rendered.get(url) ?? doc(base);
      rendered.set(url, body);
      const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', etag }).end(body);
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/`,
    requests,
    get down() {
      return state.down;
    },
    set down(value: boolean) {
      state.down = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
