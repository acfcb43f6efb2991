import { AirlockError } from '../errors.js';

/**
 * JSON with object keys sorted and no whitespace, so the same value always gives the same bytes
 * (what the audit chain hashes). Only plain JSON values are accepted: anything JSON.stringify would
 * silently change or drop (functions, bigint, NaN, cycles) is an error rather than a hash of something else.
 */
export function canonicalJson(value: unknown): string {
  return write(value, new Set());
}

function write(value: unknown, ancestors: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw notJson(`the number ${value}`);
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw notJson(`a ${typeof value}`);
  }
  if (ancestors.has(value)) throw notJson('a cycle');
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      return `[${value.map((item: unknown) => (item === undefined ? 'null' : write(item, ancestors))).join(',')}]`;
    }
    if (value instanceof Date) return JSON.stringify(value.toISOString());
    const entries = Object.keys(value)
      .sort()
      .flatMap((key) => {
        const item = (value as Record<string, unknown>)[key];
        return item === undefined ? [] : [`${JSON.stringify(key)}:${write(item, ancestors)}`];
      });
    return `{${entries.join(',')}}`;
  } finally {
    ancestors.delete(value);
  }
}

function notJson(what: string): AirlockError {
  return new AirlockError('BAD_REQUEST', `cannot write ${what} as canonical JSON`);
}
