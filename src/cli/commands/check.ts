import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { severities, type Severity } from '../../core/finding.js';
import type { VulnerabilityMatcher } from '../../core/vulnerability-matcher.js';
import { AirlockError, isAirlockError } from '../../errors.js';
import {
  parseLockfile,
  parseVex,
  relativeUri,
  renderCheckTable,
  resolveTarget,
  runCheck,
  ServerGateState,
  toSarif,
  type ComponentPolicy,
  type VexDocument,
} from '../../sbom/index.js';
import { configOption } from '../common-options.js';
import type { CliContext } from '../context.js';
import type { CommandRegistration } from './index.js';
import { withLocalStores } from '../local-database.js';
// Straight from their files, not the vulndb barrel: its importers and sync client would load for nothing.
import { AdvisoryStore } from '../../vulndb/advisory-store.js';
import { PackageScopedVulnerabilityMatcher } from '../../vulndb/matcher.js';

/** What `airlock check` judges with, besides the lockfile: advisories, the policy and its waivers. */
export interface CheckSources {
  readonly matcher: VulnerabilityMatcher;
  /** The policy of the config (or `--policy`); absent with `--no-policy`. */
  readonly policy?: ComponentPolicy;
  /** Become warnings in the report. */
  readonly notes: readonly string[];
}

export interface CheckSourceOptions {
  readonly configFile: string | undefined;
  /** A policy file to use instead of the config's policy; `false` for none. */
  readonly policy: string | false | undefined;
}

/** Gives `airlock check` its sources for the duration of `fn`, opening and closing whatever backs them. */
export type CheckSourceProvider = <T>(
  ctx: CliContext,
  options: CheckSourceOptions,
  fn: (sources: CheckSources) => Promise<T>,
) => Promise<T>;

/**
 * The local database (the one `airlock vulndb import|sync` fills, and the waivers of a server using the same
 * database) and the config's policy. An empty advisory database is said in the report, so an unfilled database
 * never reads as "no vulnerabilities".
 */
export const localCheckSources: CheckSourceProvider = async (ctx, options, fn) =>
  withLocalStores(options.configFile, ctx, async ({ config, database, audit }) => {
    const advisories = new AdvisoryStore(database);
    const notes = (await advisories.isEmpty())
      ? [
          'the local vulnerability database is empty (run `airlock vulndb sync` or `vulndb import`): known vulnerabilities were NOT checked',
        ]
      : [];
    let policy: ComponentPolicy | undefined;
    if (options.policy !== false) {
      const { OfflinePolicy, SqlWaiverStore, loadPolicyFile, resolvePolicy } =
        await import('../../policy/offline-check.js');
      const compiled =
        options.policy !== undefined
          ? loadPolicyFile(resolve(ctx.cwd, options.policy))
          : resolvePolicy(config.policy, { configFile: options.configFile, cwd: ctx.cwd });
      const waivers = await new SqlWaiverStore(database, audit).list();
      policy = new OfflinePolicy(compiled, waivers, new Date());
    }
    return fn({
      matcher: new PackageScopedVulnerabilityMatcher(advisories),
      ...(policy ? { policy } : {}),
      notes,
    });
  });

interface CheckOptions {
  failOn: Severity;
  format: 'table' | 'json' | 'sarif';
  vex?: string[];
  server?: string;
  config?: string;
  policy?: string | false;
  output?: string;
}

/** Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or input error. */
export function checkCommand(provider: CheckSourceProvider = localCheckSources): CommandRegistration {
  return (program: Command, ctx: CliContext) => {
    program
      .command('check')
      .description(
        'CI gate: vulnerabilities, the policy, server gate state and VEX for every component of a lockfile or SBOM',
      )
      .argument('<target>', 'project directory, lockfile, or CycloneDX/SPDX JSON SBOM')
      .addOption(
        new Option('--fail-on <severity>', 'fail at this severity or worse')
          .choices(severities)
          .default('high'),
      )
      .addOption(
        new Option('--format <format>', 'output format').choices(['table', 'json', 'sarif']).default('table'),
      )
      .option(
        '--vex <file...>',
        'OpenVEX or CycloneDX VEX documents; not_affected + justification suppresses',
      )
      .option('--policy <file>', "judge with this policy file instead of the config's policy")
      .option('--no-policy', 'report vulnerabilities (and gate state) only')
      .option('--server <url>', 'also ask this Airlock server which versions it would serve (AIRLOCK_TOKEN)')
      .option('-o, --output <file>', 'write the report to this file instead of stdout')
      .addOption(configOption())
      .action(async (target: string, options: CheckOptions) => {
        try {
          await check(target, options, ctx, provider);
        } catch (error) {
          // Whatever went wrong, CI must tell "could not check" (2) from "found problems" (1).
          if (!isAirlockError(error)) throw error;
          ctx.stderr(`airlock: ${error.message}\n`);
          ctx.setExitCode(2);
        }
      });
  };
}

async function check(
  target: string,
  options: CheckOptions,
  ctx: CliContext,
  provider: CheckSourceProvider,
): Promise<void> {
  const path = resolveTarget(target, ctx.cwd);
  const graph = parseLockfile(path, { displayName: path });
  const vex: VexDocument[] = (options.vex ?? []).map((file) => {
    const full = resolve(ctx.cwd, file);
    let text: string;
    try {
      text = readFileSync(full, 'utf8');
    } catch (cause) {
      throw new AirlockError('USAGE', `cannot read VEX file ${file}: ${(cause as Error).message}`, { cause });
    }
    return parseVex(file, text);
  });
  // The HTTP client is loaded only when a server is asked: it is most of the command's start-up time.
  const gate = options.server
    ? new ServerGateState((await import('../api-client.js')).ApiClient.fromContext(ctx, options.server))
    : undefined;
  const { report, notes } = await provider(
    ctx,
    { configFile: options.config, policy: options.policy },
    async ({ matcher, policy, notes }) => ({
      report: await runCheck(graph, {
        matcher,
        threshold: options.failOn,
        vex,
        ...(gate ? { gate } : {}),
        ...(policy ? { policy } : {}),
      }),
      notes,
    }),
  );
  const uriOf = (file: string) => relativeUri(file, ctx.cwd);
  // Paths relative to where CI runs, as GitHub code scanning expects them.
  const full = {
    ...report,
    target: uriOf(report.target),
    warnings: [...notes, ...report.warnings],
    findings: report.findings.map((f) =>
      f.location ? { ...f, location: { ...f.location, file: uriOf(f.location.file) } } : f,
    ),
  };
  let text: string;
  if (options.format === 'json') text = JSON.stringify(full, null, 2);
  else if (options.format === 'sarif') text = JSON.stringify(toSarif(full, { uriOf: (f) => f }), null, 2);
  else text = renderCheckTable(full, { colour: ctx.isTTY && !options.output && !ctx.env.NO_COLOR });
  if (options.format !== 'table') for (const w of full.warnings) ctx.stderr(`airlock: warning: ${w}\n`);
  if (options.output) {
    try {
      writeFileSync(resolve(ctx.cwd, options.output), `${text}\n`);
    } catch (cause) {
      throw new AirlockError('USAGE', `cannot write ${options.output}: ${(cause as Error).message}`, {
        cause,
      });
    }
  } else ctx.stdout(`${text}\n`);
  ctx.setExitCode(full.failed ? 1 : 0);
}

/** `airlock check` wired to the local database and the config's policy. */
export const registerCheck: CommandRegistration = checkCommand();
