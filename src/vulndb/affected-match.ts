import type { AffectedPackage, RangeEvent } from './advisory.js';
import { versionOrder, type ParsedVersion, type VersionOrder } from './versions/ecosystem-order.js';

/** Event kinds; the numbers are the tie-break order at one version. */
const Kind = { Introduced: 0, Fixed: 1, LastAffected: 2 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];

interface CompiledEvent {
  readonly kind: Kind;
  /** Undefined for `introduced: "0"`, which precedes every version. */
  readonly at: ParsedVersion | undefined;
  readonly text: string;
}

interface CompiledRange {
  /** Sorted by version; at one version `introduced` sorts before `fixed` so the fix wins. */
  readonly events: readonly CompiledEvent[];
  readonly limits: readonly ParsedVersion[];
}

/** An AffectedPackage with its versions parsed and sorted once, so matching is comparisons only. */
export interface CompiledAffected {
  readonly order: VersionOrder;
  readonly exact: readonly ParsedVersion[];
  readonly exactText: ReadonlySet<string>;
  readonly ranges: readonly CompiledRange[];
  /** Fixed versions, ascending, for "fixed in" hints. */
  readonly fixed: readonly CompiledEvent[];
}

/** Parses and sorts the events of every range; applies GHSA's last-known-affected bound to open ranges. */
export function compileAffected(affected: AffectedPackage): CompiledAffected {
  const order = versionOrder(affected.ecosystem);
  const ranges: CompiledRange[] = [];
  const fixed: CompiledEvent[] = [];
  for (const range of affected.ranges) {
    const events: CompiledEvent[] = [];
    const limits: ParsedVersion[] = [];
    for (const event of range.events) {
      const compiled = compileEvent(order, event);
      if (compiled === 'no-limit') continue;
      if ('limit' in compiled) limits.push(compiled.limit);
      else events.push(compiled);
    }
    events.sort((a, b) => compareEvents(order, a, b));
    for (const e of events) if (e.kind === Kind.Fixed) fixed.push(e);
    const last = events[events.length - 1];
    if (last?.kind === Kind.Introduced && affected.lastKnownAffected !== undefined) {
      const bound = /^\s*(<=?)\s*(\S+)\s*$/.exec(affected.lastKnownAffected);
      const at = bound ? order.parseStrict(bound[2]!) : undefined;
      if (bound && at)
        events.push({ kind: bound[1] === '<=' ? Kind.LastAffected : Kind.Fixed, at, text: bound[2]! });
    }
    ranges.push({ events, limits });
  }
  fixed.sort((a, b) => compareEvents(order, a, b));
  const exact: ParsedVersion[] = [];
  for (const v of affected.versions) {
    const parsed = order.parse(v);
    if (parsed) exact.push(parsed);
  }
  return { order, exact, exactText: new Set(affected.versions), ranges, fixed };
}

/** True when `version` (parsed by the same ecosystem's order) is affected: listed, or inside any range. */
export function isAffected(
  compiled: CompiledAffected,
  text: string,
  version: ParsedVersion | undefined,
): boolean {
  if (compiled.exactText.has(text)) return true;
  if (!version) return false;
  const { order } = compiled;
  for (const v of compiled.exact) if (order.compare(v, version) === 0) return true;
  for (const range of compiled.ranges) if (inRange(order, range, version)) return true;
  return false;
}

/** Fixed versions above `version`, the upgrades that leave this advisory behind. */
export function fixesAbove(compiled: CompiledAffected, version: ParsedVersion | undefined): string[] {
  const above = version
    ? compiled.fixed.filter((f) => f.at !== undefined && compiled.order.compare(f.at, version) > 0)
    : compiled.fixed;
  return [...new Set(above.map((f) => f.text))];
}

/** OSV's evaluation: walk the sorted events; the last one at or below the version decides. */
function inRange(order: VersionOrder, range: CompiledRange, version: ParsedVersion): boolean {
  for (const limit of range.limits) if (order.compare(version, limit) >= 0) return false;
  let affected = false;
  for (const event of range.events) {
    const cmp = event.at === undefined ? 1 : order.compare(version, event.at);
    if (event.kind === Kind.Introduced) {
      if (cmp >= 0) affected = true;
      else break;
    } else if (event.kind === Kind.Fixed) {
      if (cmp >= 0) affected = false;
      else break;
    } else if (cmp > 0) affected = false;
    else break;
  }
  return affected;
}

function compileEvent(
  order: VersionOrder,
  event: RangeEvent,
): CompiledEvent | { readonly limit: ParsedVersion } | 'no-limit' {
  if ('limit' in event) {
    const at = event.limit === '*' ? undefined : order.parseStrict(event.limit);
    return at ? { limit: at } : 'no-limit';
  }
  if ('introduced' in event) {
    const at = event.introduced === '0' ? undefined : order.parseStrict(event.introduced);
    return { kind: Kind.Introduced, at, text: event.introduced };
  }
  if ('fixed' in event) return { kind: Kind.Fixed, at: order.parseStrict(event.fixed), text: event.fixed };
  return { kind: Kind.LastAffected, at: order.parseStrict(event.lastAffected), text: event.lastAffected };
}

function compareEvents(order: VersionOrder, a: CompiledEvent, b: CompiledEvent): number {
  if (a.at === undefined || b.at === undefined)
    return a.at === b.at ? a.kind - b.kind : a.at === undefined ? -1 : 1;
  return order.compare(a.at, b.at) || a.kind - b.kind;
}
