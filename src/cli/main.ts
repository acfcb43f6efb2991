import { Command, CommanderError } from 'commander';
import { AirlockError, describeError } from '../errors.js';
import { processContext, type CliContext } from './context.js';
import { registrationsFor, type CommandRegistration } from './commands/index.js';

/** Builds the `airlock` program with every subcommand registered. */
export function buildProgram(ctx: CliContext, registrations: readonly CommandRegistration[]): Command {
  const program = new Command('airlock')
    .description('Airlock: a dependency firewall between your builds and the public registries')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: ctx.stdout, writeErr: ctx.stderr });
  for (const register of registrations) register(program, ctx);
  return program;
}

/** Runs the CLI and resolves to the process exit code; every failure becomes one readable line. */
export async function runCli(argv: readonly string[], outer: CliContext = processContext()): Promise<number> {
  let exitCode = 0;
  const ctx: CliContext = {
    ...outer,
    setExitCode: (code) => {
      exitCode = code;
    },
  };
  const program = buildProgram(ctx, await registrationsFor(argv));
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit with 0; usage mistakes were already printed by commander.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof AirlockError) {
      ctx.stderr(`airlock: ${error.message}\n`);
      return error.exitCode;
    }
    ctx.stderr(`airlock: unexpected error: ${describeError(error)}\n`);
    if (ctx.env.AIRLOCK_DEBUG) ctx.stderr(`${(error as Error).stack ?? ''}\n`);
    return 70;
  }
}
