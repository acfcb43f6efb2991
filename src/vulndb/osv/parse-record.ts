import { osvRecordSchema } from './osv-schema.js';
import { normalizeOsvRecord, type NormalizeResult } from './normalize.js';

/** Validates an untrusted OSV document and normalises it; the failure reason names the first problem. */
export function parseOsvRecord(value: unknown): NormalizeResult & { readonly id?: string } {
  const parsed = osvRecordSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    const id =
      typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string'
        ? (value as { id: string }).id.slice(0, 128)
        : undefined;
    return {
      ok: false,
      reason: `not an OSV record: ${where}${issue?.message ?? 'invalid'}`,
      ...(id ? { id } : {}),
    };
  }
  return { ...normalizeOsvRecord(parsed.data), id: parsed.data.id };
}
