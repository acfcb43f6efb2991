import { gzipSync } from 'node:zlib';

/** One entry to write; `name` is used verbatim (tests build hostile archives with it). */
export interface TarEntrySpec {
  readonly name: string;
  readonly content?: string | Uint8Array;
  /** Tar type flag: '0' file (default), '2' symlink, '1' hardlink, '5' directory, '3' char device. */
  readonly type?: string;
  readonly linkName?: string;
  readonly mode?: number;
}

function writeString(block: Uint8Array, offset: number, length: number, value: string): void {
  block.set(new TextEncoder().encode(value).subarray(0, length), offset);
}

function header(spec: TarEntrySpec, size: number): Uint8Array {
  const block = new Uint8Array(512);
  let name = spec.name;
  let prefix = '';
  if (name.length > 100) {
    const cut = name.lastIndexOf('/', 155);
    prefix = name.slice(0, cut);
    name = name.slice(cut + 1);
  }
  writeString(block, 0, 100, name);
  writeString(block, 100, 8, `${(spec.mode ?? 0o644).toString(8).padStart(7, '0')}\0`);
  writeString(block, 108, 8, '0000000\0');
  writeString(block, 116, 8, '0000000\0');
  writeString(block, 124, 12, `${size.toString(8).padStart(11, '0')}\0`);
  writeString(block, 136, 12, '00000000000\0');
  writeString(block, 148, 8, '        ');
  writeString(block, 156, 1, spec.type ?? '0');
  writeString(block, 157, 100, spec.linkName ?? '');
  writeString(block, 257, 6, 'ustar\0');
  writeString(block, 263, 2, '00');
  writeString(block, 345, 155, prefix);
  let sum = 0;
  for (const b of block) sum += b;
  writeString(block, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

/** A plain tar stream of the given entries, ended by the two zero blocks. */
export function makeTar(entries: readonly TarEntrySpec[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const spec of entries) {
    const data =
      typeof spec.content === 'string'
        ? new TextEncoder().encode(spec.content)
        : (spec.content ?? new Uint8Array(0));
    parts.push(header(spec, data.length), data, new Uint8Array((512 - (data.length % 512)) % 512));
  }
  parts.push(new Uint8Array(1024));
  return Buffer.concat(parts);
}

/** A gzipped npm-style tarball: every file under `package/`. */
export function makeTarball(files: Readonly<Record<string, string | Uint8Array>>): Uint8Array {
  return gzipSync(
    makeTar(Object.entries(files).map(([path, content]) => ({ name: `package/${path}`, content }))),
  );
}
