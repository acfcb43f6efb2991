import yazl from 'yazl';

/**
 * Builds a zip in memory for tests and the benchmark. A name starting `!` is written as `xx/<rest>` and its
 * bytes rewritten to `../<rest>` afterwards: yazl refuses to write the traversal entries an attacker would.
 */
export async function buildZip(entries: readonly { name: string; data: string | Buffer }[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const e of entries) {
    const data = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data);
    zip.addBuffer(data, e.name.startsWith('!') ? `xx/${e.name.slice(1)}` : e.name);
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  const bytes = Buffer.concat(chunks);
  for (const e of entries) {
    if (!e.name.startsWith('!')) continue;
    const from = Buffer.from(`xx/${e.name.slice(1)}`);
    const to = Buffer.from(`../${e.name.slice(1)}`);
    for (let at = bytes.indexOf(from); at >= 0; at = bytes.indexOf(from, at + 1)) to.copy(bytes, at);
  }
  return bytes;
}
