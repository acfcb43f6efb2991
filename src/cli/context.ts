/** What a CLI command may touch besides its arguments; tests pass their own. */
export interface CliContext {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly isTTY: boolean;
  /** A command that finished but must report failure (e.g. `check` found problems) sets the exit code here. */
  readonly setExitCode: (code: number) => void;
}

export function processContext(): CliContext {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY),
    setExitCode: (code) => {
      process.exitCode = code;
    },
  };
}

export type OutputFormat = 'table' | 'json';

/** Prints `data` as JSON, or through `table` for people. */
export function printResult<T>(ctx: CliContext, format: string, data: T, table: (data: T) => string): void {
  if (format === 'json') ctx.stdout(`${JSON.stringify(data, null, 2)}\n`);
  else ctx.stdout(table(data).replace(/\n?$/, '\n'));
}

/** Pads columns of a plain-text table. */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}
