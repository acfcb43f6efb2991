import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CommandRegistration } from './index.js';
import { configTemplate } from '../../config/template.js';
import { AirlockError } from '../../errors.js';

/** `airlock init`: writes a commented airlock.yaml with every default spelled out. */
export const registerInit: CommandRegistration = (program, ctx) => {
  program
    .command('init')
    .description('write a commented airlock.yaml in the current directory')
    .option('-o, --output <file>', 'where to write the file', 'airlock.yaml')
    .option('--force', 'overwrite an existing file')
    .action((options: { output: string; force?: boolean }) => {
      const target = resolve(ctx.cwd, options.output);
      if (existsSync(target) && !options.force) {
        throw new AirlockError('USAGE', `${target} already exists; pass --force to overwrite it`);
      }
      writeFileSync(target, configTemplate, { mode: 0o640 });
      ctx.stdout(`wrote ${target}\nstart Airlock with: airlock serve --config ${options.output}\n`);
    });
};
