import { z } from 'zod';

/** Settings of the scan domain; every key has a safe default. */
export const scanConfigSchema = z.strictObject({}).default({});
