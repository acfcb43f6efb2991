import type { DependencyGraph } from '../graph.js';

/** A graph as short strings, so fixture tests can assert exact component sets and edges. */
export function summarise(graph: DependencyGraph): { components: string[]; edges: string[] } {
  const byId = new Map([graph.root, ...graph.components].map((c) => [c.id, c]));
  const label = (id: string) => {
    const c = byId.get(id);
    return c ? `${c.name}@${c.version}` : `?${id}`;
  };
  return {
    components: graph.components.map(
      (c) => `${c.name}@${c.version} ${c.scope} ${c.source.kind}${c.hashes.length ? ' #' : ''}`,
    ),
    edges: graph.edges
      .map((e) => `${label(e.from)} > ${label(e.to)}${e.kind === 'prod' ? '' : ` (${e.kind})`}`)
      .sort(),
  };
}
