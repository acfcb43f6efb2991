import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { AirlockError } from '../../errors.js';
import { asRecord, asString, type Json } from '../manifest-fields.js';
import type { ScanPackageInput } from '../scan-package.js';

export interface RegistrySourceOptions {
  readonly registryUrl: string;
  readonly timeoutMs?: number;
  readonly maxPackumentBytes?: number;
  readonly maxTarballBytes?: number;
  /** Keep packuments and tarballs here and reuse them (benchmarks). */
  readonly cacheDir?: string;
}

const NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

/** `lodash@4.17.21`, `@scope/x@1.0.0` or a bare name (latest). */
export function parseSpec(spec: string): { name: string; version?: string } | undefined {
  const at = spec.lastIndexOf('@');
  const [name, version] = at > 0 ? [spec.slice(0, at), spec.slice(at + 1)] : [spec, undefined];
  if (!NAME.test(name) || name.length > 214) return undefined;
  return version ? { name, version } : { name };
}

async function fetchBytes(
  url: string,
  limit: number,
  timeoutMs: number,
  accept: string,
): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (cause) {
    throw new AirlockError('UPSTREAM_UNAVAILABLE', `could not reach ${url}: ${(cause as Error).message}`, {
      cause,
    });
  }
  if (response.status === 404) throw new AirlockError('NOT_FOUND', `${url} does not exist upstream`);
  if (!response.ok || !response.body)
    throw new AirlockError('UPSTREAM_UNAVAILABLE', `${url} answered HTTP ${response.status}`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > limit) throw new AirlockError('PAYLOAD_TOO_LARGE', `${url} is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function cached(dir: string | undefined, key: string, load: () => Promise<Uint8Array>): Promise<Uint8Array> {
  if (dir === undefined) return load();
  const file = join(dir, key.replace(/[^a-zA-Z0-9._-]/g, '_'));
  if (existsSync(file)) return Promise.resolve(readFileSync(file));
  return load().then((bytes) => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, bytes);
    return bytes;
  });
}

function checkIntegrity(bytes: Uint8Array, integrity: string | undefined, what: string): void {
  const expected = integrity?.split(/\s+/).find((i) => i.startsWith('sha512-'));
  if (expected === undefined) return;
  const actual = `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
  if (actual !== expected)
    throw new AirlockError(
      'INTEGRITY_MISMATCH',
      `${what}: tarball is ${actual}, the packument says ${expected}`,
    );
}

/** Fetches a version (packument, tarball, previous version lazily) from the upstream registry. */
export async function fetchFromRegistry(
  spec: string,
  options: RegistrySourceOptions,
): Promise<ScanPackageInput> {
  const parsed = parseSpec(spec);
  if (!parsed)
    throw new AirlockError(
      'INVALID_PACKAGE_NAME',
      `"${spec}" is not a package name, name@version, file or directory`,
    );
  const timeout = options.timeoutMs ?? 30_000;
  const base = options.registryUrl.endsWith('/') ? options.registryUrl : `${options.registryUrl}/`;
  const packumentBytes = await cached(options.cacheDir, `${parsed.name}.json`, () =>
    fetchBytes(
      `${base}${parsed.name.replace('/', '%2f')}`,
      options.maxPackumentBytes ?? 100 * 1024 * 1024,
      timeout,
      'application/json',
    ),
  );
  let packument: Json | undefined;
  try {
    packument = asRecord(JSON.parse(new TextDecoder().decode(packumentBytes)));
  } catch (cause) {
    throw new AirlockError('UPSTREAM_INVALID', `the packument of ${parsed.name} is not JSON`, { cause });
  }
  const versions = asRecord(packument?.versions);
  if (!packument || !versions)
    throw new AirlockError('UPSTREAM_INVALID', `the packument of ${parsed.name} has no versions`);
  const version = parsed.version ?? asString(asRecord(packument['dist-tags'])?.latest);
  const manifest = version !== undefined ? asRecord(versions[version]) : undefined;
  if (version === undefined || !manifest)
    throw new AirlockError('NOT_FOUND', `${parsed.name}@${version ?? 'latest'} is not in the packument`);
  const load = (v: string, m: Json) => {
    const dist = asRecord(m.dist);
    const url = asString(dist?.tarball);
    if (url === undefined)
      throw new AirlockError('UPSTREAM_INVALID', `${parsed.name}@${v} has no tarball URL`);
    return cached(options.cacheDir, `${parsed.name}-${v}.tgz`, () =>
      fetchBytes(url, options.maxTarballBytes ?? 200 * 1024 * 1024, timeout, '*/*'),
    ).then((bytes) => {
      checkIntegrity(bytes, asString(dist?.integrity), `${parsed.name}@${v}`);
      return bytes;
    });
  };
  const tarball = await load(version, manifest);
  const earlier = Object.keys(versions)
    .filter((v) => semver.valid(v) && semver.valid(version) && semver.lt(v, version) && !semver.prerelease(v))
    .sort(semver.rcompare)[0];
  const previousManifest = earlier !== undefined ? asRecord(versions[earlier]) : undefined;
  return {
    tarball,
    manifest,
    packument,
    ...(earlier !== undefined && previousManifest
      ? {
          previous: {
            version: earlier,
            manifest: previousManifest,
            tarball: () => load(earlier, previousManifest),
          },
        }
      : {}),
  };
}
