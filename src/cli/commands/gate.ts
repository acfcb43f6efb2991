import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { ApiClient } from '../api-client.js';
import { printResult, renderTable, type CliContext } from '../context.js';
import { formatOption } from '../common-options.js';
import { AirlockError } from '../../errors.js';
import type { CommandRegistration } from './index.js';
import { parseLockfile } from '../../sbom/index.js';

interface VersionView {
  name: string;
  version: string;
  state: string;
  publishedAt?: string;
  decision?: { action: string; decidedBy: string; at: string; reasons: { rule: string; message: string }[] };
  findings: { analyzer: string; rule: string; severity: string; message: string; file?: string }[];
  facts: Record<string, unknown>;
}

interface ServerOptions {
  server?: string;
  format: 'table' | 'json';
}

/** Splits `name@version` (scoped names keep their leading `@`). */
export function splitSpec(spec: string): { name: string; version: string | undefined } {
  const at = spec.lastIndexOf('@');
  if (at <= 0) return { name: spec, version: undefined };
  return { name: spec.slice(0, at), version: spec.slice(at + 1) || undefined };
}

const encode = (name: string) => encodeURIComponent(name);

/** `airlock status|approve|reject|import`: the gate, through a running server. */
export const registerGateCommands: CommandRegistration = (program: Command, ctx: CliContext) => {
  program
    .command('status')
    .description('show what the gate knows of a package or one version: state, decision, findings')
    .argument('<spec>', 'name or name@version')
    .option('--server <url>', 'Airlock server (default $AIRLOCK_SERVER or http://127.0.0.1:8873)')
    .addOption(formatOption())
    .action(async (spec: string, options: ServerOptions) => {
      const api = ApiClient.fromContext(ctx, options.server);
      const { name, version } = splitSpec(spec);
      if (version) {
        const view = await api.call<VersionView>(
          'GET',
          `/packages/${encode(name)}/versions/${encode(version)}`,
        );
        printResult(ctx, options.format, view, versionDetail);
      } else {
        const pkg = await api.call<{ versions: VersionView[] }>('GET', `/packages/${encode(name)}`);
        printResult(ctx, options.format, pkg, (p) =>
          renderTable(
            ['VERSION', 'STATE', 'DECIDED BY', 'REASON'],
            p.versions.map((v) => [
              v.version,
              v.state,
              v.decision?.decidedBy ?? '-',
              v.decision?.reasons[0]?.message ?? '-',
            ]),
          ),
        );
      }
    });

  for (const action of ['approve', 'reject'] as const) {
    program
      .command(action)
      .description(`${action} a version (reviewer role); recorded as an audit event`)
      .argument('<spec>', 'name@version')
      .requiredOption('--reason <text>', 'why, for the audit log')
      .option('--server <url>', 'Airlock server')
      .addOption(formatOption())
      .action(async (spec: string, options: ServerOptions & { reason: string }) => {
        const { name, version } = splitSpec(spec);
        if (!version) throw new AirlockError('USAGE', `${action} needs name@version, got ${spec}`);
        const api = ApiClient.fromContext(ctx, options.server);
        const view = await api.call<VersionView>(
          'POST',
          `/packages/${encode(name)}/versions/${encode(version)}/${action}`,
          {
            reason: options.reason,
          },
        );
        printResult(
          ctx,
          options.format,
          view,
          (v) => `${v.name}@${v.version} is now ${v.state} (by ${v.decision?.decidedBy ?? '?'}).`,
        );
      });
  }

  program
    .command('import')
    .description('baseline: scan and promote exactly the versions of an existing lockfile')
    .argument('<lockfile>', 'any lockfile `airlock sbom` reads (npm, yarn, pnpm, bun)')
    .option('--server <url>', 'Airlock server')
    .option('--timeout <seconds>', 'how long to wait for the scans', '900')
    .addOption(formatOption())
    .action(async (file: string, options: ServerOptions & { timeout: string }) => {
      // Exactly the registry versions the lockfile pins; git, file and link dependencies are not Airlock's.
      const graph = parseLockfile(resolve(ctx.cwd, file));
      const components = registryVersions(graph.components);
      const api = ApiClient.fromContext(ctx, options.server);
      const queued = await api.call<{
        queued: number;
        problems: { name: string; version: string; error: string }[];
      }>('POST', '/gate/import', { components });
      for (const p of queued.problems) ctx.stderr(`airlock: ${p.name}@${p.version}: ${p.error}\n`);
      const deadline = Date.now() + Number(options.timeout) * 1000;
      let results: { name: string; version: string; state: string; reasons: { message: string }[] }[] = [];
      for (;;) {
        results = (await api.call<{ results: typeof results }>('POST', '/gate/check', { components }))
          .results;
        const done = results.filter((r) => ['approved', 'review', 'rejected'].includes(r.state)).length;
        if (ctx.isTTY) ctx.stderr(`\r${progressBar(done, results.length)} scanned ${done}/${results.length}`);
        if (done === results.length || Date.now() > deadline) break;
        await sleep(500);
      }
      if (ctx.isTTY) ctx.stderr('\n');
      const count = (state: string) => results.filter((r) => r.state === state).length;
      const summary = {
        total: results.length,
        approved: count('approved'),
        review: count('review'),
        rejected: count('rejected'),
        unfinished: results.length - count('approved') - count('review') - count('rejected'),
        notApproved: results.filter((r) => r.state !== 'approved'),
      };
      printResult(ctx, options.format, summary, (s) =>
        [
          `Imported ${s.total} versions: ${s.approved} approved, ${s.review} held for review, ${s.rejected} rejected${s.unfinished ? `, ${s.unfinished} still scanning` : ''}.`,
          ...s.notApproved.map(
            (r) => `  ${r.state.padEnd(9)} ${r.name}@${r.version}  ${r.reasons[0]?.message ?? ''}`,
          ),
        ].join('\n'),
      );
      if (summary.rejected + summary.review + summary.unfinished > 0) ctx.setExitCode(1);
    });
};

/** The npm registry versions of a graph, each once. */
export function registryVersions(
  components: readonly { ecosystem: string; name: string; version: string; source: { kind: string } }[],
): { ecosystem: 'npm'; name: string; version: string }[] {
  const seen = new Map<string, { ecosystem: 'npm'; name: string; version: string }>();
  for (const c of components) {
    if (c.ecosystem !== 'npm' || c.source.kind !== 'registry') continue;
    seen.set(`${c.name}@${c.version}`, { ecosystem: 'npm', name: c.name, version: c.version });
  }
  return [...seen.values()];
}

function progressBar(done: number, total: number): string {
  const width = 30;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

function versionDetail(v: VersionView): string {
  const lines = [
    `${v.name}@${v.version}: ${v.state}`,
    ...(v.publishedAt ? [`  published  ${v.publishedAt}`] : []),
    ...(v.decision
      ? [
          `  decision   ${v.decision.action} by ${v.decision.decidedBy} at ${v.decision.at}`,
          ...v.decision.reasons.map((r) => `    - [${r.rule}] ${r.message}`),
        ]
      : []),
  ];
  if (v.findings.length > 0) {
    lines.push('  findings');
    for (const f of v.findings)
      lines.push(
        `    ${f.severity.padEnd(8)} ${f.analyzer}/${f.rule}: ${f.message}${f.file ? ` (${f.file})` : ''}`,
      );
  }
  const facts = Object.entries(v.facts);
  if (facts.length > 0) {
    lines.push('  facts');
    for (const [k, value] of facts)
      lines.push(`    ${k}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  return lines.join('\n');
}
