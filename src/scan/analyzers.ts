import type { Analyzer, AnalysisInput, AnalyzerResult } from '../core/analyzer.js';
import { ScanWorkerPool, type ScanPoolOptions } from './workers/pool.js';
import { VersionScanner, type ScanGroup, type VersionScannerOptions } from './version-scanner.js';

export interface ScanAnalyzersOptions extends Omit<VersionScannerOptions, 'pool'> {
  /** Worker pool settings (size, budgets, hard timeout); ignored when `pool` is given. */
  readonly workers?: ScanPoolOptions;
  /** A pool the caller owns (and closes). */
  readonly pool?: ScanWorkerPool;
}

/** The gate-facing bundle: the analyzers plus the pool they share, to close at shutdown. */
export interface ScanAnalyzers {
  readonly analyzers: readonly Analyzer[];
  readonly scanner: VersionScanner;
  close(): Promise<void>;
}

class ScanGroupAnalyzer implements Analyzer {
  constructor(
    readonly name: ScanGroup,
    private readonly scanner: VersionScanner,
  ) {}

  async analyze(input: AnalysisInput, signal: AbortSignal): Promise<AnalyzerResult> {
    const outcome = await this.scanner.scan(input, signal);
    signal.throwIfAborted();
    return { findings: outcome.findings[this.name], facts: outcome.facts[this.name] };
  }
}

/**
 * The scan domain's analyzers for the gate: `malware` (behaviour, verdict and score facts), `install-scripts`,
 * `metadata` (typosquat, age, manifest) and `diff` (changes from the previous version). They share one
 * content analysis per version, run in a worker pool.
 */
export function createScanAnalyzers(options: ScanAnalyzersOptions = {}): ScanAnalyzers {
  const ownPool = options.pool === undefined;
  const pool = options.pool ?? new ScanWorkerPool(options.workers);
  const scanner = new VersionScanner({ ...options, pool });
  const groups: ScanGroup[] = ['malware', 'install-scripts', 'metadata', 'diff'];
  return {
    analyzers: groups.map((g) => new ScanGroupAnalyzer(g, scanner)),
    scanner,
    close: () => (ownPool ? pool.close() : Promise.resolve()),
  };
}
