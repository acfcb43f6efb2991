import semver from 'semver';
import type { Clock } from '../core/clock.js';
import { AirlockError } from '../errors.js';
import type { Gate } from '../gate/gate.js';
import type { BlobStore } from '../store/ports.js';
import { formatSha512, integrityMismatch, sha512Of } from '../store/integrity.js';
import { parsePackageName } from './package-name.js';
import { parsePackument, tarballFileName } from './packument.js';
import type { PackumentService } from './packument-service.js';
import type { NpmUpstream } from './upstream-client.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface PublishDeps {
  readonly gate: Gate;
  readonly blobs: BlobStore;
  readonly packuments: PackumentService;
  readonly upstream: NpmUpstream;
  readonly clock: Clock;
}

/**
 * `npm publish` to Airlock: the version is stored as private and approved by its publisher. A name the
 * public registry already has may only be published under a private scope, so nobody can shadow a
 * public package, and a private name is never looked up upstream (dependency confusion).
 */
export async function publishPrivate(
  deps: PublishDeps,
  name: string,
  body: unknown,
  publisher: string,
): Promise<string[]> {
  parsePackageName(name);
  if (!isObject(body) || body.name !== name) {
    throw new AirlockError('BAD_REQUEST', `publish body must be a packument named ${name}`);
  }
  const versions = isObject(body.versions) ? body.versions : {};
  const attachments = isObject(body._attachments) ? body._attachments : {};
  if (Object.keys(versions).length === 0 || Object.keys(attachments).length === 0) {
    throw new AirlockError(
      'BAD_REQUEST',
      'only publishing new versions is supported: the body has no versions or tarballs',
    );
  }

  const existing = await deps.gate.store.package('npm', name);
  if (existing?.source !== 'private' && !deps.packuments.isPrivateScope(name)) {
    const upstream = await deps.upstream.packument(name);
    if (upstream.status === 'ok') {
      throw new AirlockError(
        'CONFLICT',
        `${name} exists on the public registry; publish it under a private scope (registry.privateScopes) instead`,
      );
    }
  }
  const doc: Json =
    existing?.source === 'private' && existing.packument_blob
      ? (JSON.parse((await deps.blobs.get(existing.packument_blob)).toString('utf8')) as Json)
      : { _id: name, name, 'dist-tags': {}, versions: {}, time: { created: deps.clock.now().toISOString() } };
  const docVersions = doc.versions as Json;
  const time = doc.time as Json;
  const now = deps.clock.now().toISOString();
  const published: string[] = [];

  for (const [version, value] of Object.entries(versions)) {
    if (semver.valid(version) !== version || !isObject(value) || value.version !== version) {
      throw new AirlockError(
        'INVALID_VERSION',
        `publish of ${name}: ${JSON.stringify(version.slice(0, 50))} is not a valid version`,
      );
    }
    if (docVersions[version] !== undefined) {
      throw new AirlockError('CONFLICT', `${name}@${version} is already published; versions are immutable`);
    }
    // npm names the attachment after the full (scoped) name; accept the bare file name too.
    const attachment = attachments[`${name}-${version}.tgz`] ?? attachments[tarballFileName(name, version)];
    if (!isObject(attachment) || typeof attachment.data !== 'string') {
      throw new AirlockError('BAD_REQUEST', `publish of ${name}@${version} has no tarball attachment`);
    }
    const bytes = Buffer.from(attachment.data, 'base64');
    const dist = isObject(value.dist) ? value.dist : {};
    if (typeof dist.integrity === 'string') {
      const mismatch = integrityMismatch(bytes, dist.integrity);
      if (mismatch)
        throw new AirlockError('INTEGRITY_MISMATCH', `publish of ${name}@${version}: ${mismatch}`);
    }
    const blob = await deps.blobs.put(bytes);
    const integrity = formatSha512(sha512Of(blob.integrity));
    docVersions[version] = {
      ...value,
      dist: { ...dist, integrity, tarball: `airlock:${tarballFileName(name, version)}` },
    };
    time[version] = now;
    published.push(version);
    const ref = { ecosystem: 'npm' as const, name, version };
    await deps.gate.store.ensurePending(ref, { integrity, publishedAt: now });
    await deps.gate.store.setBlob(ref, blob.integrity);
  }
  const tags = isObject(doc['dist-tags']) ? doc['dist-tags'] : {};
  if (isObject(body['dist-tags'])) {
    for (const [tag, version] of Object.entries(body['dist-tags'])) {
      if (typeof version === 'string' && docVersions[version] !== undefined) tags[tag] = version;
    }
  }
  doc['dist-tags'] = tags;
  time.modified = now;
  const bytes = Buffer.from(JSON.stringify(doc));
  parsePackument(bytes, name); // what we store must read back
  const docBlob = await deps.blobs.put(bytes);
  await deps.gate.store.savePackument('npm', name, { source: 'private', blob: docBlob.integrity });
  for (const version of published) {
    await deps.gate.record(
      { ecosystem: 'npm', name, version },
      {
        decision: {
          action: 'approve',
          reasons: [{ rule: 'private-publish', message: `published to Airlock by ${publisher}` }],
          policyDigest: deps.gate.policy.digest,
          decidedBy: publisher,
          at: now,
        },
        findings: [],
        facts: { publishedAt: now },
      },
      'version.publish',
    );
  }
  return published;
}
