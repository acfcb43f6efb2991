import type { ESTree } from 'meriyah';
import type { RuleId } from '../rules.js';
import {
  children,
  constString,
  lineOf,
  memberPath,
  propertyName,
  type AstNode,
  type WalkBudget,
} from './ast.js';
import { isDecoded, scopeOf, type Bindings } from './bindings.js';
import type { EvidenceSource } from './evidence.js';
import type { FileFlag, Signal } from './signals.js';
import * as str from './strings.js';
import { classifyCall, type CallTarget } from './calls.js';
import { classifyAndRecord } from './call-rules.js';

const URL_HOST = /\bhttps?:\/\/([^/\s:'"`]+)/g;
const KNOWN_DOWNLOAD_HOSTS = new Set([
  'registry.npmjs.org',
  'registry.yarnpkg.com',
  'registry.npmmirror.com',
  'nodejs.org',
  'github.com',
  'objects.githubusercontent.com',
]);
const OBFUSCATED_ID = /^_0x[0-9a-f]{3,}$/i;
const ROOTISH = new Set(['/', '../', '../../', '../../../', '~', '~/', 'C:\\', 'C:/']);
const DESTRUCTIVE_TEXT = /\bshutdown\s+-[hr]\b|\brm\s+-rf\s+(?:\/|~|\$HOME)(?:\s|$|\*)|\bformat\s+c:/i;
const MENTION = /(?:^|[\s/'"])([\w.-]+\.(?:sh|bat|cmd|ps1|js|cjs|mjs|exe|dll))\b/g;

/** Second pass over one file: walks the AST and records behaviour signals with line and excerpt. */
export class BehaviourWalker {
  readonly signals: Signal[] = [];
  /** The file names the file-system root, home or parent directories as plain strings. */
  rootish = false;
  readonly flags = new Set<FileFlag>();
  readonly mentions = new Set<string>();
  #readdir = false;
  #overwrite: AstNode | undefined;
  readonly #obfuscatedIds = new Set<string>();
  readonly #addresses = new Set<string>();
  readonly #seen = new Set<string>();
  #firstObfuscated: AstNode | undefined;
  #rotation: AstNode | undefined;
  #geoService: AstNode | undefined;
  #geoTarget = false;
  #aiFlag: AstNode | undefined;
  #profile: AstNode | undefined;
  #githubWrite: AstNode | undefined;
  #blob = false;
  readonly #hosts = new Set<string>();
  readonly #strings = new Set<string>();

  constructor(
    readonly bindings: Bindings,
    private readonly evidence: EvidenceSource,
    private readonly budget: WalkBudget,
  ) {}

  /** Records a signal once per rule and line. */
  signal(rule: RuleId, node: AstNode, topLevel: boolean, detail?: string): void {
    const line = lineOf(node);
    const key = `${rule}:${line}`;
    if (this.#seen.has(key) || this.signals.length > 500) return;
    this.#seen.add(key);
    const excerpt = this.evidence.excerpt(line, node.loc?.start.column ?? 0);
    this.signals.push({
      rule,
      line,
      evidence: excerpt,
      topLevel,
      ...(detail !== undefined ? { detail } : {}),
    });
  }

  has(rule: RuleId): boolean {
    return this.signals.some((s) => s.rule === rule);
  }

  walk(node: AstNode, topLevel: boolean): void {
    this.budget.tick();
    switch (node.type) {
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        this.#inScope(node, () => {
          for (const child of children(node)) this.walk(child, false);
        });
        return;
      case 'CallExpression':
      case 'NewExpression':
        this.#call(node, topLevel);
        // IIFEs, and callbacks handed to a call made at load time, usually run at load time too.
        this.#walkInline(node.callee, topLevel);
        for (const arg of node.arguments) this.#walkInline(arg, topLevel);
        return;
      case 'ImportExpression':
        if (constString(node.source) === undefined && isDecoded(node.source, this.bindings, 'direct'))
          this.signal('decode-and-execute', node, topLevel, 'import() of a decoded module name');
        break;
      case 'Literal':
        if (typeof node.value === 'string') this.#string(node.value, node, topLevel, false);
        return;
      case 'TemplateElement':
        this.#string(node.value.cooked ?? '', node, topLevel, false);
        return;
      case 'BinaryExpression':
        if (node.operator === '+' && node.left.type !== 'BinaryExpression') {
          const folded = constString(node);
          if (folded !== undefined) this.#string(folded, node, topLevel, false);
        }
        break;
      case 'Identifier':
        if (OBFUSCATED_ID.test(node.name)) {
          this.#obfuscatedIds.add(node.name);
          this.#firstObfuscated ??= node;
        }
        return;
      case 'MemberExpression':
        this.#member(node, topLevel);
        break;
      case 'AssignmentExpression':
        this.#assignment(node, topLevel);
        break;
      case 'ForInStatement':
        if (memberPath(node.right) === 'process.env')
          this.signal('env-harvest', node, topLevel, 'for…in over process.env');
        break;
      case 'ImportDeclaration': {
        const target: CallTarget = { module: String(node.source.value), name: '*' };
        if (classifyCall(target) === 'network-library')
          this.signal('network', node, topLevel, `imports ${target.module}`);
        break;
      }
      default:
    }
    const functionDepth = node.type === 'ClassBody' ? false : topLevel;
    for (const child of children(node)) this.walk(child, functionDepth);
  }

  #walkInline(node: AstNode, topLevel: boolean): void {
    if (node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression') {
      this.budget.tick();
      this.#inScope(node, () => {
        for (const child of children(node)) this.walk(child, topLevel);
      });
    } else this.walk(node, topLevel);
  }

  /** Walks a function body in its own taint scope (numbered by the first pass). */
  #inScope(node: AstNode, body: () => void): void {
    const outer = this.bindings.currentScope;
    this.bindings.currentScope = scopeOf(node, this.bindings);
    try {
      body();
    } finally {
      this.bindings.currentScope = outer;
    }
  }

  #string(value: string, node: AstNode, topLevel: boolean, decoded: boolean): void {
    // Each distinct string is classified once per file: bundles repeat the same literals thousands of times.
    if (!decoded) {
      if (this.#strings.has(value)) return;
      if (this.#strings.size < 50_000) this.#strings.add(value);
    }
    if (ROOTISH.has(value)) this.rootish = true;
    if (value.length <= 24 && str.geoTarget(value)) this.#geoTarget = true;
    if (value.length < 4) return;
    const how = decoded ? ' (hidden in an encoded constant)' : '';
    if (/[./:\\~-]/.test(value)) this.#pathLike(value, node, topLevel, how);
    if (str.cryptoAddress(value) && str.entropy(value) > 3.5) this.#addresses.add(value);
    if (decoded) return;
    if (!this.#blob && value.length >= 1024 && (/^[0-9a-fA-F]+$/.test(value) || str.entropy(value) > 5.2)) {
      this.#blob = true;
      this.signal('high-entropy-blob', node, topLevel, `${value.length}-character encoded string`);
    }
    const hidden = str.decodeConstant(value);
    if (hidden !== undefined) {
      this.flags.add('decoded-constants');
      this.#string(hidden, node, topLevel, true);
    }
  }

  /** Rules for strings that look like URLs, paths or command lines. */
  #pathLike(value: string, node: AstNode, topLevel: boolean, how: string): void {
    if (value.includes('://'))
      for (const match of value.matchAll(URL_HOST))
        if (this.#hosts.size < 100) this.#hosts.add((match[1] as string).toLowerCase());
    const exfil = str.exfilEndpoint(value);
    if (exfil !== undefined) this.signal('exfil-endpoint', node, topLevel, `${exfil}${how}`);
    const credential = str.credentialPath(value);
    if (credential !== undefined) this.signal('credential-access', node, topLevel, `${credential}${how}`);
    if (str.geoService(value)) this.#geoService ??= node;
    if (value.includes('--') && str.aiCliUnsafe(value) !== undefined) this.#aiFlag ??= node;
    if (str.shellProfile(value)) this.#profile ??= node;
    if (value.includes('api.github.com') && str.githubApiWrite(value)) this.#githubWrite ??= node;
    if (DESTRUCTIVE_TEXT.test(value))
      this.signal('destructive-fs', node, topLevel, `destructive command text${how}`);
    if (value.length < 300)
      for (const match of value.matchAll(MENTION)) this.mentions.add(match[1] as string);
  }

  #member(node: ESTree.MemberExpression, topLevel: boolean): void {
    if (memberPath(node.object) === 'process.env') {
      const name = propertyName(node);
      if (name !== undefined && str.tokenVariable(name))
        this.signal('token-read', node, topLevel, `process.env.${name}`);
    }
    if (
      node.computed &&
      constString(node.property) === undefined &&
      isDecoded(node.property, this.bindings, 'direct')
    )
      this.#obfuscatedIds.add(`hidden-member:${lineOf(node)}`);
  }

  #assignment(node: ESTree.AssignmentExpression, topLevel: boolean): void {
    const target = node.left.type === 'MemberExpression' ? memberPath(node.left) : undefined;
    if (target === undefined) return;
    if (/(?:^|\.)ethereum\.(?:request|send|sendAsync|enable)$/.test(target))
      this.signal('wallet-hook', node, topLevel, target);
    if (
      /^(?:window|self|globalThis|global)\.fetch$|^XMLHttpRequest\.prototype\.(?:open|send|setRequestHeader)$/.test(
        target,
      )
    )
      this.signal('network-hook', node, topLevel, target);
  }

  #call(node: ESTree.CallExpression | ESTree.NewExpression, topLevel: boolean): void {
    classifyAndRecord(this, node, topLevel);
  }

  /** Notes that the file lists directories / writes small constant content over files. */
  markFrame(kind: 'readdir' | 'overwrite', node: AstNode): void {
    if (kind === 'readdir') this.#readdir = true;
    else this.#overwrite ??= node;
  }

  /** File-level rules that need the whole file seen. */
  finish(): void {
    const anchor = this.#firstObfuscated ?? this.#rotation;
    if (this.#obfuscatedIds.size >= 10 || this.#rotation) {
      const why = this.#rotation
        ? 'rotated string array'
        : `${this.#obfuscatedIds.size} obfuscated identifiers`;
      if (anchor) this.signal('obfuscated-code', anchor, false, why);
    }
    if (this.#addresses.size >= 8) {
      this.signals.push({
        rule: 'crypto-addresses',
        line: 0,
        evidence: [...this.#addresses].slice(0, 3).join(', '),
        topLevel: false,
        detail: `${this.#addresses.size} wallet addresses`,
      });
    }
    if (this.#aiFlag && this.has('child-process'))
      this.signal('ai-cli-abuse', this.#aiFlag, false, 'unsafe AI CLI flags next to child_process');
    if (this.#profile && this.flags.has('writes-file'))
      this.signal('shell-profile-tamper', this.#profile, false, 'names a shell profile and writes files');
    if (this.#geoService && this.#geoTarget)
      this.signal('geo-targeting', this.#geoService, false, 'geo-IP lookup compared with target countries');
    if (this.#readdir && this.#overwrite && this.rootish)
      this.signal(
        'destructive-fs',
        this.#overwrite,
        false,
        'overwrites the files a walk from / or ../ finds',
      );
    if (this.#githubWrite && (this.has('token-read') || this.has('child-process')))
      this.signal(
        'github-exfil',
        this.#githubWrite,
        false,
        'GitHub API writes with a token from the environment',
      );
    const network = this.signals.find((s) => s.rule === 'network');
    if (network && this.flags.has('chmod') && this.flags.has('writes-file') && !this.#onlyKnownHosts())
      this.signals.push({
        ...network,
        rule: 'download-execute',
        detail: 'fetches, writes and runs or chmods a file',
      });
    if (
      this.flags.has('npm-publish') &&
      this.flags.has('writes-package-json') &&
      (this.has('token-read') || this.has('credential-access'))
    )
      this.signals.push({
        rule: 'self-propagation',
        line: 0,
        evidence: 'npm publish + package.json rewrite + npm token',
        topLevel: false,
      });
    for (const s of [...this.signals])
      if (s.rule === 'network' && s.topLevel && !this.has('load-time-network'))
        this.signals.push({ ...s, rule: 'load-time-network' });
  }

  /** Binary installers (esbuild, sharp fallbacks) fetch from the npm registry or release hosts only. */
  #onlyKnownHosts(): boolean {
    if (this.#hosts.size === 0) return false;
    for (const host of this.#hosts) if (!KNOWN_DOWNLOAD_HOSTS.has(host)) return false;
    return true;
  }

  /** Records rotation-style obfuscation (`arr.push(arr.shift())`). */
  rotation(node: AstNode): void {
    this.#rotation ??= node;
  }
}
