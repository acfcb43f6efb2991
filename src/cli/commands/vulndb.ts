import { Option, type Command } from 'commander';
import { renderTable, printResult, type CliContext } from '../context.js';
import { withLocalStores } from '../local-database.js';
import { configOption, formatOption, type LocalCommandOptions } from '../common-options.js';
import type { CommandRegistration } from './index.js';
import {
  AdvisoryStore,
  SourceStateStore,
  importPath,
  parsePackageSpec,
  queryPackage,
  syncSources,
  type ImportSummary,
  type QueryResult,
  type SourceOutcome,
} from '../../vulndb/index.js';
import { resolve } from 'node:path';
import type { Ecosystem } from '../../core/package-ref.js';

/** `airlock vulndb import|sync|status|query`: the advisory database, worked on directly like `token`. */
export const registerVulndbCommands: CommandRegistration = (program: Command, ctx: CliContext) => {
  const vulndb = program.command('vulndb').description('import, sync and query the vulnerability database');

  vulndb
    .command('import')
    .description(
      'load OSV records from an all.zip, a directory of OSV JSON (GHSA layout) or YAML (PyPA layout)',
    )
    .argument('<path>', 'zip archive, directory or single .json/.yaml file')
    .addOption(configOption())
    .addOption(formatOption())
    .action(async (path: string, options: LocalCommandOptions) => {
      const summary = await withLocalStores(options.config, ctx, ({ database }) =>
        importPath(new AdvisoryStore(database), resolve(ctx.cwd, path), {
          source: 'import',
          onProgress: progress(ctx),
        }),
      );
      if (ctx.isTTY) ctx.stderr('\n');
      printResult(ctx, options.format, summary, importTable);
    });

  vulndb
    .command('sync')
    .description(
      'fetch the configured sources (vulndb.sources) with conditional requests and import what changed',
    )
    .addOption(configOption())
    .addOption(formatOption())
    .action(async (options: LocalCommandOptions) => {
      const outcomes = await withLocalStores(options.config, ctx, ({ database, config, audit }) =>
        syncSources({
          store: new AdvisoryStore(database),
          sources: new SourceStateStore(database),
          config: config.vulndb,
          audit,
          onProgress: (_source, read) => progress(ctx)(read),
        }),
      );
      if (ctx.isTTY) ctx.stderr('\n');
      printResult(ctx, options.format, outcomes, syncTable);
      if (outcomes.some((o) => o.status === 'failed')) ctx.setExitCode(1);
    });

  vulndb
    .command('status')
    .description('sources, advisories per ecosystem and the last sync')
    .addOption(configOption())
    .addOption(formatOption())
    .action(async (options: LocalCommandOptions) => {
      const status = await withLocalStores(options.config, ctx, async ({ database }) => ({
        ...(await new AdvisoryStore(database).counts()),
        sources: await new SourceStateStore(database).list(),
      }));
      printResult(ctx, options.format, status, (s) =>
        [
          renderTable(
            ['ECOSYSTEM', 'ADVISORIES'],
            s.perEcosystem.map((e) => [e.ecosystem, String(e.advisories)]),
          ),
          `${s.total} records stored, ${s.withdrawn} withdrawn`,
          '',
          s.sources.length === 0
            ? 'No sync yet; run `airlock vulndb sync` or `airlock vulndb import <path>`.'
            : renderTable(
                ['SOURCE', 'STATUS', 'LAST CHECK', 'LAST IMPORT', 'URL', 'ERROR'],
                s.sources.map((src) => [
                  src.name,
                  src.status,
                  src.checkedAt ?? '-',
                  src.syncedAt ?? '-',
                  src.url,
                  src.error ?? '',
                ]),
              ),
        ].join('\n'),
      );
    });

  vulndb
    .command('query')
    .description(
      'advisories affecting a package version (or naming a package), e.g. lodash@4.17.15 or pypi:jinja2@2.10',
    )
    .argument('<package>', 'name[@version], optionally prefixed npm: or pypi:')
    .addOption(
      new Option('--ecosystem <ecosystem>', 'ecosystem of an unprefixed name')
        .choices(['npm', 'pypi'])
        .default('npm'),
    )
    .addOption(configOption())
    .addOption(formatOption())
    .action(async (text: string, options: LocalCommandOptions & { ecosystem: Ecosystem }) => {
      const spec = parsePackageSpec(text, options.ecosystem);
      const result = await withLocalStores(options.config, ctx, ({ database }) =>
        queryPackage(new AdvisoryStore(database), spec),
      );
      printResult(ctx, options.format, result, queryTable);
    });
};

function progress(ctx: CliContext): (read: number) => void {
  return (read) => {
    if (ctx.isTTY) ctx.stderr(`\rreading OSV records… ${read}`);
  };
}

function importTable(summary: ImportSummary): string {
  const rows = Object.entries(summary.ecosystems).map(([eco, t]) => [
    eco,
    String(t.added),
    String(t.updated),
    String(t.withdrawn),
    String(t.unchanged),
  ]);
  const lines = [
    `Read ${summary.read} records.`,
    renderTable(['ECOSYSTEM', 'ADDED', 'UPDATED', 'WITHDRAWN', 'UNCHANGED'], rows),
  ];
  if (summary.ignored > 0) lines.push(`Ignored ${summary.ignored} records of other ecosystems.`);
  if (summary.skipped > 0) {
    lines.push('', `Skipped ${summary.skipped}:`);
    for (const p of summary.problems) lines.push(`  ${p.origin}${p.id ? ` (${p.id})` : ''}: ${p.reason}`);
    if (summary.skipped > summary.problems.length)
      lines.push(`  … and ${summary.skipped - summary.problems.length} more`);
  }
  return lines.join('\n');
}

function syncTable(outcomes: readonly SourceOutcome[]): string {
  return renderTable(
    ['SOURCE', 'STATUS', 'DETAIL'],
    outcomes.map((o) => [
      o.source,
      o.status,
      o.status === 'imported'
        ? Object.entries(o.summary.ecosystems)
            .map(([eco, t]) => `${eco}: +${t.added} ~${t.updated} -${t.withdrawn}`)
            .join('; ') + (o.summary.skipped > 0 ? `; ${o.summary.skipped} skipped` : '')
        : o.status === 'failed'
          ? o.error
          : 'unchanged upstream',
    ]),
  );
}

function queryTable(result: QueryResult): string {
  const label = `${result.spec.ecosystem}:${result.spec.name}${result.spec.version ? `@${result.spec.version}` : ''}`;
  if (result.kind === 'version') {
    if (result.findings.length === 0) return `No known advisories affect ${label}.`;
    return renderTable(
      ['ADVISORY', 'SEVERITY', 'KIND', 'ALIASES', 'FIXED IN', 'SUMMARY'],
      result.findings.map((f) => [
        f.advisory?.id ?? '',
        f.severity + (f.advisory?.cvssScore !== undefined ? ` (${f.advisory.cvssScore})` : ''),
        f.analyzer,
        (f.advisory?.aliases ?? []).join(', '),
        (f.advisory?.fixedIn ?? []).join(', ') || '-',
        f.message
          .slice(f.message.indexOf(f.advisory?.id ?? '') + (f.advisory?.id.length ?? 0) + 1)
          .split(';')[0] ?? '',
      ]),
    );
  }
  if (result.advisories.length === 0) return `No advisories name ${label}.`;
  return renderTable(
    ['ADVISORY', 'SEVERITY', 'ALIASES', 'SUMMARY'],
    result.advisories.map((a) => [a.id, a.severity, a.aliases.join(', '), a.summary]),
  );
}
