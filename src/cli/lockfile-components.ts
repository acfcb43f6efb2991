import { AirlockError } from '../errors.js';

export interface LockfileComponent {
  readonly ecosystem: 'npm';
  readonly name: string;
  readonly version: string;
}

/** The registry versions an npm lockfile (v1, v2, v3 or shrinkwrap) pins; links and git deps are skipped. */
export function lockfileComponents(path: string, text: string): LockfileComponent[] {
  let lock: unknown;
  try {
    lock = JSON.parse(text);
  } catch (cause) {
    throw new AirlockError('LOCKFILE_INVALID', `${path} is not valid JSON`, { cause });
  }
  const seen = new Map<string, LockfileComponent>();
  const add = (name: string, version: unknown, resolved: unknown) => {
    if (typeof version !== 'string' || !/^\d+\.\d+\.\d+/.test(version)) return;
    if (typeof resolved === 'string' && !/^https?:/.test(resolved)) return;
    seen.set(`${name}@${version}`, { ecosystem: 'npm', name, version });
  };
  const doc = lock as {
    packages?: Record<string, Record<string, unknown>>;
    dependencies?: Record<string, Record<string, unknown>>;
  };
  if (doc.packages && typeof doc.packages === 'object') {
    for (const [path, entry] of Object.entries(doc.packages)) {
      if (!path || entry.link) continue;
      const name =
        typeof entry.name === 'string' ? entry.name : path.slice(path.lastIndexOf('node_modules/') + 13);
      add(name, entry.version, entry.resolved);
    }
  } else if (doc.dependencies && typeof doc.dependencies === 'object') {
    const walk = (deps: Record<string, Record<string, unknown>>) => {
      for (const [name, entry] of Object.entries(deps)) {
        add(name, entry.version, entry.resolved);
        if (entry.dependencies && typeof entry.dependencies === 'object')
          walk(entry.dependencies as Record<string, Record<string, unknown>>);
      }
    };
    walk(doc.dependencies);
  } else {
    throw new AirlockError('LOCKFILE_INVALID', `${path} has neither "packages" nor "dependencies"`);
  }
  return [...seen.values()];
}
