import type { ESTree } from 'meriyah';
import {
  baseModule,
  children,
  constString,
  memberPath,
  propertyName,
  requiredModule,
  type AstNode,
  type WalkBudget,
} from './ast.js';

/** What the first pass learns about names: which refer to modules, imported functions, decoders, decoded data. */
export interface Bindings {
  /** local name → module (`cp` → `child_process`). */
  readonly modules: Map<string, string>;
  /** local name → module + export (`exec` → child_process.exec). */
  readonly functions: Map<string, { module: string; name: string }>;
  /** Functions whose return value is decoded data (`function e(r){return Buffer.from(r,'hex')…}`). */
  readonly decoders: Set<string>;
  /** Variables that hold decoded or decrypted data. */
  readonly tainted: Set<string>;
  /** Function nodes numbered by the first pass; taint is keyed `<scope>:<name>` so minified names don't collide. */
  readonly scopeIds: WeakMap<AstNode, number>;
  /** The function scope the walk is in (0: the module); both passes keep it current. */
  currentScope: number;
  scopeCount: number;
  /** Variables initialised with an object that carries process.env (`{ env: process.env, host }`). */
  readonly envHolders: Set<string>;
  /** Relative modules this file loads (`./lib/x`). */
  readonly localRequires: string[];
  /** False when the source names no decoding API at all: the taint scans are skipped. */
  readonly mayDecode: boolean;
}

const DECODE_CALLS = new Set(['atob', 'unescape', 'decodeURIComponent', 'decodeURI']);
const DECODE_MEMBERS = new Set([
  'String.fromCharCode',
  'String.fromCodePoint',
  'zlib.inflateSync',
  'zlib.gunzipSync',
  'zlib.brotliDecompressSync',
  'zlib.inflateRawSync',
  'crypto.createDecipher',
  'crypto.createDecipheriv',
]);
const DECODE_ENCODINGS = new Set(['base64', 'hex', 'base64url']);
const MAX_SCAN = 400;
// A cheap text test before any taint work; the AST rules decide, this only skips files that cannot match.
const DECODE_HINT =
  /fromCharCode|fromCodePoint|base64|['"`]hex['"`]|atob|createDecipher|inflate|gunzip|brotliDecompress|unescape|decodeURI/;

/** Whether an expression produces decoded data: decoding calls, decoder functions, tainted variables. */
/** `direct`: only decoding calls right there; `named`: also tainted names of 3+ letters; `all`: any tainted name. */
export type TaintMode = 'direct' | 'named' | 'all';

export function isDecoded(node: AstNode, bindings: Bindings, mode: TaintMode = 'named'): boolean {
  if (!bindings.mayDecode) return false;
  const stack: AstNode[] = [node];
  let seen = 0;
  while (stack.length > 0 && seen++ < MAX_SCAN) {
    const current = stack.pop() as AstNode;
    // Taint is tracked by name, not scope: minifiers reuse one- and two-letter names in every function,
    // so by default those only count for the strong sinks' co-occurrence rules (`all`).
    if (
      mode !== 'direct' &&
      current.type === 'Identifier' &&
      (mode === 'all' || current.name.length > 2) &&
      (bindings.tainted.has(`${bindings.currentScope}:${current.name}`) ||
        bindings.tainted.has(`0:${current.name}`))
    )
      return true;
    if (current.type === 'CallExpression' || current.type === 'NewExpression') {
      if (isDecodeCall(current, bindings)) return true;
    }
    if (current.type === 'FunctionExpression' || current.type === 'ArrowFunctionExpression') continue;
    stack.push(...children(current));
  }
  return false;
}

function isDecodeCall(node: ESTree.CallExpression | ESTree.NewExpression, bindings: Bindings): boolean {
  const callee = node.callee as AstNode;
  if (callee.type === 'Identifier') {
    if (DECODE_CALLS.has(callee.name) || bindings.decoders.has(callee.name)) return true;
    const imported = bindings.functions.get(callee.name);
    if (imported && DECODE_MEMBERS.has(`${imported.module}.${imported.name}`)) return true;
  }
  const path = callee.type === 'MemberExpression' ? memberPath(callee) : undefined;
  if (path === undefined) return false;
  const [head, ...rest] = path.split('.');
  const moduleName = head !== undefined ? bindings.modules.get(head) : undefined;
  const canonical = moduleName !== undefined ? [moduleName, ...rest].join('.') : path;
  if (DECODE_MEMBERS.has(canonical)) return true;
  if (canonical === 'Buffer.from' || canonical === 'Buffer') {
    const encoding = constString(node.arguments[1]);
    return encoding !== undefined && DECODE_ENCODINGS.has(encoding);
  }
  return false;
}

function bindPattern(id: AstNode, init: AstNode, bindings: Bindings): void {
  const required =
    requiredModule(init) ?? (init.type === 'MemberExpression' ? moduleOfMember(init, bindings) : undefined);
  if (id.type === 'Identifier') {
    if (required !== undefined) bindings.modules.set(id.name, baseModule(required));
    else if (init.type === 'MemberExpression') {
      const owner = memberPath(init.object);
      const moduleName = owner !== undefined ? bindings.modules.get(owner) : undefined;
      const name = propertyName(init);
      if (moduleName !== undefined && name !== undefined)
        bindings.functions.set(id.name, { module: moduleName, name });
    }
    if (
      (init.type === 'FunctionExpression' || init.type === 'ArrowFunctionExpression') &&
      returnsDecoded(init, bindings)
    )
      bindings.decoders.add(id.name);
    else if (isDecoded(init, bindings)) bindings.tainted.add(`${bindings.currentScope}:${id.name}`);
  } else if (id.type === 'ObjectPattern' && required !== undefined) {
    for (const property of id.properties) {
      if (property.type !== 'Property' || property.value.type !== 'Identifier') continue;
      const name = property.key.type === 'Identifier' ? property.key.name : constString(property.key);
      if (name !== undefined)
        bindings.functions.set(property.value.name, { module: baseModule(required), name });
    }
  }
}

/** `require('fs').promises` → fs. */
function moduleOfMember(node: ESTree.MemberExpression, bindings: Bindings): string | undefined {
  const object = node.object as AstNode;
  const required = requiredModule(object);
  if (required !== undefined) return propertyName(node) === 'promises' ? required : undefined;
  if (object.type === 'Identifier' && propertyName(node) === 'promises')
    return bindings.modules.get(object.name);
  return undefined;
}

function returnsDecoded(
  fn: ESTree.FunctionDeclaration | ESTree.FunctionExpression | ESTree.ArrowFunctionExpression,
  bindings: Bindings,
): boolean {
  if (fn.body === null || fn.body === undefined) return false;
  if (fn.body.type !== 'BlockStatement') return isDecoded(fn.body, bindings);
  for (const statement of fn.body.body)
    if (statement.type === 'ReturnStatement' && statement.argument && isDecoded(statement.argument, bindings))
      return true;
  return false;
}

/** First pass: module aliases, imported names, decoder functions and decoded variables (two rounds to settle). */
export function collectBindings(program: AstNode, budget: WalkBudget, source: string): Bindings {
  const bindings: Bindings = {
    modules: new Map(),
    functions: new Map(),
    decoders: new Set(),
    tainted: new Set(),
    scopeIds: new WeakMap(),
    currentScope: 0,
    scopeCount: 0,
    envHolders: new Set(),
    mayDecode: DECODE_HINT.test(source),
    localRequires: [],
  };
  // A second round only matters when the first found decoding (decoders can taint earlier code).
  for (
    let round = 0;
    round < 2 && (round === 0 || bindings.decoders.size + bindings.tainted.size > 0);
    round++
  ) {
    const stack: { node: AstNode; scope: number }[] = [{ node: program, scope: 0 }];
    while (stack.length > 0) {
      const { node, scope } = stack.pop() as { node: AstNode; scope: number };
      budget.tick();
      bindings.currentScope = scope;
      visitBinding(node, bindings, round === 0);
      const inner = isFunction(node) ? scopeOf(node, bindings) : scope;
      const kids = children(node);
      for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i] as AstNode, scope: inner });
    }
  }
  bindings.currentScope = 0;
  return bindings;
}

const isFunction = (node: AstNode): boolean =>
  node.type === 'FunctionDeclaration' ||
  node.type === 'FunctionExpression' ||
  node.type === 'ArrowFunctionExpression';

/** The scope number of a function node, assigned on first sight. */
export function scopeOf(node: AstNode, bindings: Bindings): number {
  let id = bindings.scopeIds.get(node);
  if (id === undefined) {
    id = ++bindings.scopeCount;
    bindings.scopeIds.set(node, id);
  }
  return id;
}

function visitBinding(node: AstNode, bindings: Bindings, firstRound: boolean): void {
  switch (node.type) {
    case 'ImportDeclaration': {
      const source = String(node.source.value);
      if (firstRound && source.startsWith('.')) bindings.localRequires.push(source);
      for (const spec of node.specifiers) {
        if (spec.type === 'ImportSpecifier') {
          const name = spec.imported.type === 'Identifier' ? spec.imported.name : String(spec.imported.value);
          bindings.functions.set(spec.local.name, { module: baseModule(source), name });
        } else bindings.modules.set(spec.local.name, baseModule(source));
      }
      return;
    }
    case 'CallExpression': {
      const required = firstRound ? requiredModule(node) : undefined;
      if (required?.startsWith('.')) bindings.localRequires.push(required);
      return;
    }
    case 'VariableDeclarator':
      if (node.init) bindPattern(node.id, node.init, bindings);
      if (node.id.type === 'Identifier' && node.init?.type === 'ObjectExpression') {
        const carriesEnv = node.init.properties.some(
          (p) => p.type === 'Property' && memberPath(p.value) === 'process.env',
        );
        if (carriesEnv) bindings.envHolders.add(node.id.name);
      }
      return;
    case 'AssignmentExpression':
      if (node.left.type === 'Identifier') bindPattern(node.left, node.right, bindings);
      return;
    case 'FunctionDeclaration':
      if (node.id && returnsDecoded(node, bindings)) bindings.decoders.add(node.id.name);
      return;
    default:
  }
}
