import type { ESTree } from 'meriyah';
import { baseModule, memberPath, propertyName, requiredModule, type AstNode } from './ast.js';
import type { Bindings } from './bindings.js';

/** What a call expression calls: module (when known) and function name. */
export interface CallTarget {
  readonly module?: string;
  readonly name: string;
  /** `a.b` of the object for member calls on plain objects. */
  readonly object?: string;
}

export type CallKind =
  | 'exec'
  | 'network'
  | 'network-library'
  | 'dns'
  | 'fs-read'
  | 'fs-readdir'
  | 'fs-write'
  | 'fs-delete'
  | 'fs-chmod'
  | 'eval'
  | 'function-constructor'
  | 'vm'
  | 'homedir'
  | 'env-dump'
  | 'other';

const EXEC = new Set([
  'exec',
  'execSync',
  'spawn',
  'spawnSync',
  'execFile',
  'execFileSync',
  'fork',
  'sync',
  'command',
  'commandSync',
]);
const NETWORK_LIBRARIES = new Set([
  'axios',
  'node-fetch',
  'got',
  'request',
  'undici',
  'superagent',
  'needle',
  'phin',
  'ky',
  'cross-fetch',
  'isomorphic-fetch',
  'ws',
]);
const FS_READ = new Set(['readFile', 'readFileSync', 'createReadStream', 'openSync', 'open']);
const FS_READDIR = new Set(['readdir', 'readdirSync', 'opendir', 'opendirSync', 'walk', 'glob', 'globSync']);
const FS_WRITE = new Set([
  'writeFile',
  'writeFileSync',
  'appendFile',
  'appendFileSync',
  'createWriteStream',
  'outputFile',
  'outputFileSync',
  'copyFile',
  'copyFileSync',
]);
const FS_DELETE = new Set([
  'rm',
  'rmSync',
  'rmdir',
  'rmdirSync',
  'unlink',
  'unlinkSync',
  'remove',
  'removeSync',
  'emptyDir',
  'emptyDirSync',
]);
const VM = new Set(['runInThisContext', 'runInNewContext', 'runInContext', 'compileFunction', 'Script']);
const DNS = new Set([
  'lookup',
  'resolve',
  'resolve4',
  'resolve6',
  'resolveTxt',
  'resolveAny',
  'resolveCname',
]);

/** Resolves the callee through what the first pass learned about local names. */
export function callTarget(callee: AstNode, bindings: Bindings): CallTarget | undefined {
  if (callee.type === 'Identifier') {
    const imported = bindings.functions.get(callee.name);
    return imported ?? { name: callee.name };
  }
  if (callee.type !== 'MemberExpression') return undefined;
  const name = propertyName(callee);
  if (name === undefined) return undefined;
  const object = callee.object as AstNode;
  const required = requiredModule(object);
  if (required !== undefined) return { module: baseModule(required), name };
  const path = memberPath(object);
  if (path === undefined) return { name };
  const [head, second] = path.split('.');
  const moduleName = head !== undefined ? bindings.modules.get(head) : undefined;
  if (moduleName !== undefined && (second === undefined || second === 'promises' || second === 'default'))
    return { module: moduleName, name, object: path };
  return { name, object: path };
}

/** Sorts a call into the capability it exercises. */
export function classifyCall(target: CallTarget): CallKind {
  const { module, name, object } = target;
  if (module !== undefined) {
    const base = baseModule(module);
    if (NETWORK_LIBRARIES.has(base)) return 'network-library';
    if (name === '*') return 'other';
    if (base === 'child_process' && (EXEC.has(name) || name === 'default')) return 'exec';
    if (base === 'shelljs' && name === 'exec') return 'exec';
    if (
      (base === 'http' || base === 'https' || base === 'http2') &&
      (name === 'request' || name === 'get' || name === 'connect')
    )
      return 'network';
    if (
      (base === 'net' || base === 'tls') &&
      (name === 'connect' || name === 'createConnection' || name === 'Socket')
    )
      return 'network';
    if (base === 'dgram' && name === 'createSocket') return 'network';
    if (base === 'dns' && DNS.has(name)) return 'dns';
    if (base === 'fs') {
      if (FS_READ.has(name)) return 'fs-read';
      if (FS_READDIR.has(name)) return 'fs-readdir';
      if (FS_WRITE.has(name)) return 'fs-write';
      if (FS_DELETE.has(name)) return 'fs-delete';
      if (name === 'chmod' || name === 'chmodSync') return 'fs-chmod';
    }
    if (base === 'vm' && VM.has(name)) return 'vm';
    if (base === 'os' && (name === 'homedir' || name === 'userInfo')) return 'homedir';
    return 'other';
  }
  if (object === undefined) {
    if (name === 'eval') return 'eval';
    if (name === 'Function') return 'function-constructor';
    if (name === 'fetch' || name === 'WebSocket' || name === 'XMLHttpRequest' || name === 'EventSource')
      return 'network';
    return 'other';
  }
  if (object === 'JSON' && name === 'stringify') return 'env-dump';
  if (
    object === 'Object' &&
    (name === 'keys' || name === 'entries' || name === 'values' || name === 'getOwnPropertyNames')
  )
    return 'env-dump';
  if (
    (object === 'navigator' && name === 'sendBeacon') ||
    ((object === 'window' || object === 'globalThis') && name === 'fetch')
  )
    return 'network';
  return 'other';
}

/** The arguments of a call as nodes (spread elements included as their argument). */
export function argumentNodes(node: ESTree.CallExpression | ESTree.NewExpression): AstNode[] {
  return node.arguments.map((a) => (a.type === 'SpreadElement' ? (a.argument as AstNode) : (a as AstNode)));
}
