import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { AirlockError } from '../../errors.js';
import { parseLockfile, resolveTarget, toCycloneDx, toSpdx } from '../../sbom/index.js';
import type { CliContext } from '../context.js';
import type { CommandRegistration } from './index.js';

/** `airlock sbom <dir|lockfile>`: write a CycloneDX 1.6 or SPDX 2.3 JSON SBOM of the project. */
export const registerSbom: CommandRegistration = (program: Command, ctx: CliContext) => {
  program
    .command('sbom')
    .description('write a CycloneDX 1.6 (default) or SPDX 2.3 JSON SBOM from a lockfile')
    .argument('<target>', 'project directory or lockfile (package-lock.json, pnpm-lock.yaml, yarn.lock, …)')
    .addOption(
      new Option('--format <format>', 'SBOM format').choices(['cyclonedx', 'spdx']).default('cyclonedx'),
    )
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .action(async (target: string, options: { format: 'cyclonedx' | 'spdx'; output?: string }) => {
      const path = resolveTarget(target, ctx.cwd);
      const graph = parseLockfile(path, { displayName: path });
      const doc = options.format === 'spdx' ? toSpdx(graph) : toCycloneDx(graph);
      const text = `${JSON.stringify(doc, null, 2)}\n`;
      for (const w of graph.warnings) ctx.stderr(`airlock: warning: ${w}\n`);
      if (options.output) {
        try {
          writeFileSync(resolve(ctx.cwd, options.output), text);
        } catch (cause) {
          throw new AirlockError('USAGE', `cannot write ${options.output}: ${(cause as Error).message}`, {
            cause,
          });
        }
        ctx.stderr(
          `Wrote ${options.format} SBOM with ${graph.components.length} components to ${options.output}.\n`,
        );
      } else ctx.stdout(text);
    });
};
