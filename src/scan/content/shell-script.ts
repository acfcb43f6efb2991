import type { FileReport, Signal } from '../behaviour/signals.js';
import * as str from '../behaviour/strings.js';

const DESTRUCTIVE = /\bshutdown\s+-[hr]\b|\brm\s+-rf\s+(?:\/|~|\$HOME)(?:\s|$|\*)|\bformat\s+c:/i;

/**
 * Shell, batch and PowerShell files are not JavaScript; their commands are read line by line (they have
 * no expression structure worth a parser): download-and-run, exfiltration hosts, credential paths.
 */
export function analyzeShellScript(path: string, source: string): FileReport {
  const signals: Signal[] = [];
  const lines = source.split(/\r?\n/, 20_000);
  const add = (rule: Signal['rule'], index: number, detail: string) => {
    if (signals.length < 100)
      signals.push({
        rule,
        line: index + 1,
        evidence: (lines[index] ?? '').trim().slice(0, 160),
        topLevel: true,
        detail,
      });
  };
  const joined = lines.join('\n');
  const downloads = /\b(?:curl|wget|Invoke-WebRequest|iwr|bitsadmin|certutil)\b/i.test(joined);
  lines.forEach((line, index) => {
    if (str.downloadAndRun(line)) add('shell-download-exec', index, 'downloads and runs');
    else if (
      downloads &&
      /\b(?:chmod\s+\+?[0-7]*x|regsvr32|rundll32|Start-Process)\b|^\s*\.\/\S+/i.test(line)
    )
      add('shell-download-exec', index, 'runs what the script downloaded');
    const exfil = str.exfilEndpoint(line);
    if (exfil !== undefined) add('exfil-endpoint', index, exfil);
    const credential = str.credentialPath(line);
    if (credential !== undefined) add('credential-access', index, credential);
    if (DESTRUCTIVE.test(line)) add('destructive-fs', index, 'destructive command');
    if (str.npmPublish(line)) add('child-process', index, 'npm publish');
  });
  return { path, signals, flags: [], localRequires: [], mentions: [], parsed: true };
}
