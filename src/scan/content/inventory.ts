import type { TarballFile } from '../tarball/contents.js';

/** How the content analysis treats a file. */
export type FileKind = 'javascript' | 'typescript' | 'shell' | 'binary' | 'json' | 'other';

/** One file of the package as later rules (diff, metadata) need it, without its bytes. */
export interface FileSummary {
  readonly path: string;
  readonly size: number;
  readonly kind: FileKind;
  readonly minified: boolean;
}

const JS = /\.(?:js|cjs|mjs|jsx)$/i;
const TS = /\.(?:ts|mts|cts|tsx)$/i;
const SHELL = /\.(?:sh|bash|bat|cmd|ps1)$/i;

function isBinary(bytes: Uint8Array): boolean {
  const [a, b, c, d] = bytes;
  if (a === 0x7f && b === 0x45 && c === 0x4c && d === 0x46) return true; // ELF
  if (a === 0x4d && b === 0x5a) return true; // PE (MZ)
  const magic = ((a ?? 0) << 24) | ((b ?? 0) << 16) | ((c ?? 0) << 8) | (d ?? 0);
  return [0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(magic >>> 0);
}

/** Classifies a file by name and first bytes. */
export function fileKind(file: TarballFile): FileKind {
  const bytes = file.bytes;
  if (bytes && isBinary(bytes)) return 'binary';
  if (/\.d\.[cm]?ts$/i.test(file.path)) return 'other';
  if (JS.test(file.path)) return 'javascript';
  if (TS.test(file.path)) return 'typescript';
  if (SHELL.test(file.path)) return 'shell';
  if (/\.json$/i.test(file.path)) return 'json';
  if (bytes && bytes[0] === 0x23 && bytes[1] === 0x21) {
    const shebang = new TextDecoder().decode(bytes.subarray(0, 80));
    if (/\bnode\b/.test(shebang)) return 'javascript';
    if (/\b(?:ba|z|da)?sh\b/.test(shebang)) return 'shell';
  }
  return 'other';
}

/** Minified: long average lines in a file of some size (bundles, and obfuscated payloads). */
export function looksMinified(source: string): boolean {
  if (source.length < 10_000) return false;
  let lines = 1;
  for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) lines++;
  return source.length / lines > 500;
}
