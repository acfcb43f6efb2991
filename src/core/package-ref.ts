export type Ecosystem = 'npm' | 'pypi';

/** One version of one package in one ecosystem. */
export interface PackageVersionRef {
  readonly ecosystem: Ecosystem;
  readonly name: string;
  readonly version: string;
}

/** `npm:lodash@4.17.21`, the subject string the audit log and job keys use. */
export function refKey(ref: PackageVersionRef): string {
  return `${ref.ecosystem}:${ref.name}@${ref.version}`;
}
