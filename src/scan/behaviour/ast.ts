import type { ESTree } from 'meriyah';

/** Any ESTree node, looked at structurally (hostile code produces every shape the grammar allows). */
export type AstNode = ESTree.Node;

/** Raised when a file runs out of its node or time budget; the caller records `scan-incomplete`. */
export class BudgetExceeded extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** Budget shared by the walks over one file. */
export class WalkBudget {
  #nodes = 0;
  constructor(
    private readonly deadline: number,
    private readonly maxNodes: number,
  ) {}
  tick(): void {
    this.#nodes++;
    if (this.#nodes > this.maxNodes) throw new BudgetExceeded(`more than ${this.maxNodes} syntax nodes`);
    if ((this.#nodes & 2047) === 0 && performance.now() > this.deadline)
      throw new BudgetExceeded('per-file time budget');
  }
}

const SKIP_KEYS = new Set(['loc', 'range', 'start', 'end', 'type', 'raw']);

/** Direct child nodes in source order. */
export function children(node: AstNode): AstNode[] {
  const out: AstNode[] = [];
  const record = node as unknown as Record<string, unknown>;
  for (const key of childKeys(node.type, record)) {
    const value = record[key];
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) out.push(item);
    } else if (isNode(value)) out.push(value);
  }
  return out;
}

// The parser gives every node of one type the same keys, so the keys that may hold children are
// computed once per type (the walk is the hot loop of the whole scan).
const CHILD_KEYS = new Map<string, string[]>();

function childKeys(type: string, record: Record<string, unknown>): string[] {
  let keys = CHILD_KEYS.get(type);
  if (keys === undefined) {
    keys = Object.keys(record).filter((k) => !SKIP_KEYS.has(k));
    CHILD_KEYS.set(type, keys);
  }
  return keys;
}

function isNode(value: unknown): value is AstNode {
  return (
    typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string'
  );
}

export const lineOf = (node: AstNode): number => node.loc?.start.line ?? 0;

/** The string a constant expression evaluates to: literals, plain templates, `+` of constants. */
export function constString(node: AstNode | null | undefined, depth = 0): string | undefined {
  if (!node || depth > 64) return undefined;
  if (node.type === 'Literal') return typeof node.value === 'string' ? node.value : undefined;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0)
    return node.quasis[0]?.value.cooked ?? undefined;
  if (node.type === 'BinaryExpression' && node.operator === '+') {
    const left = constString(node.left, depth + 1);
    const right = left === undefined ? undefined : constString(node.right, depth + 1);
    return left !== undefined && right !== undefined ? left + right : undefined;
  }
  return undefined;
}

/** Every string fragment inside an expression, joined: enough to read a command line built with templates. */
export function textOf(node: AstNode, limit = 500): string {
  const parts: string[] = [];
  const stack: AstNode[] = [node];
  let seen = 0;
  while (stack.length > 0 && seen++ < limit) {
    const current = stack.pop() as AstNode;
    if (current.type === 'Literal' && typeof current.value === 'string') parts.push(current.value);
    else if (current.type === 'TemplateElement') parts.push(current.value.cooked ?? '');
    else stack.push(...children(current).reverse());
  }
  return parts.join(' ');
}

/** `a.b.c` for member chains of plain names, else undefined. */
export function memberPath(node: AstNode, depth = 0): string | undefined {
  if (depth > 8) return undefined;
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'ThisExpression') return 'this';
  if (node.type === 'MemberExpression') {
    const object = memberPath(node.object, depth + 1);
    const property = propertyName(node);
    return object !== undefined && property !== undefined ? `${object}.${property}` : undefined;
  }
  return undefined;
}

/** The property name of `a.b` or `a['b']`. */
export function propertyName(node: ESTree.MemberExpression): string | undefined {
  if (!node.computed && node.property.type === 'Identifier') return node.property.name;
  return constString(node.property);
}

/** `require('x')` → 'x'. */
export function requiredModule(node: AstNode): string | undefined {
  if (node.type !== 'CallExpression') return undefined;
  const callee = node.callee;
  const isRequire =
    (callee.type === 'Identifier' && callee.name === 'require') ||
    (callee.type === 'MemberExpression' && propertyName(callee) === 'require');
  return isRequire ? constString(node.arguments[0]) : undefined;
}

/** `node:fs` and `fs/promises` name the same capability as `fs`. */
export function baseModule(specifier: string): string {
  const name = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  if (name === 'fs/promises' || name === 'fs-extra' || name === 'graceful-fs') return 'fs';
  if (name === 'dns/promises') return 'dns';
  if (name === 'child_process' || name === 'cross-spawn' || name === 'execa') return 'child_process';
  return name;
}
