import { parse, type ESTree } from 'meriyah';
import { BudgetExceeded, WalkBudget } from './ast.js';
import { collectBindings } from './bindings.js';
import { EvidenceSource } from './evidence.js';
import { BehaviourWalker } from './file-analysis.js';
import type { FileReport } from './signals.js';

/** Per-file bounds: what we parse at all, and how long we may spend on it. */
export interface FileBudget {
  readonly maxParseBytes: number;
  readonly timeMs: number;
  readonly maxNodes: number;
}

export const defaultFileBudget: FileBudget = {
  maxParseBytes: 4 * 1024 * 1024,
  timeMs: 2_000,
  maxNodes: 3_000_000,
};

function parseProgram(source: string, moduleFirst: boolean): ESTree.Program {
  const common = { loc: true, next: true, webcompat: true, jsx: false, validateRegex: false } as const;
  const attempts = moduleFirst
    ? [{ sourceType: 'module' as const }, { sourceType: 'script' as const, globalReturn: true }]
    : [
        { sourceType: 'script' as const, globalReturn: true },
        { sourceType: 'module' as const },
        { sourceType: 'script' as const, globalReturn: true, jsx: true },
      ];
  let lastError: unknown;
  for (const attempt of attempts) {
    try {
      return parse(source, { ...common, ...attempt });
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

/** Parses one JavaScript file and reports its behaviour signals; never throws on hostile input. */
export function analyzeJavaScript(
  path: string,
  source: string,
  budget: FileBudget = defaultFileBudget,
): FileReport {
  const empty = { path, signals: [], flags: [], localRequires: [], mentions: [] };
  if (source.length > budget.maxParseBytes)
    return { ...empty, parsed: false, incomplete: `${source.length} characters, over the parse limit` };
  const deadline = performance.now() + budget.timeMs;
  let program: ESTree.Program;
  try {
    // A shebang line is legal in Node entry files but not in the grammar.
    const text = source.startsWith('#!') ? `//${source.slice(2)}` : source;
    program = parseProgram(text, path.endsWith('.mjs') || /\b(?:import|export)\b/.test(text.slice(0, 5000)));
  } catch (error) {
    const message =
      error instanceof RangeError
        ? 'nesting too deep to parse'
        : String((error as Error).message ?? error).slice(0, 120);
    return { ...empty, parsed: false, incomplete: `parse error: ${message}` };
  }
  if (performance.now() > deadline)
    return { ...empty, parsed: true, incomplete: 'per-file time budget spent parsing' };
  const walkBudget = new WalkBudget(deadline, budget.maxNodes);
  const bindings = collectBindingsSafely(program, walkBudget, source);
  if (typeof bindings === 'string') return { ...empty, parsed: true, incomplete: bindings };
  const walker = new BehaviourWalker(bindings, new EvidenceSource(source), walkBudget);
  let incomplete: string | undefined;
  try {
    walker.walk(program, true);
  } catch (error) {
    if (error instanceof BudgetExceeded) incomplete = error.reason;
    else if (error instanceof RangeError) incomplete = 'syntax tree too deep to walk';
    else throw error;
  }
  walker.finish();
  return {
    path,
    signals: walker.signals,
    flags: [...walker.flags],
    localRequires: bindings.localRequires,
    mentions: [...walker.mentions],
    parsed: true,
    ...(incomplete !== undefined ? { incomplete } : {}),
  };
}

function collectBindingsSafely(program: ESTree.Program, budget: WalkBudget, source: string) {
  try {
    return collectBindings(program, budget, source);
  } catch (error) {
    if (error instanceof BudgetExceeded) return error.reason;
    if (error instanceof RangeError) return 'syntax tree too deep to walk';
    throw error;
  }
}
