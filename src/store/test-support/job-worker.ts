/**
 * Test helper run as its own process: a worker that claims `test.slow` jobs and never finishes them,
 * so a test can kill it mid-job. Prints `started <jobId> <workerId>` when a job begins.
 * Usage: node --import tsx job-worker.ts <url> <schema|-> <leaseMs>
 */
import { openDatabase } from '../database.js';
import { SqlJobQueue } from '../job-queue-sql.js';
import { JobRunner } from '../job-runner.js';

const [url = '', schemaArg = '-', leaseArg = '1000'] = process.argv.slice(2);
const database = await openDatabase({ url, schema: schemaArg === '-' ? undefined : schemaArg, poolSize: 2 });
const runner = new JobRunner({
  queue: new SqlJobQueue(database),
  leaseMs: Number(leaseArg),
  pollIntervalMs: 50,
  handlers: {
    'test.slow': (job) => {
      process.stdout.write(`started ${job.id} ${runner.workerId}\n`);
      // Work that outlives the worker: the test kills this process while it waits here.
      return new Promise<void>(() => setInterval(() => undefined, 1_000));
    },
  },
});
runner.start();
