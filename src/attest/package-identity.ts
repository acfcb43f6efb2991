import { gunzipSync } from 'node:zlib';
import { z } from 'zod';

const maxUnpackedBytes = 512 * 1024 * 1024;
const maxManifestBytes = 1024 * 1024;

const manifestSchema = z.object({ name: z.string().min(1).max(214), version: z.string().min(1).max(256) });

/**
 * Reads `name` and `version` from the `package.json` at the root of an npm tarball, in memory. Throws an Error
 * naming the problem for anything that is not a readable npm package tarball.
 */
export function readPackageIdentity(tgz: Uint8Array): { name: string; version: string } {
  let tar: Buffer;
  try {
    tar = gunzipSync(tgz, { maxOutputLength: maxUnpackedBytes });
  } catch (cause) {
    throw new Error('not a gzip tarball (or over 512 MiB unpacked)', { cause });
  }
  let offset = 0;
  let paxPath: string | undefined;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const size = Number.parseInt(field(header, 124, 12).trim() || '0', 8);
    if (!Number.isFinite(size) || size < 0) throw new Error(`corrupt tar header at byte ${offset}`);
    const type = String.fromCharCode(header[156] ?? 0);
    const bodyStart = offset + 512;
    const body = tar.subarray(bodyStart, bodyStart + size);
    if (body.length < size) throw new Error('truncated tarball');
    if (type === 'x') {
      paxPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1];
    } else {
      const prefix = field(header, 345, 155);
      const name = paxPath ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
      paxPath = undefined;
      // npm packs everything under one top-level folder (usually `package/`).
      if ((type === '0' || type === '\0') && /^[^/]+\/package\.json$/.test(name)) {
        if (size > maxManifestBytes) throw new Error('package.json is over 1 MiB');
        let json: unknown;
        try {
          json = JSON.parse(body.toString('utf8'));
        } catch {
          throw new Error('package.json is not JSON');
        }
        const manifest = manifestSchema.safeParse(json);
        if (!manifest.success) throw new Error('package.json has no valid name and version');
        return manifest.data;
      }
    }
    offset = bodyStart + Math.ceil(size / 512) * 512;
  }
  throw new Error('the tarball has no package.json at its root');
}

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? raw.length : end).toString('utf8');
}
