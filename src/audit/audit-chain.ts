import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/** prevHash of the first event. */
export const genesisHash = '0'.repeat(64);

/** The fields an event's hash covers: everything but its id (the chain, not the id, fixes the order). */
export interface ChainedFields {
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  readonly details: unknown;
  readonly prevHash: string;
}

/** sha256 hex over the canonical JSON of the event's fields, which include the previous event's hash. */
export function eventHash(fields: ChainedFields): string {
  const { at, actor, action, subject, details, prevHash } = fields;
  return createHash('sha256')
    .update(canonicalJson({ at, actor, action, subject, details, prevHash }))
    .digest('hex');
}
