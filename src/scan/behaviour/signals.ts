import type { RuleId } from '../rules.js';

/** One observed behaviour in one file, before it becomes a finding. */
export interface Signal {
  readonly rule: RuleId;
  readonly line: number;
  readonly evidence: string;
  /** Runs when the file is loaded (not inside a function that may never be called). */
  readonly topLevel: boolean;
  readonly detail?: string;
}

/** Facts about one file that chain rules combine across files. */
export type FileFlag = 'npm-publish' | 'writes-package-json' | 'writes-file' | 'chmod' | 'decoded-constants';

/** Everything the behaviour analysis learned from one file. */
export interface FileReport {
  readonly path: string;
  readonly signals: Signal[];
  readonly flags: FileFlag[];
  /** Relative modules it loads. */
  readonly localRequires: string[];
  /** File names it mentions in strings (scripts it may run: `sh preinstall.sh`). */
  readonly mentions: string[];
  readonly parsed: boolean;
  /** Why analysis stopped early (budget, parse failure), when it did. */
  readonly incomplete?: string;
}
