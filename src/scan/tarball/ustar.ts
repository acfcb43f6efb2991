import type { TarballProblem } from './contents.js';

/** One raw entry of a tar stream, before path normalisation. */
export interface RawTarEntry {
  readonly name: string;
  readonly type: string;
  readonly mode: number;
  readonly size: number;
  readonly linkName: string;
  /** Offset of the entry's data in the tar stream. */
  readonly dataOffset: number;
}

const BLOCK = 512;
const decoder = new TextDecoder('utf-8', { fatal: false });

function cString(block: Uint8Array, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return decoder.decode(end === -1 ? field : field.subarray(0, end));
}

/** Octal numbers, or GNU base-256 (high bit set) for sizes over 8 GiB; NaN when unreadable. */
function tarNumber(block: Uint8Array, start: number, length: number): number {
  const first = block[start] ?? 0;
  if (first & 0x80) {
    let value = first & 0x7f;
    for (let i = start + 1; i < start + length; i++) value = value * 256 + (block[i] ?? 0);
    return value;
  }
  const text = cString(block, start, length).trim();
  if (text === '') return 0;
  return /^[0-7]+$/.test(text) ? parseInt(text, 8) : Number.NaN;
}

function checksumOk(block: Uint8Array): boolean {
  const stored = tarNumber(block, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (block[i] ?? 0);
  return stored === sum;
}

/** Pax extended header records (`<len> key=value\n`); only `path`, `linkpath` and `size` matter to us. */
function paxRecords(data: Uint8Array): Map<string, string> {
  const records = new Map<string, string>();
  const text = decoder.decode(data);
  let i = 0;
  while (i < text.length) {
    const space = text.indexOf(' ', i);
    if (space === -1) break;
    const length = Number(text.slice(i, space));
    if (!Number.isInteger(length) || length <= 0) break;
    const record = text.slice(space + 1, i + length - 1);
    const eq = record.indexOf('=');
    if (eq > 0) records.set(record.slice(0, eq), record.slice(eq + 1));
    i += length;
  }
  return records;
}

/**
 * Walks a tar stream held in memory and yields entries with pax/GNU long names applied. Stops at the
 * end-of-archive blocks, at a bad header or at truncation, reporting why in `problems`.
 */
export function* tarEntries(tar: Uint8Array, problems: TarballProblem[]): Generator<RawTarEntry> {
  let offset = 0;
  let pendingName: string | undefined;
  let pendingLink: string | undefined;
  let pendingSize: number | undefined;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) return;
    if (!checksumOk(header)) {
      problems.push({ kind: 'bad-checksum', detail: `tar header at byte ${offset} has a bad checksum` });
      return;
    }
    const type = String.fromCharCode(header[156] ?? 0x30).replace('\0', '0');
    const size = pendingSize ?? tarNumber(header, 124, 12);
    if (!Number.isFinite(size) || size < 0) {
      problems.push({ kind: 'corrupt', detail: `tar header at byte ${offset} has an unreadable size` });
      return;
    }
    const dataOffset = offset + BLOCK;
    if (dataOffset + size > tar.length) {
      problems.push({
        kind: 'truncated',
        detail: `tar entry at byte ${offset} runs past the end of the archive`,
      });
      return;
    }
    offset = dataOffset + Math.ceil(size / BLOCK) * BLOCK;
    const data = tar.subarray(dataOffset, dataOffset + size);
    if (type === 'x') {
      const records = paxRecords(data);
      pendingName = records.get('path') ?? pendingName;
      pendingLink = records.get('linkpath') ?? pendingLink;
      const paxSize = records.get('size');
      pendingSize = paxSize !== undefined && /^\d+$/.test(paxSize) ? Number(paxSize) : pendingSize;
      continue;
    }
    if (type === 'g') continue;
    if (type === 'L' || type === 'K') {
      const value = cString(data, 0, data.length);
      if (type === 'L') pendingName = value;
      else pendingLink = value;
      continue;
    }
    const magic = cString(header, 257, 6);
    const prefix = magic.startsWith('ustar') ? cString(header, 345, 155) : '';
    const baseName = cString(header, 0, 100);
    const name = pendingName ?? (prefix ? `${prefix}/${baseName}` : baseName);
    yield {
      name,
      type,
      mode: tarNumber(header, 100, 8) || 0,
      size,
      linkName: pendingLink ?? cString(header, 157, 100),
      dataOffset,
    };
    pendingName = pendingLink = pendingSize = undefined;
  }
  if (offset < tar.length)
    problems.push({ kind: 'truncated', detail: 'the tar stream ends inside a header block' });
}
