import { AirlockError } from '../../errors.js';
import type { TarballContents } from './contents.js';

const MAX_PACKAGE_JSON_BYTES = 1024 * 1024;

/** The tarball's own `package.json`, parsed; what npm actually runs scripts from (it may differ from the packument). */
export function tarballPackageJson(contents: TarballContents): Record<string, unknown> {
  const file = contents.files.get('package.json');
  if (!file?.bytes)
    throw new AirlockError('TARBALL_INVALID', 'the tarball has no package.json at package/package.json');
  if (file.size > MAX_PACKAGE_JSON_BYTES) {
    throw new AirlockError(
      'TARBALL_INVALID',
      `package.json is ${file.size} bytes, more than ${MAX_PACKAGE_JSON_BYTES}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(file.bytes).replace(/^\uFEFF/, ''));
  } catch (cause) {
    throw new AirlockError('TARBALL_INVALID', 'package.json in the tarball is not valid JSON', { cause });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AirlockError('TARBALL_INVALID', 'package.json in the tarball is not a JSON object');
  }
  // A null-prototype copy: `__proto__` keys in hostile JSON stay plain data.
  return Object.assign(Object.create(null) as Record<string, unknown>, parsed);
}
