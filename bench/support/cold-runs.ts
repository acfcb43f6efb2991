/** Times a command as separate processes, the way CI runs it: node start-up and module loading included. */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface ColdRunOptions {
  readonly cwd: string;
  readonly runs: number;
  readonly env?: NodeJS.ProcessEnv;
  /** Exit codes that count as a run (`airlock check` exits 1 when it finds something). */
  readonly okStatus?: readonly number[];
}

export interface ColdRuns {
  readonly median: number;
  readonly p95: number;
  readonly min: number;
  /** stdout of the last run. */
  readonly output: string;
  /** The tail of the failing run's output; the runs stop at the first failure. */
  readonly failure?: string;
}

export function timeColdRuns(command: string, args: readonly string[], options: ColdRunOptions): ColdRuns {
  const okStatus = options.okStatus ?? [0];
  const times: number[] = [];
  let output = '';
  let failure: string | undefined;
  for (let i = 0; i < options.runs; i++) {
    const start = performance.now();
    const r = spawnSync(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    times.push(performance.now() - start);
    output = r.stdout;
    if (!okStatus.includes(r.status ?? -1)) {
      failure = `exit ${r.status}: ${(r.stderr || r.stdout || '').split('\n').slice(-5).join(' ')}`;
      break;
    }
  }
  times.sort((a, b) => a - b);
  return {
    median: times[Math.floor(times.length / 2)] ?? NaN,
    p95: times[Math.min(times.length - 1, Math.floor(times.length * 0.95))] ?? NaN,
    min: times[0] ?? NaN,
    output,
    ...(failure !== undefined ? { failure } : {}),
  };
}
