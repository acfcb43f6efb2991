import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const modules = resolve(import.meta.dirname, '..', '..', 'node_modules');

export interface ClientResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The package managers under test, each run from the project's own dev dependencies. */
export const clientBins = {
  npm: 'npm',
  pnpm: join(modules, 'pnpm', 'bin', 'pnpm.cjs'),
  yarn: join(modules, '@yarnpkg', 'cli-dist', 'bin', 'yarn.js'),
  // The bun package's postinstall puts the platform binary here.
  bun: join(modules, 'bun', 'bin', 'bun.exe'),
} as const;

export type ClientName = keyof typeof clientBins;

/** A throwaway project directory with a package.json and client config pointing at `registry`. */
export function makeProject(
  registry: string,
  dependencies: Record<string, string>,
  options: { token?: string; name?: string } = {},
): string {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-project-'));
  const host = registry.replace(/^https?:/, '');
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      { name: options.name ?? 'airlock-fixture-project', version: '1.0.0', private: true, dependencies },
      null,
      2,
    ),
  );
  writeFileSync(
    join(dir, '.npmrc'),
    [
      `registry=${registry}`,
      ...(options.token ? [`${host}:_authToken=${options.token}`] : []),
      'audit=false',
      'fund=false',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, '.yarnrc.yml'),
    [
      `npmRegistryServer: "${registry}"`,
      'unsafeHttpWhitelist: ["127.0.0.1"]',
      'nodeLinker: node-modules',
      'enableTelemetry: false',
      'enableGlobalCache: false',
      `cacheFolder: "${join(dir, '.yarn-cache')}"`,
      ...(options.token ? [`npmAuthToken: "${options.token}"`, 'npmAlwaysAuth: true'] : []),
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'bunfig.toml'),
    [
      '[install]',
      `registry = "${registry}"`,
      ...(options.token ? [`token = "${options.token}"`] : []),
      '',
    ].join('\n'),
  );
  mkdirSync(`${dir}-home`);
  return dir;
}

/** Runs a client in `dir` with an isolated home, cache and user config. */
export function runClient(
  client: ClientName,
  args: readonly string[],
  dir: string,
  timeoutMs = 120_000,
): Promise<ClientResult> {
  // Home sits beside the project so `npm publish` does not pack the client's logs.
  const home = `${dir}-home`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    npm_config_userconfig: join(dir, '.npmrc'),
    npm_config_cache: join(home, 'npm-cache'),
    PNPM_HOME: join(home, 'pnpm'),
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CACHE_HOME: join(home, 'cache'),
    npm_config_update_notifier: 'false',
    YARN_ENABLE_TELEMETRY: '0',
    // CI=true makes yarn berry refuse to write a lockfile; these projects start without one.
    YARN_ENABLE_IMMUTABLE_INSTALLS: 'false',
    COREPACK_ENABLE_STRICT: '0',
    BUN_INSTALL_CACHE_DIR: join(home, 'bun-cache'),
    CI: 'true',
  };
  const [command, argv] =
    client === 'npm'
      ? ['npm', [...args]]
      : client === 'bun'
        ? [clientBins.bun, [...args]]
        : [process.execPath, [clientBins[client], ...args]];
  return new Promise((resolve) => {
    execFile(
      command,
      argv,
      { cwd: dir, env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
