import { z } from 'zod';

/** Settings of the vulndb domain; every key has a safe default. */
export const vulndbConfigSchema = z.strictObject({}).default({});
