import { z } from 'zod';

const units: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Parses `250ms`, `30s`, `5m`, `2h`, `3d`, `1w` (or a bare number of milliseconds). */
export function parseDuration(text: string | number): number {
  if (typeof text === 'number') {
    if (!Number.isFinite(text) || text < 0)
      throw new Error(`invalid duration ${text}: must be a non-negative number`);
    return text;
  }
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$/.exec(text.trim());
  const unit = match?.[2];
  if (!match?.[1] || unit === undefined) {
    throw new Error(`invalid duration "${text}": use a number and a unit, e.g. 30s, 5m, 2h, 3d`);
  }
  return Math.round(Number(match[1]) * (units[unit] ?? 1));
}

/** A zod schema accepting a duration string or milliseconds, producing milliseconds. */
export const durationSchema = z.union([z.string(), z.number()]).transform((value, ctx) => {
  try {
    return parseDuration(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});
