import type { Selectable } from 'kysely';
import type { AuditVerification } from '../store/ports.js';
import type { AuditEventsTable } from '../store/tables.js';
import { eventHash, genesisHash } from './audit-chain.js';

type Row = Selectable<AuditEventsTable>;

/**
 * Checks stored events in id order: each must hash to its stored hash (else it was edited) and
 * point at the previous event's hash (else events before it were deleted, inserted or reordered).
 */
export async function verifyChain(batches: AsyncIterable<readonly Row[]>): Promise<AuditVerification> {
  let events = 0;
  let previous: Row | undefined;
  for await (const batch of batches) {
    for (const row of batch) {
      const problem = linkProblem(row, previous) ?? contentProblem(row);
      if (problem) return { intact: false, events, firstBadId: row.id, problem };
      events += 1;
      previous = row;
    }
  }
  return { intact: true, events, lastHash: previous?.hash ?? genesisHash };
}

function linkProblem(row: Row, previous: Row | undefined): string | undefined {
  if (!previous) {
    return row.prev_hash === genesisHash
      ? undefined
      : `event ${row.id} is the first event but does not start the chain: earlier events were deleted`;
  }
  if (row.prev_hash === previous.hash) return undefined;
  return `event ${row.id} does not follow event ${previous.id}: its prevHash is not that event's hash, so an event between them was deleted or event ${previous.id} was rewritten`;
}

function contentProblem(row: Row): string | undefined {
  let details: unknown;
  try {
    details = JSON.parse(row.details_json);
  } catch {
    return `event ${row.id} was edited: its details are not valid JSON any more`;
  }
  const expected = eventHash({
    at: row.at,
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    details,
    prevHash: row.prev_hash,
  });
  return expected === row.hash
    ? undefined
    : `event ${row.id} was edited: its content no longer matches its hash`;
}
