import { z } from 'zod';

/** Strips defaults, optionals and pipes so the object schema underneath can be inspected. */
export function unwrapSchema(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  for (;;) {
    if (
      current instanceof z.ZodDefault ||
      current instanceof z.ZodOptional ||
      current instanceof z.ZodNullable
    ) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      current = current.in as z.ZodType;
    } else {
      return current;
    }
  }
}

/** The object schema found at `path` inside `root`, if there is one. */
export function objectAt(root: z.ZodType, path: readonly PropertyKey[]): z.ZodObject | undefined {
  let current = unwrapSchema(root);
  for (const key of path) {
    if (!(current instanceof z.ZodObject)) return undefined;
    const next = (current.shape as Record<string, z.ZodType | undefined>)[String(key)];
    if (!next) return undefined;
    current = unwrapSchema(next);
  }
  return current instanceof z.ZodObject ? current : undefined;
}

/** Every leaf key path of an object schema, e.g. [['server','port'], ['database','url'], ...]. */
export function leafPaths(root: z.ZodType, prefix: string[] = []): { path: string[]; schema: z.ZodType }[] {
  const inner = unwrapSchema(root);
  if (!(inner instanceof z.ZodObject)) return [{ path: prefix, schema: inner }];
  const out: { path: string[]; schema: z.ZodType }[] = [];
  const shape: Record<string, z.ZodType> = inner.shape;
  for (const [key, child] of Object.entries(shape)) {
    out.push(...leafPaths(child, [...prefix, key]));
  }
  return out;
}
