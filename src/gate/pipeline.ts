import type { AnalysisInput, Analyzer } from '../core/analyzer.js';
import type { VersionFacts } from '../core/facts.js';
import type { Finding } from '../core/finding.js';
import { describeError } from '../errors.js';

export interface PipelineResult {
  readonly findings: Finding[];
  readonly facts: VersionFacts;
}

/**
 * Barrier 2: every analyzer runs on every new version, each with a time budget. An analyzer that fails
 * or runs out of time leaves a finding and `scanIncomplete`, so the policy can hold the version
 * instead of approving what nobody looked at.
 */
export class ScanPipeline {
  readonly #analyzers: readonly Analyzer[];
  readonly #timeoutMs: number;

  constructor(analyzers: readonly Analyzer[], timeoutMs = 30_000) {
    this.#analyzers = analyzers;
    this.#timeoutMs = timeoutMs;
  }

  async run(input: AnalysisInput, signal?: AbortSignal): Promise<PipelineResult> {
    const findings: Finding[] = [];
    const facts: VersionFacts = {};
    const results = await Promise.all(
      this.#analyzers.map(async (analyzer) => {
        const budget = AbortSignal.timeout(this.#timeoutMs);
        const combined = signal ? AbortSignal.any([signal, budget]) : budget;
        try {
          return { analyzer, result: await withAbort(analyzer.analyze(input, combined), combined) };
        } catch (error) {
          return { analyzer, error };
        }
      }),
    );
    for (const entry of results) {
      if ('error' in entry) {
        facts.scanIncomplete = true;
        findings.push({
          analyzer: entry.analyzer.name,
          rule: 'scan-incomplete',
          severity: 'moderate',
          message: `analyzer ${entry.analyzer.name} did not finish: ${describeError(entry.error)}`,
        });
        continue;
      }
      findings.push(...entry.result.findings);
      Object.assign(facts, entry.result.facts ?? {});
    }
    return { findings, facts };
  }
}

function withAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('time budget exceeded'));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
