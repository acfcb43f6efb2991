export { Gate, scanQueue, type GateOptions } from './gate.js';
export { GateStore, type GateVersion, type DecisionRecord } from './gate-store.js';
export {
  builtinPolicy,
  defaultBuiltinPolicy,
  type GatePolicy,
  type PolicyInput,
  type PolicyOutcome,
} from './gate-policy.js';
export { ScanPipeline, type PipelineResult } from './pipeline.js';
export { scanJobHandler, integrityMismatch, type ScanJobDeps } from './scan-job.js';
export { ReevaluationScheduler } from './reevaluation-scheduler.js';
export { manifestAnalyzer } from './builtin-analyzers.js';
export { gateMigrations } from './migrations.js';
export type { GateState } from './tables.js';
