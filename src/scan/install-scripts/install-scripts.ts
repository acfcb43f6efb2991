import type { Finding } from '../../core/finding.js';
import { analyzeJavaScript } from '../behaviour/analyze-file.js';
import type { FileReport } from '../behaviour/signals.js';
import { downloadAndRun } from '../behaviour/strings.js';
import type { FileSummary } from '../content/inventory.js';
import { ruleFinding } from '../findings.js';

/** The lifecycle scripts npm runs when it installs a registry tarball. */
export const INSTALL_HOOKS = ['preinstall', 'install', 'postinstall'] as const;

const NATIVE_BUILD =
  /(?<![\w-])(?:node-gyp(?:-build)?|prebuild-install|node-pre-gyp|cmake-js|prebuildify)(?![\w-])|\bnapi\s+build\b/;
const OBFUSCATED =
  /\bbase64\s+(?:-d|--decode)\b|\\x[0-9a-f]{2}|\beval\b|\batob\b|FromBase64String|-enc(?:odedcommand)?\s/i;
const INLINE = /\bnode\s+(?:-e|--eval|-p|--print)\b/;

/** What the install scripts of a version run, as findings, plus the files they run for the behaviour chains. */
export interface InstallScriptAnalysis {
  readonly findings: Finding[];
  readonly hooks: Record<string, string>;
  /** Files the scripts execute (`node install.js`, `sh setup.sh`). */
  readonly entryFiles: string[];
  /** Inline code (`node -e "…"`) analysed as if it were a file. */
  readonly inlineReports: FileReport[];
}

/** The install hooks a manifest declares, with an implicit `node-gyp rebuild` when binding.gyp ships. */
export function installHooks(scripts: unknown, hasBindingGyp: boolean): Record<string, string> {
  const hooks: Record<string, string> = Object.create(null) as Record<string, string>;
  if (typeof scripts === 'object' && scripts !== null) {
    for (const hook of INSTALL_HOOKS) {
      const command = (scripts as Record<string, unknown>)[hook];
      if (typeof command === 'string' && command.trim() !== '') hooks[hook] = command.slice(0, 4000);
    }
  }
  if (hasBindingGyp && hooks.install === undefined && hooks.preinstall === undefined)
    hooks.install = 'node-gyp rebuild';
  return hooks;
}

function resolveFile(candidate: string, inventory: ReadonlyMap<string, FileSummary>): string | undefined {
  const clean = candidate.replace(/^["']|["']$/g, '').replace(/^\.\//, '');
  for (const path of [clean, `${clean}.js`, `${clean}.cjs`, `${clean}.mjs`, `${clean}/index.js`])
    if (inventory.has(path)) return path;
  return undefined;
}

/** Analyses the install hooks of one manifest against the files of its tarball. */
export function analyzeInstallScripts(
  scripts: unknown,
  inventory: ReadonlyMap<string, FileSummary>,
  sources: ReadonlyMap<string, string>,
): InstallScriptAnalysis {
  const hooks = installHooks(scripts, inventory.has('binding.gyp'));
  const findings: Finding[] = [];
  const entryFiles = new Set<string>();
  const inlineReports: FileReport[] = [];
  for (const [hook, command] of Object.entries(hooks)) {
    const evidence = `"${hook}": "${command.slice(0, 200)}"`;
    const native = NATIVE_BUILD.test(command);
    findings.push(
      ruleFinding(native ? 'native-build' : 'install-script', `${hook} runs \`${command.slice(0, 120)}\``, {
        file: 'package.json',
        evidence,
      }),
    );
    if (downloadAndRun(command))
      findings.push(
        ruleFinding('install-download-exec', `${hook} downloads and runs code`, {
          file: 'package.json',
          evidence,
        }),
      );
    if (OBFUSCATED.test(command))
      findings.push(
        ruleFinding('install-script-obfuscated', `${hook} hides what it runs`, {
          file: 'package.json',
          evidence,
        }),
      );
    const inline = INLINE.exec(command);
    if (inline) {
      findings.push(
        ruleFinding('install-inline-code', `${hook} runs inline JavaScript`, {
          file: 'package.json',
          evidence,
        }),
      );
      const code = /(?:-e|--eval|-p|--print)\s+(["'])([\s\S]*)\1/.exec(command)?.[2];
      if (code !== undefined)
        inlineReports.push(analyzeJavaScript(`package.json#scripts.${hook}`, code.replace(/\\"/g, '"')));
    }
    for (const part of command.split(/&&|\|\||[;&|]/)) {
      const words = part.trim().split(/\s+/);
      const [program, first] = words;
      if (program === undefined) continue;
      if (/^node(?:\.exe)?$/.test(program) && first !== undefined && !first.startsWith('-')) {
        const file = resolveFile(first, inventory);
        if (file) entryFiles.add(file);
        continue;
      }
      const script = /^(?:sh|bash|zsh|cmd|start|powershell|pwsh|call)$/i.test(program)
        ? words.find((w, i) => i > 0 && !w.startsWith('-') && !w.startsWith('/'))
        : program;
      const file = script !== undefined ? resolveFile(script, inventory) : undefined;
      if (file) {
        entryFiles.add(file);
        findings.push(
          ruleFinding(
            'install-runs-binary',
            `${hook} runs ${file} (${inventory.get(file)?.kind ?? 'file'})`,
            { file: 'package.json', evidence },
          ),
        );
      }
    }
  }
  // `prepare` runs only for git and local installs, never for registry tarballs: reported, not scored.
  const prepare =
    typeof scripts === 'object' && scripts !== null
      ? (scripts as Record<string, unknown>).prepare
      : undefined;
  if (typeof prepare === 'string' && prepare.trim() !== '')
    findings.push(
      ruleFinding('prepare-script', `prepare runs \`${prepare.slice(0, 120)}\``, { file: 'package.json' }),
    );
  if (inventory.has('binding.gyp')) {
    const gyp = sources.get('binding.gyp') ?? '';
    const hasSources = [...inventory.keys()].some((p) => /\.(?:c|cc|cpp|cxx|h|hpp|m|mm|rs|zig)$/i.test(p));
    if (!hasSources && !/"sources"\s*:\s*\[\s*"/.test(gyp))
      findings.push(
        ruleFinding('gyp-without-sources', 'binding.gyp ships with no C/C++ sources to build', {
          file: 'binding.gyp',
        }),
      );
    const command = /<!@?\(([^)]*)\)/.exec(gyp)?.[1];
    if (
      command !== undefined &&
      (downloadAndRun(command) || /\b(?:curl|wget|node\s+-e|eval|base64)\b/.test(command))
    )
      findings.push(
        ruleFinding('gyp-command', 'binding.gyp runs a command while it is read', {
          file: 'binding.gyp',
          evidence: command.slice(0, 160),
        }),
      );
  }
  return { findings, hooks, entryFiles: [...entryFiles], inlineReports };
}
