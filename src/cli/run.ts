import { runCli } from './main.js';

// The process entry: bin/airlock.js imports the compiled copy; tests spawn this file through tsx.
process.exitCode = await runCli(process.argv);
