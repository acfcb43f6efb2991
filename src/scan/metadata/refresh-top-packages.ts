/**
 * Refreshes the typosquatting reference list from a download-count listing:
 * `npx tsx src/scan/metadata/refresh-top-packages.ts /work/.library/env/packages/npm.tsv 5000`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderTopPackagesModule, topPackagesFromTsv } from './top-packages-source.js';

const [source, countText = '5000'] = process.argv.slice(2);
if (source === undefined || !/^\d+$/.test(countText)) {
  console.error('usage: refresh-top-packages.ts <downloads.tsv> [count]');
  process.exit(2);
}
const names = topPackagesFromTsv(readFileSync(source, 'utf8'), Number(countText));
const target = fileURLToPath(new URL('./top-packages.generated.ts', import.meta.url));
writeFileSync(target, renderTopPackagesModule(names));
console.log(`wrote ${names.length} names to ${target}`);
