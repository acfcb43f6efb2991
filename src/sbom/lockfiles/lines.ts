/** Finds the 1-based line of an offset; built once per file so locating thousands of keys stays linear. */
export class LineIndex {
  readonly #starts: number[] = [0];
  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.#starts.push(i + 1);
  }
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.#starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.#starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
}

/** Maps each key matched by `pattern` (group 1) to the line it first appears on. */
export function keyLines(text: string, pattern: RegExp): Map<string, number> {
  const lines = new Map<string, number>();
  const index = new LineIndex(text);
  const re = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}gm`);
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const key = m[1];
    if (key !== undefined && !lines.has(key)) lines.set(key, index.lineOf(m.index));
  }
  return lines;
}
