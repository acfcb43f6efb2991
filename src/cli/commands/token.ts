import { Option, type Command } from 'commander';
import { roles, type Role } from '../../auth/principal.js';
import type { TokenRecord } from '../../auth/tokens.js';
import { printResult, renderTable, type CliContext } from '../context.js';
import { withLocalStores } from '../local-database.js';
import { configOption, formatOption, type LocalCommandOptions } from '../common-options.js';
import type { CommandRegistration } from './index.js';

/** `airlock token create|list|revoke`: manage API tokens directly in the database. */
export const registerTokenCommands: CommandRegistration = (program: Command, ctx: CliContext) => {
  const token = program.command('token').description('create, list and revoke API tokens');

  token
    .command('create')
    .description('create a token and print it once')
    .addOption(new Option('--role <role>', 'what the token may do').choices(roles).makeOptionMandatory())
    .requiredOption('--name <name>', 'a name for the token, e.g. ci or alice')
    .addOption(configOption())
    .addOption(formatOption())
    .action(async (options: LocalCommandOptions & { role: Role; name: string }) => {
      const created = await withLocalStores(options.config, ctx, ({ tokens }) =>
        tokens.create({ name: options.name, role: options.role, createdBy: localActor(ctx) }),
      );
      printResult(ctx, options.format, created, ({ token: secret, record }) =>
        [
          `Created token "${record.name}" (id ${record.id}, role ${record.role}):`,
          '',
          `  ${secret}`,
          '',
          'Store it now: it is not shown again. Clients send it as "Authorization: Bearer <token>".',
        ].join('\n'),
      );
    });

  token
    .command('list')
    .description('list tokens (never their secrets)')
    .addOption(configOption())
    .addOption(formatOption())
    .action(async (options: LocalCommandOptions) => {
      const records = await withLocalStores(options.config, ctx, ({ tokens }) => tokens.list());
      printResult(ctx, options.format, records, tokenTable);
    });

  token
    .command('revoke')
    .description('revoke a token by id or name; requests with it fail from then on')
    .argument('<id-or-name>', 'the token id or name shown by `airlock token list`')
    .addOption(configOption())
    .addOption(formatOption())
    .action(async (idOrName: string, options: LocalCommandOptions) => {
      const record = await withLocalStores(options.config, ctx, ({ tokens }) =>
        tokens.revoke(idOrName, localActor(ctx)),
      );
      printResult(ctx, options.format, record, (r) => `Revoked token "${r.name}" (id ${r.id}).`);
    });
};

/** Who acts when someone runs the CLI on the server's machine. */
function localActor(ctx: CliContext): string {
  return `cli:${ctx.env.USER ?? ctx.env.USERNAME ?? 'local'}`;
}

function tokenTable(records: readonly TokenRecord[]): string {
  if (records.length === 0)
    return 'No tokens yet; create one with `airlock token create --role reader --name ci`.';
  return renderTable(
    ['ID', 'NAME', 'ROLE', 'PREFIX', 'CREATED', 'CREATED BY', 'LAST USED', 'REVOKED'],
    records.map((r) => [
      String(r.id),
      r.name,
      r.role,
      `${r.prefix}…`,
      r.createdAt,
      r.createdBy,
      r.lastUsedAt ?? '-',
      r.revokedAt ?? '-',
    ]),
  );
}
