import { z } from 'zod';

/** Settings of the attest domain; every key has a safe default. */
export const attestConfigSchema = z.strictObject({}).default({});
