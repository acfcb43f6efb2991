import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');

/** Verdaccio 6 (the dev dependency) as a child process on loopback, proxying everything to `uplink`. */
export function startVerdaccio(uplink: string, port: number): ChildProcess {
  const dir = mkdtempSync(join(tmpdir(), 'bench-verdaccio-'));
  const config = join(dir, 'config.yaml');
  writeFileSync(
    config,
    [
      `storage: ${join(dir, 'storage')}`,
      'uplinks:',
      `  up: { url: "${uplink}", cache: true, maxage: 60m, timeout: 60s }`,
      'packages:',
      "  '**': { access: $all, proxy: up }",
      'max_body_size: 200mb',
      'log: { type: stdout, format: json, level: error }',
      'web: { enable: false }',
      '',
    ].join('\n'),
  );
  const bin = join(root, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
  return spawn(process.execPath, [bin, '--config', config, '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
