import type { Command } from 'commander';
import { registerInit } from './init.js';
import { registerServe } from './serve.js';
import type { CliContext } from '../context.js';
import { registerTokenCommands } from './token.js';
import { registerAuditCommands } from './audit.js';
import { registerGateCommands } from './gate.js';
import { registerPolicyCommands } from './policy.js';
import { registerWaiveCommands } from './waive.js';
import { registerProvenanceCommands } from './provenance.js';
import { registerVulndbCommands } from './vulndb.js';
import { registerScan } from './scan.js';
import { registerSbom } from './sbom.js';
import { registerCheck } from './check.js';

/** A subcommand module adds itself to the program. */
export type CommandRegistration = (program: Command, ctx: CliContext) => void;

/** Every subcommand; one line per module keeps merges between domains trivial. */
// prettier-ignore
export const commandRegistrations: readonly CommandRegistration[] = [
  registerInit,
  registerServe,
  registerTokenCommands,
  registerAuditCommands,
  registerGateCommands,
  registerPolicyCommands,
  registerWaiveCommands,
  registerProvenanceCommands,
  registerVulndbCommands,
  registerScan,
  registerSbom,
  registerCheck,
];
