import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import Ajv07 from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';

const require = createRequire(import.meta.url);

/** Errors from the CycloneDX library's own strict JSON validator for 1.6 (null when valid). */
export async function cycloneDxErrors(doc: unknown): Promise<unknown> {
  return new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(JSON.stringify(doc));
}

/** Errors against the SPDX 2.3 JSON schema (test/fixtures/sbom/schemas/README.md says where it is from). */
export function spdxErrors(doc: unknown): unknown {
  const ajv = new Ajv07.default({ strict: false, allErrors: true });
  const schema = JSON.parse(
    readFileSync('test/fixtures/sbom/schemas/spdx-2.3.schema.json', 'utf8'),
  ) as object;
  const validate = ajv.compile(schema);
  return validate(doc) ? null : validate.errors;
}

/** Errors against the SARIF 2.1.0 schema that @microsoft/jest-sarif ships (draft-04). */
export function sarifErrors(doc: unknown): unknown {
  // The published schema has a `language` pattern that is invalid as a unicode RegExp.
  const ajv = new AjvDraft04.default({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats.default(ajv);
  const path = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const validate = ajv.compile(JSON.parse(readFileSync(path, 'utf8')) as object);
  return validate(doc) ? null : validate.errors;
}
