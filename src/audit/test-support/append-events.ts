/**
 * Test helper run as its own process: appends events to the audit log of another process's database,
 * so tests can show appends from several processes keep one intact chain.
 * Usage: node --import tsx append-events.ts <url> <schema|-> <count> <actor>
 * Prints `ready` once connected and starts appending when a line arrives on stdin, so that
 * several children really append at the same time.
 */
import { once } from 'node:events';
import { openDatabase } from '../../store/database.js';
import { SqlAuditLog } from '../audit-log-sql.js';

const [url = '', schemaArg = '-', countArg = '10', actor = 'child'] = process.argv.slice(2);
const database = await openDatabase({ url, schema: schemaArg === '-' ? undefined : schemaArg, poolSize: 2 });
try {
  const log = new SqlAuditLog(database);
  process.stdout.write('ready\n');
  await once(process.stdin, 'data');
  for (let i = 0; i < Number(countArg); i += 1) {
    await log.append({ actor, action: 'test.append', subject: `test:${actor}:${i}`, details: { i } });
  }
} finally {
  await database.close();
}
