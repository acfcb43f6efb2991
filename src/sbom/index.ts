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
export { relativeUri } from './load.js';
export {
  runCheck,
  type CheckDeps,
  type CheckFinding,
  type CheckReport,
  type ComponentPolicy,
  type PolicyComponent,
  type PolicyObjection,
  type GateResult,
  type GateStateSource,
} from './check/evaluate.js';
export { parseVex, findSuppression, type VexDocument, type VexStatement } from './check/vex.js';
export { ServerGateState, type ApiCaller } from './check/gate-client.js';
export { renderCheckTable } from './check/report-table.js';
export { toSarif } from './check/report-sarif.js';
export { dependencyPaths } from './check/paths.js';
