import type { DependencyGraph } from '../graph.js';

/** The shortest chain root → … → component for every reachable component, as `name@version` labels. */
export function dependencyPaths(graph: DependencyGraph): Map<string, readonly string[]> {
  const byId = new Map([graph.root, ...graph.components].map((c) => [c.id, c]));
  const label = (id: string) => {
    const c = byId.get(id);
    if (!c) return id;
    return c.version ? `${c.name}@${c.version}` : c.name;
  };
  const out = new Map<string, string[]>();
  for (const e of graph.edges) {
    const list = out.get(e.from);
    if (list) list.push(e.to);
    else out.set(e.from, [e.to]);
  }
  const parent = new Map<string, string>();
  const seen = new Set([graph.root.id]);
  let frontier = [graph.root.id];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const to of out.get(id) ?? []) {
        if (seen.has(to)) continue;
        seen.add(to);
        parent.set(to, id);
        next.push(to);
      }
    }
    frontier = next;
  }
  const paths = new Map<string, readonly string[]>();
  for (const id of seen) {
    const chain: string[] = [];
    for (let at: string | undefined = id; at !== undefined; at = parent.get(at)) chain.push(label(at));
    paths.set(id, chain.reverse());
  }
  return paths;
}
