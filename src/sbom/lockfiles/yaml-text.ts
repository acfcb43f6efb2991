import { parse, YAMLError } from 'yaml';
import { lockfileError } from './input.js';
import { LineIndex } from './lines.js';

/** Parses a YAML lockfile; duplicate keys and alias bombs are errors naming the line. */
export function parseYamlStrict(file: string, text: string): unknown {
  try {
    return parse(text, { uniqueKeys: true, maxAliasCount: 100, prettyErrors: false, strict: true });
  } catch (cause) {
    if (cause instanceof YAMLError) {
      const line = cause.linePos?.[0]?.line ?? new LineIndex(text).lineOf(cause.pos[0]);
      throw lockfileError(file, `invalid YAML: ${cause.message.split('\n')[0] ?? cause.code}`, line, cause);
    }
    throw lockfileError(file, 'invalid YAML', undefined, cause);
  }
}
