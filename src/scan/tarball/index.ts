export type { TarballContents, TarballFile, TarballProblem, TarballProblemKind } from './contents.js';
export { defaultTarballLimits, type TarballLimits } from './limits.js';
export { readTarball } from './read-tarball.js';
export { tarballPackageJson } from './package-json.js';
