import type { Command } from 'commander';
import type { CliContext } from '../context.js';

/** A subcommand module adds itself to the program. */
export type CommandRegistration = (program: Command, ctx: CliContext) => void;

/**
 * Every subcommand, by the top-level names it registers, loaded on demand: `airlock sbom` in CI should
 * not pay for loading the server, the scanners and the Sigstore libraries. One line per module keeps
 * merges between domains trivial.
 */
// prettier-ignore
export const commandModules: readonly { readonly names: readonly string[]; readonly load: () => Promise<CommandRegistration> }[] = [
  { names: ['init'], load: async () => (await import('./init.js')).registerInit },
  { names: ['serve', 'worker'], load: async () => (await import('./serve.js')).registerServe },
  { names: ['token'], load: async () => (await import('./token.js')).registerTokenCommands },
  { names: ['audit'], load: async () => (await import('./audit.js')).registerAuditCommands },
  { names: ['status', 'approve', 'reject', 'import'], load: async () => (await import('./gate.js')).registerGateCommands },
  { names: ['policy', 'explain'], load: async () => (await import('./policy.js')).registerPolicyCommands },
  { names: ['waive', 'waivers'], load: async () => (await import('./waive.js')).registerWaiveCommands },
  { names: ['provenance'], load: async () => (await import('./provenance.js')).registerProvenanceCommands },
  { names: ['vulndb'], load: async () => (await import('./vulndb.js')).registerVulndbCommands },
  { names: ['scan'], load: async () => (await import('./scan.js')).registerScan },
  { names: ['sbom'], load: async () => (await import('./sbom.js')).registerSbom },
  { names: ['check'], load: async () => (await import('./check.js')).registerCheck },
];

/** The registrations a command line needs: the named subcommand's module, or all of them (help, typos). */
export async function registrationsFor(argv: readonly string[]): Promise<CommandRegistration[]> {
  const name = argv.slice(2).find((arg) => !arg.startsWith('-'));
  const wanted = commandModules.filter((m) => name !== undefined && m.names.includes(name));
  return Promise.all((wanted.length > 0 ? wanted : commandModules).map((m) => m.load()));
}
