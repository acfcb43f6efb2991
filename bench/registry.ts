/**
 * Big-packument serving, Airlock vs Verdaccio 6 in one run (`npm run bench:registry`).
 * The real `typescript` packument is downloaded once into .cache/bench/ and served to both proxies by
 * an in-process upstream, so both see the same bytes. Both run as child processes on loopback, both
 * warm; the load is concurrency 10 for a fixed time per proxy. Prints req/s, latency percentiles and
 * Airlock's peak RSS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startVerdaccio } from './support/verdaccio.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';

const root = resolve(import.meta.dirname, '..');
const cacheFile = join(root, '.cache', 'bench', 'typescript.json');
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const concurrency = 10;

async function packumentBytes(): Promise<Buffer> {
  if (!existsSync(cacheFile)) {
    mkdirSync(join(root, '.cache', 'bench'), { recursive: true });
    const response = await request('https://registry.npmjs.org/typescript', {
      headers: { accept: 'application/json' },
    });
    writeFileSync(cacheFile, Buffer.from(await response.body.arrayBuffer()));
  }
  return readFileSync(cacheFile);
}

async function startUpstream(body: Buffer): Promise<string> {
  const server = createServer((req, res) => {
    if (req.url === '/typescript')
      res.writeHead(200, { 'content-type': 'application/json', etag: '"ts"' }).end(body);
    else res.writeHead(404).end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  server.unref();
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

async function waitFor(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited with ${child.exitCode}`);
    try {
      const r = await request(url);
      await r.body.dump();
      return;
    } catch {
      await sleep(100);
    }
  }
  throw new Error(`${url} did not come up`);
}

function startAirlock(upstream: string, port: number): ChildProcess {
  return spawn(process.execPath, [join(root, 'bin', 'airlock.js'), 'serve'], {
    env: {
      ...process.env,
      AIRLOCK_DATA_DIR: mkdtempSync(join(tmpdir(), 'bench-airlock-')),
      AIRLOCK_SERVER_PORT: String(port),
      AIRLOCK_SERVER_HOST: '127.0.0.1',
      AIRLOCK_REGISTRY_UPSTREAM_URL: upstream,
      AIRLOCK_GATE_WORKERS: '0',
      AIRLOCK_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

function peakRssMiB(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 'NaN');
  return Math.round(kb / 1024);
}

async function load(url: string, headers: Record<string, string>) {
  const agent = new Agent({ connections: concurrency });
  const latencies: number[] = [];
  let bytes = 0;
  let errors = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const start = performance.now();
        try {
          const r = await request(url, { headers, dispatcher: agent });
          const body = Buffer.from(await r.body.arrayBuffer());
          if (r.statusCode !== 200) errors++;
          bytes += body.length;
          latencies.push(performance.now() - start);
        } catch {
          errors++;
        }
      }
    }),
  );
  await agent.close();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN);
  return {
    rps: latencies.length / seconds,
    p50: pct(0.5),
    p95: pct(0.95),
    errors,
    avgBytes: Math.round(bytes / Math.max(1, latencies.length)),
  };
}

const body = await packumentBytes();
const upstream = await startUpstream(body);
console.log(
  `typescript packument: ${(body.length / 1e6).toFixed(1)} MB, ${Object.keys((JSON.parse(body.toString()) as { versions: object }).versions).length} versions; concurrency ${concurrency}, ${seconds} s each`,
);

const airlock = startAirlock(upstream, 18873);
const verdaccio = startVerdaccio(upstream, 14873);
try {
  await waitFor('http://127.0.0.1:18873/healthz', airlock);
  await waitFor('http://127.0.0.1:14873/-/ping', verdaccio);
  const cases = [
    { label: 'full, gzip', headers: { accept: 'application/json', 'accept-encoding': 'gzip' } },
    {
      label: 'abbreviated, gzip',
      headers: {
        accept: 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8',
        'accept-encoding': 'gzip',
      },
    },
  ];
  const rows: string[] = [];
  for (const c of cases) {
    const results: Record<string, Awaited<ReturnType<typeof load>>> = {};
    for (const [name, url] of [
      ['airlock', 'http://127.0.0.1:18873/npm/typescript'],
      ['verdaccio', 'http://127.0.0.1:14873/typescript'],
    ] as const) {
      // Warm: the first request fetches from upstream and (for Airlock) precomputes the documents.
      const warm = await request(url, { headers: c.headers, headersTimeout: 120_000, bodyTimeout: 120_000 });
      await warm.body.dump();
      results[name] = await load(url, c.headers);
    }
    const a = results.airlock!;
    const v = results.verdaccio!;
    rows.push(
      `${c.label.padEnd(16)} airlock ${a.rps.toFixed(1)} req/s (p50 ${a.p50} ms, p95 ${a.p95} ms, ${a.errors} errors, ${a.avgBytes} B)  ` +
        `verdaccio ${v.rps.toFixed(1)} req/s (p50 ${v.p50} ms, p95 ${v.p95} ms, ${v.errors} errors, ${v.avgBytes} B)  ` +
        `speed-up ${(a.rps / v.rps).toFixed(1)}x`,
    );
  }
  for (const row of rows) console.log(row);
  console.log(
    `airlock peak RSS ${peakRssMiB(airlock.pid)} MiB, verdaccio peak RSS ${peakRssMiB(verdaccio.pid)} MiB`,
  );
} finally {
  airlock.kill('SIGTERM');
  verdaccio.kill('SIGTERM');
}
