import type { CliContext } from '../context.js';

/** A CliContext that records what a command printed, for tests. */
export interface CapturedContext extends CliContext {
  readonly out: () => string;
  readonly err: () => string;
}

/** A test context: output captured, environment given (never the real process.env). */
export function captureContext(cwd: string, env: NodeJS.ProcessEnv = {}): CapturedContext {
  let out = '';
  let err = '';
  return {
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
    env,
    cwd,
    isTTY: false,
    setExitCode: () => undefined,
    out: () => out,
    err: () => err,
  };
}
