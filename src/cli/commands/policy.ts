import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { AirlockError } from '../../errors.js';
import { systemClock, type Clock } from '../../core/clock.js';
import type { PackageVersionRef } from '../../core/package-ref.js';
import { refKey } from '../../core/package-ref.js';
import {
  compilePolicy,
  diffPolicy,
  diffSummary,
  evaluate,
  factsSchema,
  findingsSchema,
  inMemoryVersionSource,
  loadPolicyFile,
  loadPolicyFromConfigFile,
  SqlWaiverStore,
  storedVersionsFromJson,
  type CompiledPolicy,
  type PolicyDecision,
  type PolicyDiff,
  type StoredVersion,
  type StoredVersionSource,
} from '../../policy/index.js';
import { printResult, renderTable, type CliContext } from '../context.js';
import { withLocalStores, type LocalStores } from '../local-database.js';
import { configOption, formatOption, type LocalCommandOptions } from '../common-options.js';
import type { CommandRegistration } from './index.js';
import { GateStore } from '../../gate/gate-store.js';
import { gateStoredVersions } from '../../gate/stored-versions.js';

/** What the policy commands need from other domains; the gate's storage provides `storedVersions`. */
export interface PolicyCommandDeps {
  readonly storedVersions?: (stores: LocalStores) => StoredVersionSource;
  /** The time decisions are made at (tests move it). */
  readonly clock?: Clock;
}

const maxInputBytes = 256 * 1024 * 1024;

/** `airlock policy check|test|diff`. */
export function policyCommands(deps: PolicyCommandDeps = {}): CommandRegistration {
  const clock = deps.clock ?? systemClock;
  return (program: Command, ctx: CliContext) => {
    const policy = program.command('policy').description('validate, try out and preview the policy');

    policy
      .command('check')
      .description('validate the policy of airlock.yaml (or the policy.yaml it references, or --file)')
      .addOption(configOption())
      .option('--file <policy.yaml>', 'check this policy file instead')
      .addOption(formatOption())
      .action((options: LocalCommandOptions & { file?: string }) => {
        // Checking nothing helps nobody: without --config, check ./airlock.yaml when there is one.
        const local = resolve(ctx.cwd, 'airlock.yaml');
        const config = options.config ?? (existsSync(local) ? local : undefined);
        const compiled = options.file
          ? loadPolicyFile(resolve(ctx.cwd, options.file))
          : currentPolicy(ctx, config);
        const summary = {
          source: compiled.source,
          digest: compiled.digest,
          mode: compiled.rules.mode,
          overrides: compiled.rules.overrides.length,
        };
        printResult(
          ctx,
          options.format,
          summary,
          (s) => `Policy OK: ${s.source} (mode ${s.mode}, ${s.overrides} overrides, digest ${s.digest}).`,
        );
      });

    policy
      .command('test')
      .description('show the decision for a version and every rule that fired, changing nothing')
      .argument('<pkg@version>', 'e.g. lodash@4.17.21 or @acme/ui@1.0.0')
      .option('--facts <file.json>', 'version facts to decide on (default: what Airlock stored)')
      .option('--findings <file.json>', 'findings to decide on (default: what Airlock stored)')
      .addOption(
        new Option('--origin <origin>', 'where the version came from').choices(['upstream', 'private']),
      )
      .addOption(configOption())
      .addOption(formatOption())
      .action(
        async (
          spec: string,
          options: LocalCommandOptions & {
            facts?: string;
            findings?: string;
            origin?: 'upstream' | 'private';
          },
        ) => {
          const ref = parseRef(spec);
          const compiled = currentPolicy(ctx, options.config);
          const decision = await withLocalStores(options.config, ctx, async (stores) => {
            const stored = deps.storedVersions ? await deps.storedVersions(stores).get(ref) : undefined;
            const facts = options.facts
              ? factsSchema.parse(readJson(ctx, options.facts))
              : (stored?.facts ?? {});
            const findings = options.findings
              ? findingsSchema.parse(readJson(ctx, options.findings))
              : (stored?.findings ?? []);
            if (!stored && !options.facts && !options.findings) {
              throw new AirlockError(
                'NOT_FOUND',
                `${spec} is not stored here; pass --facts and --findings files to decide on them`,
              );
            }
            const waivers = await new SqlWaiverStore(stores.database, stores.audit, clock).activeFor(ref);
            return evaluate({
              ref,
              facts,
              findings,
              policy: compiled,
              waivers,
              now: clock.now(),
              ...((options.origin ?? stored?.origin) ? { origin: options.origin ?? stored?.origin } : {}),
            });
          });
          printResult(ctx, options.format, decision, (d) => decisionTable(ref, d));
        },
      );

    policy
      .command('diff')
      .description('preview what a new policy does to stored versions (nothing changes without --apply)')
      .argument('<new-policy.yaml>', 'the policy file to compare with the running one')
      .option('--revoke', 'revoke approved versions the new policy blocks (never done silently)')
      .option('--apply', 'persist the changes and record one policy.apply audit event')
      .option('--inputs <versions.json>', 'stored versions as JSON instead of the gate’s store')
      .addOption(configOption())
      .addOption(formatOption())
      .action(
        async (
          file: string,
          options: LocalCommandOptions & { revoke?: boolean; apply?: boolean; inputs?: string },
        ) => {
          const previous = currentPolicy(ctx, options.config);
          const next = loadPolicyFile(resolve(ctx.cwd, file));
          const diff = await withLocalStores(options.config, ctx, async (stores) => {
            const source = options.inputs
              ? inMemoryVersionSource(storedVersionsFromJson(readText(ctx, options.inputs), options.inputs))
              : deps.storedVersions?.(stores);
            if (!source) {
              throw new AirlockError(
                'USAGE',
                'this build has no gate store to read versions from; pass --inputs versions.json',
              );
            }
            const versions: StoredVersion[] = [];
            for await (const v of source.list()) versions.push(v);
            const waivers = await new SqlWaiverStore(stores.database, stores.audit, clock).list();
            const result = diffPolicy({
              versions,
              policy: next,
              previous,
              waivers,
              now: clock.now(),
              revoke: options.revoke === true,
            });
            if (options.apply) {
              if (!source.apply)
                throw new AirlockError('USAGE', '--apply needs the gate’s store, not --inputs');
              const actor = `cli:${ctx.env.USER ?? ctx.env.USERNAME ?? 'local'}`;
              await source.apply(result.changes, actor);
              await stores.audit.append({
                actor,
                action: 'policy.apply',
                subject: `policy:${next.digest}`,
                details: diffSummary(result),
              });
            }
            return result;
          });
          printResult(ctx, options.format, diff, (d) => diffTable(d, options.apply === true));
        },
      );

    program
      .command('explain')
      .description(
        'show the stored decision of a version, the policy digest it was made under, and its findings',
      )
      .argument('<pkg@version>', 'e.g. lodash@4.17.21')
      .addOption(configOption())
      .addOption(formatOption())
      .action(async (spec: string, options: LocalCommandOptions) => {
        const ref = parseRef(spec);
        const running = currentPolicy(ctx, options.config);
        const stored = await withLocalStores(options.config, ctx, async (stores) => {
          if (!deps.storedVersions) {
            throw new AirlockError('USAGE', 'this build has no gate store to read decisions from');
          }
          return deps.storedVersions(stores).get(ref);
        });
        if (!stored) throw new AirlockError('NOT_FOUND', `Airlock has not stored ${spec}`);
        const explanation = { ...stored, currentPolicyDigest: running.digest };
        printResult(ctx, options.format, explanation, (e) => explainText(e, running.digest));
      });
  };
}

/** Registered in commands/index.ts; the composition of the CLI passes the gate's store here. */
export const registerPolicyCommands: CommandRegistration = policyCommands({
  storedVersions: (stores) => gateStoredVersions(new GateStore(stores.database, systemClock), stores.audit),
});

/** The running policy: from airlock.yaml (inline or its policy.file), else the default policy. */
function currentPolicy(ctx: CliContext, config: string | undefined): CompiledPolicy {
  return config === undefined ? compilePolicy() : loadPolicyFromConfigFile(resolve(ctx.cwd, config));
}

/** `lodash@4.17.21`, `@acme/ui@1.0.0` → an npm ref. */
export function parseRef(spec: string): PackageVersionRef {
  const at = spec.lastIndexOf('@');
  if (at <= 0 || at === spec.length - 1) {
    throw new AirlockError('USAGE', `"${spec.slice(0, 80)}" is not <package>@<version>, e.g. lodash@4.17.21`);
  }
  return { ecosystem: 'npm', name: spec.slice(0, at), version: spec.slice(at + 1) };
}

function readText(ctx: CliContext, file: string): string {
  const path = resolve(ctx.cwd, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new AirlockError(
      'BAD_REQUEST',
      `cannot read ${path}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`,
      {
        cause,
      },
    );
  }
  if (text.length > maxInputBytes) throw new AirlockError('PAYLOAD_TOO_LARGE', `${path} is too large`);
  return text;
}

function readJson(ctx: CliContext, file: string): unknown {
  try {
    return JSON.parse(readText(ctx, file)) as unknown;
  } catch (cause) {
    if (cause instanceof AirlockError) throw cause;
    throw new AirlockError('BAD_REQUEST', `${file}: not JSON: ${(cause as Error).message}`, { cause });
  }
}

function decisionTable(ref: PackageVersionRef, d: PolicyDecision): string {
  const head = `${ref.name}@${ref.version}: ${d.action}${d.enforced ? '' : ' (monitor mode: not enforced)'} under ${d.policyDigest}`;
  const lines = [head, ...d.reasons.map((r) => `  ${r.rule}: ${r.message}`)];
  if (d.reevaluateAt) lines.push(`  re-evaluated automatically at ${d.reevaluateAt}`);
  if (d.rules.length === 0) return [...lines, '', 'No rule fired.'].join('\n');
  const rows = d.rules.map((r) => [
    r.rule,
    r.outcome,
    r.waivedBy
      ? `waived #${r.waivedBy.id} until ${r.waivedBy.until}`
      : r.overridden
        ? 'overridden'
        : r.unknown
          ? 'fact unknown'
          : '',
    r.message,
  ]);
  return [...lines, '', renderTable(['RULE', 'OUTCOME', 'NOTE', 'MESSAGE'], rows)].join('\n');
}

function explainText(v: StoredVersion, runningDigest: string): string {
  const d = v.decision;
  const lines = [`${v.ref.name}@${v.ref.version}: ${v.state}`];
  if (d) {
    const stale =
      d.policyDigest === runningDigest
        ? 'the running policy'
        : `an earlier policy (running: ${runningDigest})`;
    lines.push(`  decided ${d.action} by ${d.decidedBy} at ${d.at} under ${d.policyDigest}, ${stale}`);
    lines.push(...d.reasons.map((r) => `  ${r.rule}: ${r.message}`));
  } else lines.push('  no decision yet');
  if (v.findings.length === 0) return [...lines, '', 'No findings.'].join('\n');
  const rows = v.findings.map((f) => [
    f.analyzer,
    f.rule,
    f.severity,
    f.advisory?.id ?? '',
    f.message.slice(0, 100),
  ]);
  return [...lines, '', renderTable(['ANALYZER', 'RULE', 'SEVERITY', 'ADVISORY', 'MESSAGE'], rows)].join(
    '\n',
  );
}

function diffTable(d: PolicyDiff, applied: boolean): string {
  const lines = [`Policy change ${d.fromDigest ?? '(none)'} → ${d.toDigest}`];
  if (d.changes.length > 0) {
    lines.push(
      renderTable(
        ['CHANGE', 'VERSION', 'FROM', 'TO', 'WHY'],
        d.changes.map((c) => [c.kind, refKey(c.ref), c.from, c.to, c.decision.reasons[0]?.message ?? '']),
      ),
    );
  } else lines.push('No stored version changes.');
  lines.push(`${d.unchanged} unchanged, ${d.skipped} still being scanned.`);
  if (d.changes.some((c) => c.kind === 'would-block')) {
    lines.push('would-block versions stay approved: pass --revoke to revoke them.');
  }
  if (!applied && d.changes.length > 0) lines.push('Nothing was changed; pass --apply to apply.');
  return lines.join('\n');
}
