import type { CommandRegistration } from './index.js';
import type { CliContext } from '../context.js';
import { loadConfig } from '../../config/load.js';
import type { AirlockApp } from '../../app.js';
import { AirlockError } from '../../errors.js';

interface ServeOptions {
  config?: string;
  port?: string;
  host?: string;
}

/** `airlock serve` (HTTP + scan workers) and `airlock worker` (scan workers only). */
export const registerServe: CommandRegistration = (program, ctx) => {
  program
    .command('serve')
    .description('run the Airlock server: registry, API, dashboard and scan workers')
    .option('-c, --config <file>', 'airlock.yaml to use (default: none, every key at its default)')
    .option('-p, --port <port>', 'port to listen on (default 8873)')
    .option('--host <host>', 'address to listen on (default 0.0.0.0)')
    .action((options: ServeOptions) => run(ctx, options, 'serve'));
  program
    .command('worker')
    .description('run scan workers without the HTTP server (scale scans separately; needs PostgreSQL)')
    .option('-c, --config <file>', 'airlock.yaml to use')
    .action((options: ServeOptions) => run(ctx, options, 'worker'));
};

async function run(ctx: CliContext, options: ServeOptions, mode: 'serve' | 'worker'): Promise<void> {
  const config = loadConfig({
    file: options.config,
    env: ctx.env,
    overrides: { 'server.port': parsePort(options.port), 'server.host': options.host },
  });
  // Loaded here, not at the top: every other command (sbom, check in CI) starts faster without the server.
  const { createApp } = await import('../../app.js');
  const app = await createApp(config, { mode, configFile: options.config, cwd: ctx.cwd });
  // Listen for signals before announcing the address, so a supervisor that reacts to it can stop us cleanly.
  const stopped = waitForSignal(app, ctx);
  try {
    const address = mode === 'serve' ? await app.listen() : undefined;
    for (const line of app.describe(address)) ctx.stdout(`${line}\n`);
  } catch (error) {
    await app.close();
    throw error;
  }
  await stopped;
}

function parsePort(port: string | undefined): number | undefined {
  if (port === undefined) return undefined;
  const value = Number(port);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new AirlockError('USAGE', `--port ${port} is not a port number (0–65535)`);
  }
  return value;
}

/** Keeps the process alive until SIGTERM/SIGINT, then shuts down gracefully (bounded). */
function waitForSignal(app: AirlockApp, ctx: CliContext): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      ctx.stderr(`airlock: ${signal} received, shutting down\n`);
      app.close().then(
        () => resolve(),
        (error: unknown) => {
          ctx.stderr(`airlock: shutdown failed: ${String(error)}\n`);
          ctx.setExitCode(1);
          resolve();
        },
      );
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
