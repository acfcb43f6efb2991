import type { AnalysisInput } from '../core/analyzer.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { VersionFacts } from '../core/facts.js';
import type { Finding } from '../core/finding.js';
import { behaviourFindings } from './behaviour/package-findings.js';
import type { ContentReport } from './content/analyze-contents.js';
import { fileKind, type FileSummary } from './content/inventory.js';
import { analyzeDiff } from './diff/diff-analysis.js';
import { analyzeInstallScripts, installHooks } from './install-scripts/install-scripts.js';
import { asRecord, asString, type Json } from './manifest-fields.js';
import { analyzeMetadata } from './metadata/metadata-analysis.js';
import { topPackages } from './metadata/top-packages.generated.js';
import { TyposquatIndex } from './metadata/typosquat.js';
import { readTarball } from './tarball/read-tarball.js';
import { scoreFindings, type ScanVerdict } from './verdict.js';
import type { ScanWorkerPool } from './workers/pool.js';

export interface VersionScannerOptions {
  readonly pool: ScanWorkerPool;
  readonly clock?: Clock;
  /** Popular names for typosquatting; default the shipped top-5,000 list. */
  readonly popularNames?: readonly string[];
  /** A package younger than this, with no repository, is a `young-package` finding. */
  readonly youngPackageDays?: number;
  /** Read the previous version's tarball for file-level diffs (costs one more download). */
  readonly diffPreviousTarball?: boolean;
}

export type ScanGroup = 'malware' | 'install-scripts' | 'metadata' | 'diff';

/** Everything one scan of one version produced, split by analyzer. */
export interface ScanOutcome {
  readonly findings: Readonly<Record<ScanGroup, readonly Finding[]>>;
  readonly facts: Readonly<Record<ScanGroup, VersionFacts>>;
  readonly verdict: ScanVerdict;
  readonly score: number;
}

function parseJsonObject(text: string | undefined): Json | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    return asRecord(parsed) ? (Object.assign(Object.create(null), parsed) as Json) : undefined;
  } catch {
    return undefined;
  }
}

/** Files worth analysing first: what install hooks name and the main entry. */
function priorityFiles(manifest: Json): string[] {
  const out: string[] = [];
  for (const command of Object.values(installHooks(manifest.scripts, false)))
    for (const word of command.split(/\s+/)) if (/\.[cm]?js$/.test(word)) out.push(word.replace(/^\.\//, ''));
  const main = asString(manifest.main);
  out.push(main ? main.replace(/^\.\//, '') : 'index.js');
  return out;
}

/** Runs the content analysis once per version and derives every scan analyzer's findings from it. */
export class VersionScanner {
  readonly #pool: ScanWorkerPool;
  readonly #clock: Clock;
  readonly #typosquats: TyposquatIndex;
  readonly #youngDays: number;
  readonly #diffTarball: boolean;
  readonly #cache = new WeakMap<Uint8Array, Promise<ScanOutcome>>();

  constructor(options: VersionScannerOptions) {
    this.#pool = options.pool;
    this.#clock = options.clock ?? systemClock;
    this.#typosquats = new TyposquatIndex(options.popularNames ?? topPackages);
    this.#youngDays = options.youngPackageDays ?? 14;
    this.#diffTarball = options.diffPreviousTarball ?? true;
  }

  /** The outcome for this input; analyzers of the same version share one scan. */
  scan(input: AnalysisInput, signal?: AbortSignal): Promise<ScanOutcome> {
    signal?.throwIfAborted();
    let outcome = this.#cache.get(input.tarball);
    if (!outcome) {
      outcome = this.#run(input);
      this.#cache.set(input.tarball, outcome);
    }
    return outcome;
  }

  async #run(input: AnalysisInput): Promise<ScanOutcome> {
    const manifest = input.manifest;
    const report = await this.#pool.analyze(input.tarball, priorityFiles(manifest));
    const inventory = new Map(report.inventory.map((f) => [f.path, f]));
    const tarballManifest = parseJsonObject(report.packageJsonText);
    // npm runs the scripts of the package.json inside the tarball, whatever the registry says.
    const scripts = tarballManifest?.scripts ?? manifest.scripts;
    const sources = new Map<string, string>(
      report.bindingGypText !== undefined ? [['binding.gyp', report.bindingGypText]] : [],
    );
    const install = analyzeInstallScripts(scripts, inventory, sources);
    const malware = behaviourFindings(report, install.entryFiles, install.inlineReports);
    const metadata = analyzeMetadata(
      {
        name: input.ref.name,
        version: input.ref.version,
        manifest,
        ...(input.packument ? { packument: input.packument } : {}),
        ...(tarballManifest ? { tarballManifest } : {}),
        inventory: report.inventory,
        now: this.#clock.now(),
        youngPackageDays: this.#youngDays,
      },
      this.#typosquats,
    );
    const previousInventory = await this.#previousInventory(input);
    const diff = analyzeDiff({
      version: input.ref.version,
      manifest,
      ...(input.packument ? { packument: input.packument } : {}),
      ...(input.previous
        ? { previous: { version: input.previous.version, manifest: input.previous.manifest } }
        : {}),
      inventory: report.inventory,
      ...(previousInventory ? { previousInventory } : {}),
    });
    const all = [...malware, ...install.findings, ...metadata.findings, ...diff.findings];
    const { score, verdict } = scoreFindings(all);
    const incomplete = isIncomplete(report, malware);
    return {
      findings: {
        malware,
        'install-scripts': install.findings,
        metadata: metadata.findings,
        diff: diff.findings,
      },
      facts: {
        malware: { scanVerdict: verdict, scanScore: score, scanIncomplete: incomplete },
        'install-scripts': {
          hasInstallScripts: Object.keys(install.hooks).length > 0,
          ...(diff.facts.installScriptsFirstSeen !== undefined
            ? { installScriptsFirstSeen: diff.facts.installScriptsFirstSeen }
            : {}),
        },
        metadata: metadata.facts,
        diff:
          diff.facts.maintainerChanged !== undefined
            ? { maintainerChanged: diff.facts.maintainerChanged }
            : {},
      },
      verdict,
      score,
    };
  }

  async #previousInventory(input: AnalysisInput): Promise<FileSummary[] | undefined> {
    const load = input.previous?.tarball;
    if (!this.#diffTarball || !load) return undefined;
    try {
      const contents = readTarball(await load());
      return [...contents.files.values()].map((f) => ({
        path: f.path,
        size: f.size,
        kind: fileKind(f),
        minified: false,
      }));
    } catch {
      // The previous tarball is only context; without it the file-level diff rules stay silent.
      return undefined;
    }
  }
}

function isIncomplete(report: ContentReport, findings: readonly Finding[]): boolean {
  return (
    report.incomplete.length > 0 ||
    findings.some((f) => f.rule === 'scan-incomplete' || f.rule === 'tarball-problem')
  );
}
