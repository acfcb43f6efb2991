import { z } from 'zod';

/** Settings of the policy domain; every key has a safe default. */
export const policyConfigSchema = z.strictObject({}).default({});
