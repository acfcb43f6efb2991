import { createHash } from 'node:crypto';
import { analyzeJavaScript, defaultFileBudget, type FileBudget } from '../behaviour/analyze-file.js';
import type { FileReport } from '../behaviour/signals.js';
import { readTarball } from '../tarball/read-tarball.js';
import { defaultTarballLimits, type TarballLimits } from '../tarball/limits.js';
import type { TarballProblem } from '../tarball/contents.js';
import { fileKind, looksMinified, type FileSummary } from './inventory.js';
import { analyzeShellScript } from './shell-script.js';

/** Bounds of one package's content analysis. */
export interface ContentBudget {
  readonly tarball: TarballLimits;
  readonly file: FileBudget;
  /** Time for all files of one package; the rest is reported unanalysed. */
  readonly packageTimeMs: number;
}

export const defaultContentBudget: ContentBudget = {
  tarball: defaultTarballLimits,
  file: defaultFileBudget,
  packageTimeMs: 8_000,
};

/** What the content analysis of one tarball found; plain data so it crosses the worker boundary. */
export interface ContentReport {
  readonly inventory: FileSummary[];
  /** Reports of files with signals or an incomplete analysis. */
  readonly files: FileReport[];
  readonly problems: TarballProblem[];
  /** The tarball's own package.json text, when present. */
  readonly packageJsonText?: string;
  /** binding.gyp text (gyp files can run commands when node-gyp reads them). */
  readonly bindingGypText?: string;
  readonly incomplete: string[];
  readonly unpackedBytes: number;
  readonly analysedFiles: number;
}

const decoder = new TextDecoder('utf-8', { fatal: false });

/** Reads the tarball in memory and analyses every script file; the worker entry calls this. */
export function analyzeContents(
  tarball: Uint8Array,
  budget: ContentBudget = defaultContentBudget,
  priority: readonly string[] = [],
): ContentReport {
  const deadline = performance.now() + budget.packageTimeMs;
  const contents = readTarball(tarball, budget.tarball);
  const inventory: FileSummary[] = [];
  const queue: { path: string; kind: 'javascript' | 'shell'; source: string }[] = [];
  for (const file of contents.files.values()) {
    const kind = fileKind(file);
    let minified = false;
    if ((kind === 'javascript' || kind === 'shell') && file.bytes) {
      const source = decoder.decode(file.bytes);
      minified = kind === 'javascript' && looksMinified(source);
      queue.push({ path: file.path, kind, source });
    }
    inventory.push({ path: file.path, size: file.size, kind, minified });
  }
  // Install-time and entry files first, then small before large, so a budget cut loses the big bundles.
  const rank = (path: string) => (priority.includes(path) ? 0 : 1);
  queue.sort((a, b) => rank(a.path) - rank(b.path) || a.source.length - b.source.length);
  const files: FileReport[] = [];
  const incomplete: string[] = [];
  let analysedFiles = 0;
  // Dual CJS/ESM builds often ship byte-identical files; each distinct content is analysed once.
  const seenContent = new Set<string>();
  for (const [index, item] of queue.entries()) {
    const digest = createHash('sha1').update(item.source).digest('base64');
    if (seenContent.has(digest)) continue;
    seenContent.add(digest);
    const remaining = deadline - performance.now();
    if (remaining <= 0) {
      incomplete.push(
        `package time budget spent: ${queue.length - index} of ${queue.length} script files not analysed`,
      );
      break;
    }
    const fileBudget = { ...budget.file, timeMs: Math.min(budget.file.timeMs, remaining) };
    const report =
      item.kind === 'shell'
        ? analyzeShellScript(item.path, item.source)
        : analyzeJavaScript(item.path, item.source, fileBudget);
    analysedFiles++;
    if (report.signals.length > 0 || report.incomplete !== undefined || report.localRequires.length > 0)
      files.push(report);
  }
  const packageJson = contents.files.get('package.json')?.bytes;
  const bindingGyp = contents.files.get('binding.gyp')?.bytes;
  return {
    inventory,
    files,
    problems: [...contents.problems],
    ...(packageJson ? { packageJsonText: decoder.decode(packageJson.subarray(0, 1024 * 1024)) } : {}),
    ...(bindingGyp ? { bindingGypText: decoder.decode(bindingGyp.subarray(0, 256 * 1024)) } : {}),
    incomplete,
    unpackedBytes: contents.unpackedBytes,
    analysedFiles,
  };
}
