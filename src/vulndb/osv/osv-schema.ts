import { z } from 'zod';

/**
 * The parts of an OSV record (https://ossf.github.io/osv-schema/) that matching needs. zod objects drop keys
 * they do not name, so nothing from the hostile input reaches our objects unvalidated (no `__proto__` games).
 */
const text = (max: number) => z.string().max(max);

const eventSchema = z
  .object({
    introduced: text(256).optional(),
    fixed: text(256).optional(),
    last_affected: text(256).optional(),
    limit: text(256).optional(),
  })
  .refine(
    (e) => [e.introduced, e.fixed, e.last_affected, e.limit].filter((x) => x !== undefined).length === 1,
    {
      message: 'each range event has exactly one of introduced, fixed, last_affected, limit',
    },
  );

const rangeSchema = z.object({
  type: text(64),
  repo: text(2048).optional(),
  events: z.array(eventSchema).max(1000),
  database_specific: z.object({ last_known_affected_version_range: text(256).optional() }).optional(),
});

const affectedSchema = z.object({
  package: z
    .object({
      ecosystem: text(128),
      name: text(512),
      purl: text(2048).optional(),
    })
    .optional(),
  ranges: z.array(rangeSchema).max(1000).optional(),
  versions: z.array(text(256)).max(100_000).optional(),
  database_specific: z
    .object({ last_known_affected_version_range: text(256).optional() })
    .optional()
    .catch(undefined),
});

const severitySchema = z.object({ type: text(64), score: text(1024) });

export const osvRecordSchema = z.object({
  schema_version: text(32).optional(),
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'id must be an OSV identifier'),
  modified: text(64),
  published: text(64).optional(),
  withdrawn: text(64).optional(),
  aliases: z
    .array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/))
    .max(200)
    .optional(),
  summary: text(4096).optional(),
  details: z.string().optional(),
  severity: z.array(severitySchema).max(20).optional(),
  affected: z.array(affectedSchema).max(10_000).optional(),
  references: z
    .array(z.object({ type: text(64), url: text(4096) }))
    .max(2000)
    .optional()
    .catch(undefined),
  database_specific: z
    .object({
      severity: text(32).optional(),
      cwe_ids: z.array(text(64)).max(100).optional(),
    })
    .optional()
    .catch(undefined),
});

export type OsvRecord = z.output<typeof osvRecordSchema>;
export type OsvAffected = z.output<typeof affectedSchema>;
export type OsvEvent = z.output<typeof eventSchema>;
