import { spawn, type ChildProcess } from 'node:child_process';

/** Starts a TypeScript helper script as a real child process (through tsx), stdin and stdout piped. */
export function spawnScript(scriptPath: string, args: readonly string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', scriptPath, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
}

/** Resolves when the child exits with code 0; rejects with its exit code or signal otherwise. */
export function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`child exited with ${signal ?? `code ${code}`}`));
    });
  });
}

/** Resolves with the first stdout line of `child` that matches `pattern`. */
export function waitForLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const line = buffered.split('\n').find((l) => pattern.test(l));
      if (line !== undefined) {
        child.stdout?.off('data', onData);
        resolve(line);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code, signal) =>
      reject(new Error(`child exited (${signal ?? code}) before printing ${pattern}`)),
    );
  });
}
