// The sbom domain: lockfiles → DependencyGraph → CycloneDX / SPDX, and the `airlock check` gate.
export type {
  Component,
  ComponentHash,
  DependencyEdge,
  DependencyGraph,
  EdgeKind,
  HashAlgorithm,
  LockfileFormat,
  LockfileLocation,
  Scope,
  SourceKind,
} from './graph.js';
export { parseLockfile, findLockfile, resolveTarget, maxLockfileBytes } from './load.js';
export { lockfileNames } from './lockfiles/detect.js';
export type { LockfileInput } from './lockfiles/input.js';
export { toCycloneDx, type SbomWriteOptions } from './formats/cyclonedx.js';
export { toSpdx } from './formats/spdx.js';
export { parseSbom, parsePurl } from './formats/sbom-input.js';
export { purlOf } from './purl.js';
