/**
 * Warm `npm ci` of a 500+-package project through Airlock, through Verdaccio 6, and straight from the
 * registry, in one run (`npm run bench:install`). The project's dependencies are named below; its
 * lockfile is made once with the real npm and kept in .cache/bench/install/. Airlock runs in-process
 * with every lockfile version imported as the baseline (a policy without cooldown, since the registry
 * reached here has no real publish times); Verdaccio runs as a child process. Each proxy is warmed by
 * one install, then timed over several installs, each with an empty npm cache.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startVerdaccio } from './support/verdaccio.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { request } from 'undici';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config/load.js';
import { registryVersions } from '../src/cli/commands/gate.js';
import { parseLockfile } from '../src/sbom/index.js';

const root = resolve(import.meta.dirname, '..');
const projectDir = join(root, '.cache', 'bench', 'install');
const runs = Number(process.env.BENCH_RUNS ?? 3);
const dependencies = {
  webpack: '5.x',
  eslint: '9.x',
  jest: '29.x',
  '@babel/core': '7.x',
  typescript: '5.x',
  express: '4.x',
  mocha: '10.x',
  nodemon: '3.x',
  '@nestjs/cli': '10.x',
  sass: '1.x',
};

function ensureProject(): void {
  mkdirSync(projectDir, { recursive: true });
  const manifest = JSON.stringify(
    { name: 'bench-install', version: '1.0.0', private: true, dependencies },
    null,
    2,
  );
  writeFileSync(join(projectDir, 'package.json'), manifest);
  if (!existsSync(join(projectDir, 'package-lock.json'))) {
    execFileSync(
      'npm',
      ['install', '--package-lock-only', '--ignore-scripts', '--registry', 'https://registry.npmjs.org/'],
      {
        cwd: projectDir,
        stdio: 'inherit',
        env: { ...process.env, npm_config_omit_lockfile_registry_resolved: 'false' },
      },
    );
  }
}

/** Async on purpose: Airlock runs in this process and must keep answering while npm installs. */
async function npmCi(registry: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ci-'));
  writeFileSync(join(dir, 'package.json'), readFileSync(join(projectDir, 'package.json')));
  writeFileSync(join(dir, 'package-lock.json'), readFileSync(join(projectDir, 'package-lock.json')));
  writeFileSync(join(dir, '.npmrc'), `registry=${registry}\naudit=false\nfund=false\n`);
  const start = performance.now();
  await execFileAsync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-online'], {
    cwd: dir,
    maxBuffer: 64 * 1024 * 1024,
    env: {
      ...process.env,
      npm_config_userconfig: join(dir, '.npmrc'),
      npm_config_cache: join(dir, '.cache'),
    },
  });
  const seconds = (performance.now() - start) / 1000;
  rmSync(dir, { recursive: true, force: true });
  return seconds;
}

const execFileAsync = promisify(execFile);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

ensureProject();
const components = registryVersions(parseLockfile(join(projectDir, 'package-lock.json')).components);
console.log(
  `project: ${components.length} packages (${Object.keys(dependencies).join(', ')}); ${runs} timed runs each`,
);

const config = loadConfig({
  overrides: {
    dataDir: mkdtempSync(join(tmpdir(), 'bench-airlock-')),
    'server.port': 0,
    'server.host': '127.0.0.1',
    'gate.workers': 6,
    'policy.minReleaseAge': 0,
    'log.level': 'warn',
  },
});
const app = await createApp(config, { logger: pino({ level: 'warn' }) });
const airlockUrl = (await app.listen()).replace('localhost', '127.0.0.1');
const reviewer = (await app.tokens.create({ name: 'bench', role: 'reviewer', createdBy: 'bench' })).token;
const verdaccio = startVerdaccio('https://registry.npmjs.org/', 14874);
try {
  const importStart = performance.now();
  const imported = await request(`${airlockUrl}/api/v1/gate/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${reviewer}`, 'content-type': 'application/json' },
    body: JSON.stringify({ components }),
    headersTimeout: 600_000,
    bodyTimeout: 600_000,
  });
  console.log(`airlock import: ${JSON.stringify(await imported.body.json()).slice(0, 200)}`);
  // Wait for the imported versions only (prefetch queues other likely versions of each package too).
  let decided: { state: string }[] = [];
  for (;;) {
    decided = await Promise.all(
      components.map(async (c) => ({ state: (await app.gate.store.version(c))?.state ?? 'unknown' })),
    );
    if (decided.every((d) => ['approved', 'review', 'rejected'].includes(d.state))) break;
    await sleep(1000);
  }
  const count = (state: string) => decided.filter((d) => d.state === state).length;
  console.log(
    `airlock scanned the baseline in ${((performance.now() - importStart) / 1000).toFixed(1)} s: approved ${count('approved')}, review ${count('review')}, rejected ${count('rejected')}`,
  );
  // Held versions (install scripts) are approved by hand, as a reviewer would after looking.
  for (const c of components) {
    if ((await app.gate.store.version(c))?.state === 'review') {
      await app.gate.decideByHand(c, 'approve', 'bench', 'reviewed for the benchmark');
    }
  }

  const targets = [
    ['airlock', `${airlockUrl}/npm/`],
    ['verdaccio', 'http://127.0.0.1:14874/'],
    ['direct', 'https://registry.npmjs.org/'],
  ] as const;
  const results: Record<string, number[]> = {};
  for (const [name, registry] of targets) {
    await npmCi(registry); // warm the proxy
    results[name] = [];
    for (let i = 0; i < runs; i++) results[name].push(await npmCi(registry));
  }
  for (const [name] of targets) {
    console.log(
      `${name.padEnd(10)} npm ci median ${median(results[name]!).toFixed(2)} s  (runs: ${results[name]!.map((s) => s.toFixed(2)).join(', ')})`,
    );
  }
  console.log(
    `airlock / verdaccio = ${(median(results.airlock!) / median(results.verdaccio!)).toFixed(2)} (target ≤ 1.15)`,
  );
} finally {
  verdaccio.kill('SIGTERM');
  await app.close();
}
