import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ScanPackageInput } from '../scan-package.js';
import { packDirectory, readTarballFile } from './local-source.js';
import { fetchFromRegistry, type RegistrySourceOptions } from './registry-source.js';

export { fetchFromRegistry, parseSpec, type RegistrySourceOptions } from './registry-source.js';
export { packDirectory, readTarballFile } from './local-source.js';

/** What `airlock scan <target>` names: a tarball file, a package directory, or `name@version` upstream. */
export async function loadScanTarget(
  target: string,
  cwd: string,
  registry: RegistrySourceOptions,
): Promise<ScanPackageInput> {
  const path = resolve(cwd, target);
  if (existsSync(path)) {
    return statSync(path).isDirectory()
      ? { tarball: packDirectory(path) }
      : { tarball: readTarballFile(path) };
  }
  return fetchFromRegistry(target, registry);
}
