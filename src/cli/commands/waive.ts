import { Option, type Command } from 'commander';
import { AirlockError } from '../../errors.js';
import { parseWaiverTarget, SqlWaiverStore, type Waiver } from '../../policy/index.js';
import { printResult, renderTable, type CliContext } from '../context.js';
import { withLocalStores } from '../local-database.js';
import { configOption, formatOption, type LocalCommandOptions } from '../common-options.js';
import type { CommandRegistration } from './index.js';

/** `airlock waive <pkg>@<range>` and `airlock waivers list|remove`, on the local database. */
export const registerWaiveCommands: CommandRegistration = (program: Command, ctx: CliContext) => {
  program
    .command('waive')
    .description('let a version range through one rule until a date (audited)')
    .argument('<pkg@range>', 'e.g. lodash@^4.17.0, @acme/ui@1.2.3, or a name alone for every version')
    .requiredOption('--rule <rule>', 'the rule to waive, e.g. vulnerability or install-scripts')
    .requiredOption('--until <date>', 'last day the waiver applies (UTC), e.g. 2027-01-31')
    .requiredOption('--reason <text>', 'why; recorded in the audit log')
    .addOption(
      new Option('--ecosystem <ecosystem>', 'package ecosystem').choices(['npm', 'pypi']).default('npm'),
    )
    .addOption(configOption())
    .addOption(formatOption())
    .action(
      async (
        spec: string,
        options: LocalCommandOptions & {
          rule: string;
          until: string;
          reason: string;
          ecosystem: 'npm' | 'pypi';
        },
      ) => {
        const target = parseWaiverTarget(spec);
        const waiver = await withLocalStores(options.config, ctx, ({ database, audit }) =>
          new SqlWaiverStore(database, audit).add(
            {
              ...target,
              ecosystem: options.ecosystem,
              rule: options.rule,
              until: options.until,
              reason: options.reason,
            },
            localActor(ctx),
          ),
        );
        printResult(
          ctx,
          options.format,
          waiver,
          (w) => `Waiver ${w.id}: ${w.name}@${w.range} passes rule ${w.rule} until ${w.until}.`,
        );
      },
    );

  const waivers = program.command('waivers').description('list and remove waivers');
  waivers
    .command('list')
    .description('waivers in force (with --all, expired ones too)')
    .option('--all', 'include expired waivers')
    .option('--package <name>', 'only waivers for this package')
    .addOption(configOption())
    .addOption(formatOption())
    .action(async (options: LocalCommandOptions & { all?: boolean; package?: string }) => {
      const list = await withLocalStores(options.config, ctx, ({ database, audit }) =>
        new SqlWaiverStore(database, audit).list({
          includeExpired: options.all === true,
          ...(options.package ? { name: options.package } : {}),
        }),
      );
      printResult(ctx, options.format, list, waiverTable);
    });
  waivers
    .command('remove')
    .description('end a waiver now (audited)')
    .argument('<id>', 'the waiver id shown by `airlock waivers list`')
    .option('--reason <text>', 'why; recorded in the audit log')
    .addOption(configOption())
    .addOption(formatOption())
    .action(async (id: string, options: LocalCommandOptions & { reason?: string }) => {
      if (!/^\d{1,15}$/.test(id))
        throw new AirlockError('USAGE', `waiver id must be a number, not "${id.slice(0, 40)}"`);
      const removed = await withLocalStores(options.config, ctx, ({ database, audit }) =>
        new SqlWaiverStore(database, audit).remove(Number(id), localActor(ctx), options.reason),
      );
      printResult(
        ctx,
        options.format,
        removed,
        (w) => `Removed waiver ${w.id} (${w.name}@${w.range}, ${w.rule}).`,
      );
    });
};

function localActor(ctx: CliContext): string {
  return `cli:${ctx.env.USER ?? ctx.env.USERNAME ?? 'local'}`;
}

function waiverTable(list: readonly Waiver[]): string {
  if (list.length === 0) return 'No waivers in force.';
  return renderTable(
    ['ID', 'PACKAGE', 'RULE', 'UNTIL', 'BY', 'REASON'],
    list.map((w) => [
      String(w.id),
      `${w.name}@${w.range}`,
      w.rule,
      w.until,
      w.createdBy,
      w.reason.slice(0, 60),
    ]),
  );
}
