import type { ObjectIdentifierValuePair } from '@sigstore/protobuf-specs';

/** Fulcio certificate extensions (OID arc 1.3.6.1.4.1.57264.1) that bind a certificate to a CI run. */
export const fulcioOids = {
  buildSignerUri: '1.3.6.1.4.1.57264.1.9',
  sourceRepositoryUri: '1.3.6.1.4.1.57264.1.12',
  sourceRepositoryDigest: '1.3.6.1.4.1.57264.1.13',
  sourceRepositoryRef: '1.3.6.1.4.1.57264.1.14',
  buildConfigUri: '1.3.6.1.4.1.57264.1.18',
  runInvocationUri: '1.3.6.1.4.1.57264.1.21',
} as const;

/** The values of the Fulcio v2 extensions found on a certificate, keyed by dotted OID. */
export function fulcioExtensionValues(
  oids: readonly ObjectIdentifierValuePair[] | undefined,
): Map<string, string> {
  const values = new Map<string, string>();
  for (const pair of oids ?? []) {
    const id = pair.oid?.id.join('.');
    if (id === undefined || !id.startsWith('1.3.6.1.4.1.57264.1.')) continue;
    const text = derUtf8String(pair.value);
    if (text !== undefined) values.set(id, text);
  }
  return values;
}

/** Decodes a DER UTF8String (tag 0x0c); undefined for anything else (v1 extensions are raw, not DER). */
function derUtf8String(value: Buffer | Uint8Array): string | undefined {
  if (value.length < 2 || value[0] !== 0x0c) return undefined;
  const first = value[1] ?? 0;
  let length = first;
  let offset = 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 2 || value.length < 2 + count) return undefined;
    length = 0;
    for (let i = 0; i < count; i += 1) length = length * 256 + (value[2 + i] ?? 0);
    offset = 2 + count;
  }
  if (offset + length !== value.length) return undefined;
  return Buffer.from(value.subarray(offset)).toString('utf8');
}
