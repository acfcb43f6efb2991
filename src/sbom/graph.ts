import type { Ecosystem } from '../core/package-ref.js';

/** Where a component's code came from; `link` covers workspace members and local directories. */
export type SourceKind = 'registry' | 'git' | 'file' | 'link' | 'tarball';

/** prod beats optional beats dev: a component reachable through any prod path is prod. */
export type Scope = 'prod' | 'optional' | 'dev';

/** How a dependant asks for a dependency; decides the scope the dependency inherits. */
export type EdgeKind = 'prod' | 'dev' | 'optional' | 'peer';

export type HashAlgorithm = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512' | 'MD5';

export interface ComponentHash {
  readonly alg: HashAlgorithm;
  /** Lower-case hex. */
  readonly content: string;
}

/** A place in the lockfile, for SARIF locations and error messages. */
export interface LockfileLocation {
  readonly file: string;
  readonly line: number;
}

/** One resolved package version in the graph. */
export interface Component {
  /** Unique within the graph; used as CycloneDX bom-ref. */
  readonly id: string;
  readonly ecosystem: Ecosystem;
  readonly name: string;
  /** Empty when the lockfile does not record one (some local directories). */
  readonly version: string;
  readonly purl: string;
  readonly hashes: readonly ComponentHash[];
  readonly license?: string;
  scope: Scope;
  readonly source: { readonly kind: SourceKind; readonly url?: string };
  /** Shipped inside its dependant's tarball (npm bundleDependencies). */
  readonly bundled?: boolean;
  /**
   * Whether the version runs install scripts, where the lockfile records it (npm's `hasInstallScript`);
   * absent when the format does not say, which the policy treats as unknown.
   */
  readonly installScripts?: boolean;
  readonly location?: LockfileLocation;
}

export interface DependencyEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
}

export type LockfileFormat =
  | 'npm-lock-v1'
  | 'npm-lock-v2'
  | 'npm-lock-v3'
  | 'yarn-v1'
  | 'yarn-berry'
  | 'pnpm-v5'
  | 'pnpm-v6'
  | 'pnpm-v9'
  | 'bun'
  | 'requirements'
  | 'poetry'
  | 'pipfile'
  | 'uv'
  | 'cyclonedx'
  | 'spdx';

/** A lockfile (or SBOM) read into one shape: components, who depends on whom, and the project itself. */
export interface DependencyGraph {
  readonly format: LockfileFormat;
  /** The file as the user named it. */
  readonly file: string;
  readonly root: Component;
  /** Every component except the root, sorted by id. */
  readonly components: readonly Component[];
  readonly edges: readonly DependencyEdge[];
  /** Things the parser could not resolve; a graph with warnings is not complete. */
  readonly warnings: readonly string[];
}
