import { z } from 'zod';
import { durationSchema } from '../config/duration.js';

export const gateConfigSchema = z
  .strictObject({
    /** How long a tarball request for a version not yet evaluated waits for its decision. */
    waitForDecisionMs: durationSchema.default(20_000),
    /** Scan workers in this process (0 = HTTP only; `airlock worker` runs them separately). */
    workers: z.number().int().min(0).max(64).default(2),
  })
  .default({ waitForDecisionMs: 20_000, workers: 2 });
