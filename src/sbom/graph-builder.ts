import { AirlockError } from '../errors.js';
import type { Ecosystem } from '../core/package-ref.js';
import { purlOf } from './purl.js';
import type {
  Component,
  ComponentHash,
  DependencyEdge,
  DependencyGraph,
  EdgeKind,
  LockfileFormat,
  LockfileLocation,
  Scope,
  SourceKind,
} from './graph.js';

export interface ComponentInput {
  readonly ecosystem: Ecosystem;
  readonly name: string;
  readonly version: string;
  readonly hashes?: readonly ComponentHash[];
  readonly license?: string;
  readonly source?: { readonly kind: SourceKind; readonly url?: string };
  readonly bundled?: boolean;
  readonly installScripts?: boolean;
  readonly location?: LockfileLocation;
  /** Set when the lockfile states the scope itself and nothing links the component from the root. */
  readonly scope?: Scope;
}

/** Hard cap so a hostile lockfile cannot make the graph unbounded. */
export const maxComponents = 200_000;

const edgeRank: Record<EdgeKind, number> = { prod: 0, peer: 0, optional: 1, dev: 2 };
const rankScope: readonly Scope[] = ['prod', 'optional', 'dev'];

/** Collects components and edges from a parser, merges duplicates and derives every scope from the root. */
export class GraphBuilder {
  readonly #components = new Map<string, Component>();
  readonly #edges = new Map<string, DependencyEdge>();
  readonly #warnings: string[] = [];
  #root: Component | undefined;

  constructor(
    private readonly format: LockfileFormat,
    private readonly file: string,
  ) {}

  /** Adds (or finds) a component and returns its id; the same name, version and source is one component. */
  add(input: ComponentInput): string {
    const kind = input.source?.kind ?? 'registry';
    const id =
      kind === 'registry'
        ? `${input.ecosystem}:${input.name}@${input.version}`
        : `${input.ecosystem}:${input.name}@${input.version}#${kind}:${input.source?.url ?? ''}`;
    const existing = this.#components.get(id);
    if (existing) {
      // The same version can appear several times (nested, bundled); keep whatever each copy knows.
      const hashes = existing.hashes.length > 0 ? existing.hashes : (input.hashes ?? []);
      const bundled = existing.bundled === true && input.bundled === true;
      if (
        hashes !== existing.hashes ||
        bundled !== (existing.bundled === true) ||
        (!existing.location && input.location)
      ) {
        const { bundled: _drop, ...rest } = existing;
        this.#components.set(id, {
          ...rest,
          hashes,
          ...(bundled ? { bundled } : {}),
          ...((existing.location ?? input.location) ? { location: existing.location ?? input.location } : {}),
          ...((existing.license ?? input.license) ? { license: existing.license ?? input.license } : {}),
        });
      }
      return id;
    }
    if (this.#components.size >= maxComponents) {
      throw new AirlockError('LOCKFILE_INVALID', `${this.file}: more than ${maxComponents} components`);
    }
    this.#components.set(id, {
      id,
      ecosystem: input.ecosystem,
      name: input.name,
      version: input.version,
      purl: purlOf(input.ecosystem, input.name, input.version),
      hashes: input.hashes ?? [],
      ...(input.license ? { license: input.license } : {}),
      scope: input.scope ?? 'dev',
      source: input.source ?? { kind: 'registry' },
      ...(input.bundled ? { bundled: true } : {}),
      ...(input.installScripts !== undefined ? { installScripts: input.installScripts } : {}),
      ...(input.location ? { location: input.location } : {}),
    });
    return id;
  }

  /** Declares the project itself; its edges start every scope walk. */
  setRoot(input: ComponentInput): string {
    const id = this.add({ ...input, scope: 'prod' });
    this.#root = this.#components.get(id);
    return id;
  }

  edge(from: string, to: string, kind: EdgeKind): void {
    if (from === to) return;
    const key = `${from}\u0000${to}`;
    const existing = this.#edges.get(key);
    if (!existing || edgeRank[kind] < edgeRank[existing.kind]) this.#edges.set(key, { from, to, kind });
  }

  warn(message: string): void {
    if (this.#warnings.length < 1000) this.#warnings.push(message);
  }

  has(id: string): boolean {
    return this.#components.has(id);
  }

  build(options: { scopesFromLockfile?: boolean } = {}): DependencyGraph {
    const root = this.#root;
    if (!root) throw new AirlockError('INTERNAL', `${this.file}: parser set no root component`);
    if (!options.scopesFromLockfile) this.#deriveScopes(root.id);
    const components = [...this.#components.values()]
      .filter((c) => c.id !== root.id)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const edges = [...this.#edges.values()].sort((a, b) =>
      a.from === b.from ? (a.to < b.to ? -1 : 1) : a.from < b.from ? -1 : 1,
    );
    return { format: this.format, file: this.file, root, components, edges, warnings: [...this.#warnings] };
  }

  // Each component gets the best scope over all paths from the root: a path's scope is its worst edge.
  // Ranks only ever improve and there are three, so the worklist ends even when the graph has cycles.
  #deriveScopes(rootId: string): void {
    const out = new Map<string, DependencyEdge[]>();
    for (const e of this.#edges.values()) {
      const list = out.get(e.from);
      if (list) list.push(e);
      else out.set(e.from, [e]);
    }
    const rank = new Map<string, number>([[rootId, 0]]);
    const work = [rootId];
    while (work.length > 0) {
      const id = work.pop() as string;
      const r = rank.get(id) ?? 2;
      for (const e of out.get(id) ?? []) {
        const next = Math.max(r, edgeRank[e.kind]);
        const seen = rank.get(e.to);
        if (seen === undefined || next < seen) {
          rank.set(e.to, next);
          work.push(e.to);
        }
      }
    }
    const unreachable: string[] = [];
    for (const c of this.#components.values()) {
      const r = rank.get(c.id);
      if (r !== undefined) c.scope = rankScope[r] ?? 'dev';
      else unreachable.push(`${c.name}@${c.version}`);
    }
    if (unreachable.length > 0) {
      this.warn(
        `${unreachable.length} component(s) not reachable from the project root (kept with the scope the lockfile gives): ${unreachable.slice(0, 5).join(', ')}${unreachable.length > 5 ? ', …' : ''}`,
      );
    }
  }
}
