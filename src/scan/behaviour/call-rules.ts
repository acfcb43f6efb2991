import type { ESTree } from 'meriyah';
import { constString, memberPath, propertyName, requiredModule, textOf, type AstNode } from './ast.js';
import { isDecoded } from './bindings.js';
import { argumentNodes, callTarget, classifyCall } from './calls.js';
import type { BehaviourWalker } from './file-analysis.js';
import * as str from './strings.js';

type Call = ESTree.CallExpression | ESTree.NewExpression;

/** Applies the call rules (exec, network, fs, eval, env) to one call and records what it finds. */
export function classifyAndRecord(walker: BehaviourWalker, node: Call, topLevel: boolean): void {
  const bindings = walker.bindings;
  const args = argumentNodes(node);
  const callee = node.callee as AstNode;

  // Calls through a decoded member name hide what they call: `f[e("5f636f6d70696c65")](a)`.
  if (callee.type === 'MemberExpression' && callee.computed && constString(callee.property) === undefined) {
    if (isDecoded(callee.property, bindings, 'direct'))
      walker.signal('decode-and-execute', node, topLevel, 'calls a method whose name is decoded at run time');
  }
  if (
    callee.type === 'MemberExpression' &&
    propertyName(callee) === '_compile' &&
    args[0] &&
    constString(args[0]) === undefined
  )
    walker.signal('module-compile', node, topLevel, 'module._compile of computed source');
  if (node.type === 'NewExpression' && memberPath(callee) === 'module.constructor')
    walker.signal('module-compile', node, topLevel, 'new module.constructor()');
  if (
    callee.type === 'MemberExpression' &&
    propertyName(callee) === 'push' &&
    args[0]?.type === 'CallExpression'
  ) {
    const inner = args[0].callee;
    // The obfuscator's rotation moves elements of one array to its own end: `a.push(a.shift())`.
    const same =
      memberPath(callee.object) !== undefined &&
      memberPath(callee.object) ===
        (inner.type === 'MemberExpression' ? memberPath(inner.object) : undefined);
    if (inner.type === 'MemberExpression' && propertyName(inner) === 'shift' && same) walker.rotation(node);
  }
  if (memberPath(callee) === 'Object.defineProperty' && constString(args[1]) === 'ethereum')
    walker.signal('wallet-hook', node, topLevel, 'redefines window.ethereum');

  if (
    requiredModule(node) === undefined &&
    isRequireCall(callee) &&
    args[0] &&
    constString(args[0]) === undefined &&
    isDecoded(args[0], bindings, 'direct')
  )
    walker.signal('decode-and-execute', node, topLevel, 'require() of a decoded module name');

  const target = callTarget(callee, bindings);
  if (!target) return;
  const kind = classifyCall(target);
  const label = `${target.module ? `${target.module}.` : target.object ? `${target.object}.` : ''}${target.name}`;
  switch (kind) {
    case 'exec':
      execCall(walker, node, args, topLevel, label);
      return;
    case 'network':
    case 'network-library':
      walker.signal('network', node, topLevel, label);
      if (args.some((a) => memberPath(a) === 'process.env'))
        walker.signal('env-harvest', node, topLevel, 'sends process.env');
      return;
    case 'dns':
      walker.signal('network', node, topLevel, label);
      if (
        args[0] &&
        constString(args[0]) === undefined &&
        (args[0].type === 'TemplateLiteral' || args[0].type === 'BinaryExpression')
      )
        walker.signal('dns-exfil', node, topLevel, 'DNS lookup of a name built from data');
      return;
    case 'fs-readdir':
      walker.markFrame('readdir', node);
      return;
    case 'fs-write': {
      walker.flags.add('writes-file');
      const path = args[0] ? textOf(args[0]) : '';
      if (str.shellProfile(path))
        walker.signal('shell-profile-tamper', node, topLevel, `writes ${path.trim().slice(0, 60)}`);
      if (/package\.json/.test(path)) walker.flags.add('writes-package-json');
      const content = args[1];
      const written = content ? constString(content) : undefined;
      // Placeholders (`{}`, `[]`, empty) are how installers create files, not how wipers overwrite them.
      const placeholder = written !== undefined && /^\s*(?:\{\s*\}|\[\s*\]|)\s*$/.test(written);
      if (
        (written !== undefined && written.length <= 32 && !placeholder) ||
        (content && isDecoded(content, bindings, 'all'))
      )
        walker.markFrame('overwrite', node);
      return;
    }
    case 'fs-delete': {
      const path = args[0] ? constString(args[0]) : undefined;
      if (path !== undefined && ['/', '~', 'C:\\', '/home', '/Users'].includes(path))
        walker.signal('destructive-fs', node, topLevel, `deletes ${path}`);
      return;
    }
    case 'fs-chmod':
      walker.flags.add('chmod');
      return;
    case 'eval':
    case 'vm':
      evalSink(walker, node, args[0], topLevel, label);
      return;
    case 'function-constructor':
      evalSink(walker, node, args[args.length - 1], topLevel, 'Function');
      return;
    case 'env-dump':
      if (
        args.some(
          (a) =>
            memberPath(a) === 'process.env' || (a.type === 'Identifier' && bindings.envHolders.has(a.name)),
        )
      )
        walker.signal('env-harvest', node, topLevel, `${label}(process.env)`);
      return;
    default:
  }
}

function isRequireCall(callee: AstNode): boolean {
  return (
    (callee.type === 'Identifier' && callee.name === 'require') ||
    (callee.type === 'MemberExpression' && propertyName(callee) === 'require')
  );
}

function evalSink(
  walker: BehaviourWalker,
  node: Call,
  code: AstNode | undefined,
  topLevel: boolean,
  label: string,
): void {
  if (!code || constString(code) !== undefined) return;
  if (isDecoded(code, walker.bindings))
    walker.signal('decode-and-execute', node, topLevel, `${label} of decoded data`);
  else walker.signal('dynamic-eval', node, topLevel, label);
}

function execCall(
  walker: BehaviourWalker,
  node: Call,
  args: AstNode[],
  topLevel: boolean,
  label: string,
): void {
  walker.signal('child-process', node, topLevel, label);
  const text = args.map((a) => textOf(a)).join(' ');
  if (str.downloadAndRun(text)) walker.signal('shell-download-exec', node, topLevel, text.slice(0, 100));
  const ai = str.aiCliUnsafe(text);
  if (ai !== undefined) walker.signal('ai-cli-abuse', node, topLevel, ai);
  if (str.npmPublish(text)) walker.flags.add('npm-publish');
  if (/\bgh\s+auth\s+token\b|\bnpm\s+token\b/.test(text))
    walker.signal('token-read', node, topLevel, 'asks a CLI for its token');
  if (str.shellProfile(text) && />>/.test(text))
    walker.signal('shell-profile-tamper', node, topLevel, 'appends to a shell profile');
  if (args.some((a) => isDecoded(a, walker.bindings)))
    walker.signal('decode-and-execute', node, topLevel, `${label} of decoded data`);
}
