import { parentPort } from 'node:worker_threads';
import { analyzeContents } from '../content/analyze-contents.js';
import type { ScanJobMessage, ScanResultMessage } from './messages.js';

// Entry of each scan worker thread: CPU-heavy parsing stays off the main event loop.
parentPort?.on('message', (job: ScanJobMessage) => {
  let result: ScanResultMessage;
  try {
    result = { id: job.id, ok: true, report: analyzeContents(job.tarball, job.budget, job.priority) };
  } catch (error) {
    result = { id: job.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(result);
});
