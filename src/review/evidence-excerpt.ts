import type { TarballContents } from '../scan/tarball/index.js';

/** Lines around a finding's line, as plain text: the dashboard renders them as text, never as HTML. */
export interface EvidenceExcerpt {
  readonly file: string;
  readonly line: number;
  readonly lines: readonly { readonly number: number; readonly text: string; readonly match: boolean }[];
  /** Why no lines could be shown (file missing, binary, too large, line past the end). */
  readonly problem?: string;
}

const maxLineChars = 240;

/** The `context` lines before and after `line` of `file` in the tarball. */
export function evidenceExcerpt(
  contents: TarballContents,
  file: string,
  line: number,
  context: number,
): EvidenceExcerpt {
  const entry = contents.files.get(file);
  const none = (problem: string): EvidenceExcerpt => ({ file, line, lines: [], problem });
  if (!entry) return none(`${file} is not in the tarball`);
  if (!entry.bytes) return none(`${file} is ${entry.size} bytes, too large to show`);
  const bytes = entry.bytes;
  if (bytes.subarray(0, 8000).includes(0)) return none(`${file} is a binary file`);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  // Only split as far as needed: a minified bundle is one huge line, a generated file may have millions.
  const wanted = text.split(/\r?\n/, line + context);
  if (line > wanted.length) return none(`${file} has only ${wanted.length} lines`);
  const first = Math.max(1, line - context);
  const lines = [];
  for (let n = first; n <= Math.min(wanted.length, line + context); n++) {
    const raw = wanted[n - 1] ?? '';
    const shown = raw.length > maxLineChars ? `${raw.slice(0, maxLineChars)}…` : raw;
    lines.push({ number: n, text: shown.replace(/\t/g, '  '), match: n === line });
  }
  return { file, line, lines };
}
