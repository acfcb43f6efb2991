import type { ContentBudget, ContentReport } from '../content/analyze-contents.js';

/** Main thread → worker: one tarball to analyse. */
export interface ScanJobMessage {
  readonly id: number;
  readonly tarball: Uint8Array;
  readonly budget: ContentBudget;
  readonly priority: readonly string[];
}

/** Worker → main thread: the report, or the error that stopped it. */
export type ScanResultMessage =
  | { readonly id: number; readonly ok: true; readonly report: ContentReport }
  | { readonly id: number; readonly ok: false; readonly error: string };
