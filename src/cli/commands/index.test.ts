import { describe, expect, it } from 'vitest';
import { buildProgram } from '../main.js';
import { captureContext } from '../test-support/capture-context.js';
import { commandModules, registrationsFor } from './index.js';

describe('command modules', () => {
  it('name every top-level command their module registers, so lazy loading finds it', async () => {
    for (const module of commandModules) {
      const program = buildProgram(captureContext(process.cwd()), [await module.load()]);
      expect(program.commands.map((c) => c.name()).sort()).toEqual([...module.names].sort());
    }
  });

  it('load only the named subcommand’s module, and everything for help', async () => {
    expect(await registrationsFor(['node', 'airlock', 'sbom', '.'])).toHaveLength(1);
    expect(await registrationsFor(['node', 'airlock', '--help'])).toHaveLength(commandModules.length);
    expect(await registrationsFor(['node', 'airlock', 'no-such-command'])).toHaveLength(
      commandModules.length,
    );
  });
});
