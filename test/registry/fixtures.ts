import type { FakePackage } from '../support/fake-upstream.js';

/** The fixture registry: a clean package with a too-young latest, an install script, a scope, a corrupt tarball. */
export const fixturePackages: readonly FakePackage[] = [
  {
    name: 'airlock-ok',
    versions: [
      { version: '1.0.0', ageDays: 30 },
      { version: '1.1.0', ageDays: 20 },
      { version: '1.2.0', ageDays: 0.5 },
    ],
  },
  {
    name: 'airlock-scripted',
    versions: [{ version: '1.0.0', ageDays: 10, scripts: { postinstall: 'node -e "console.log(1)"' } }],
  },
  {
    name: 'airlock-scripted-too',
    versions: [{ version: '1.0.0', ageDays: 10, scripts: { install: 'node-gyp rebuild' } }],
  },
  {
    name: '@fixture/scoped',
    versions: [{ version: '2.0.0', ageDays: 10, dependencies: { 'airlock-ok': '^1.0.0' } }],
  },
  { name: 'airlock-corrupt', versions: [{ version: '1.0.0', ageDays: 10, corrupt: true }] },
];
