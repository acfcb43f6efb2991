import type { Command } from 'commander';
import { AirlockError, errorCatalogue } from '../../errors.js';
import type { AuditEvent } from '../../store/ports.js';
import { printResult, renderTable, type CliContext } from '../context.js';
import { withLocalStores } from '../local-database.js';
import { configOption, formatOption, type LocalCommandOptions } from '../common-options.js';
import type { CommandRegistration } from './index.js';

/** `airlock audit verify|list`: check and read the hash-chained audit log. */
export const registerAuditCommands: CommandRegistration = (program: Command, ctx: CliContext) => {
  const audit = program.command('audit').description('check and read the audit log');

  audit
    .command('verify')
    .description('walk the hash chain; exit 1 naming the first edited or deleted event')
    .addOption(configOption())
    .addOption(formatOption())
    .action(async (options: LocalCommandOptions) => {
      const result = await withLocalStores(options.config, ctx, ({ audit: log }) => log.verify());
      if (result.intact) {
        printResult(ctx, options.format, result, (r) =>
          r.events === 0
            ? 'Audit log is empty.'
            : `Audit log intact: ${r.events} events, last hash ${r.lastHash}.`,
        );
        return;
      }
      const message = `audit log is broken at event ${result.firstBadId}: ${result.problem} (${result.events} ${result.events === 1 ? 'event' : 'events'} before it intact)`;
      if (options.format === 'json') {
        printResult(ctx, 'json', result, () => '');
        ctx.setExitCode(errorCatalogue.AUDIT_CHAIN_BROKEN.exitCode);
        return;
      }
      throw new AirlockError('AUDIT_CHAIN_BROKEN', message);
    });

  audit
    .command('list')
    .description('show recent audit events, newest first')
    .option('--actor <actor>', 'only events by this actor')
    .option('--action <action>', 'only this action, e.g. version.approve')
    .option('--subject <prefix>', 'only subjects starting with this, e.g. npm:lodash')
    .option('--limit <n>', 'how many events (at most 1000)', '50')
    .addOption(configOption())
    .addOption(formatOption())
    .action(
      async (
        options: LocalCommandOptions & { actor?: string; action?: string; subject?: string; limit: string },
      ) => {
        const limit = Number(options.limit);
        if (!Number.isInteger(limit) || limit < 1) {
          throw new AirlockError('USAGE', `--limit must be a positive whole number, not "${options.limit}"`);
        }
        const events = await withLocalStores(options.config, ctx, ({ audit: log }) =>
          log.list({ actor: options.actor, action: options.action, subjectPrefix: options.subject, limit }),
        );
        printResult(ctx, options.format, events, eventTable);
      },
    );
};

function eventTable(events: readonly AuditEvent[]): string {
  if (events.length === 0) return 'No audit events match.';
  return renderTable(
    ['ID', 'AT', 'ACTOR', 'ACTION', 'SUBJECT', 'DETAILS'],
    events.map((e) => [
      String(e.id),
      e.at,
      e.actor,
      e.action,
      e.subject,
      JSON.stringify(e.details).slice(0, 80),
    ]),
  );
}
