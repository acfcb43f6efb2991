/** Short code excerpts for findings: the line, or a window of it for minified code. */
export class EvidenceSource {
  #lines: string[] | undefined;
  constructor(private readonly source: string) {}

  excerpt(line: number, column = 0): string {
    this.#lines ??= this.source.split(/\r?\n/, 200_000);
    const text = this.#lines[line - 1] ?? '';
    if (text.length <= 160) return text.trim();
    const start = Math.max(0, column - 40);
    return `${start > 0 ? '…' : ''}${text.slice(start, start + 140).trim()}…`;
  }
}
