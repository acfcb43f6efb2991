import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { makeTarball } from '../tarball/write-tar.js';

export { makeTar, makeTarball, type TarEntrySpec } from '../tarball/write-tar.js';

/** Builds a tarball from a fixture directory (e.g. `test/fixtures/scan/malicious/event-stream`). */
export function tarballFromDirectory(dir: string): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  const walk = (current: string): void => {
    for (const name of readdirSync(current).sort()) {
      const full = join(current, name);
      if (statSync(full).isDirectory()) walk(full);
      else files[relative(dir, full).split('\\').join('/')] = readFileSync(full);
    }
  };
  walk(dir);
  return makeTarball(files);
}
