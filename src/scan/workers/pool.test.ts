import { afterEach, describe, expect, it } from 'vitest';
import { ScanWorkerPool } from './pool.js';
import { makeTarball } from '../tarball/write-tar.js';

describe('ScanWorkerPool', () => {
  let pool: ScanWorkerPool | undefined;
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  it('analyses tarballs in worker threads, several at once', async () => {
    pool = new ScanWorkerPool({ size: 2 });
    const tarball = makeTarball({ 'package.json': '{}', 'index.js': "require('child_process').exec(x);" });
    const reports = await Promise.all([pool.analyze(tarball), pool.analyze(tarball), pool.analyze(tarball)]);
    for (const report of reports) {
      expect(report.files.map((f) => [f.path, f.signals.map((s) => s.rule)])).toEqual([
        ['index.js', ['child-process']],
      ]);
      expect(report.incomplete).toEqual([]);
    }
  });

  it('ends a worker over the hard per-package limit and reports the scan incomplete', async () => {
    pool = new ScanWorkerPool({ size: 1, hardTimeoutMs: 1 });
    const report = await pool.analyze(makeTarball({ 'index.js': 'x' }));
    expect(report.incomplete).toEqual(['package hard time limit of 1 ms']);
  });

  it('stops at the per-package budget inside the worker', async () => {
    pool = new ScanWorkerPool({
      size: 0,
      budget: {
        tarball: {
          maxCompressedBytes: 1e8,
          maxUnpackedBytes: 1e8,
          maxEntries: 100,
          maxFileBytes: 1e7,
          maxDepth: 8,
          maxPathLength: 200,
        },
        file: { maxParseBytes: 1e7, timeMs: 1000, maxNodes: 1e7 },
        packageTimeMs: 0,
      },
    });
    const report = await pool.analyze(makeTarball({ 'a.js': 'a', 'b.js': 'b' }));
    expect(report.incomplete).toEqual(['package time budget spent: 2 of 2 script files not analysed']);
  });
});
