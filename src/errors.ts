/**
 * The one error type Airlock throws on purpose. Callers switch on `code`, never on the message;
 * the HTTP edge maps codes to statuses and the CLI maps them to exit codes (see `errorCatalogue`).
 */
export type AirlockErrorCode =
  | 'CONFIG_INVALID'
  | 'CONFIG_UNREADABLE'
  | 'DATA_DIR_UNWRITABLE'
  | 'DATABASE_UNREACHABLE'
  | 'DATABASE_MIGRATION_FAILED'
  | 'PORT_IN_USE'
  | 'BAD_REQUEST'
  | 'INVALID_PACKAGE_NAME'
  | 'INVALID_VERSION'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'TOO_MANY_REQUESTS'
  | 'SHUTTING_DOWN'
  | 'BLOCKED_BY_POLICY'
  | 'DECISION_PENDING'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_INVALID'
  | 'INTEGRITY_MISMATCH'
  | 'BLOB_NOT_FOUND'
  | 'BLOB_CORRUPT'
  | 'TARBALL_INVALID'
  | 'POLICY_INVALID'
  | 'LOCKFILE_INVALID'
  | 'SBOM_INVALID'
  | 'ADVISORY_INVALID'
  | 'ATTESTATION_INVALID'
  | 'AUDIT_CHAIN_BROKEN'
  | 'SERVER_UNREACHABLE'
  | 'UI_NOT_BUILT'
  | 'USAGE'
  | 'INTERNAL';

export interface ErrorCatalogueEntry {
  /** HTTP status the API answers with. */
  readonly status: number;
  /** Process exit code the CLI ends with. */
  readonly exitCode: number;
}

/** Every code's HTTP status and CLI exit code; a test keeps this in step with the union. */
export const errorCatalogue: Readonly<Record<AirlockErrorCode, ErrorCatalogueEntry>> = {
  CONFIG_INVALID: { status: 500, exitCode: 78 },
  CONFIG_UNREADABLE: { status: 500, exitCode: 78 },
  DATA_DIR_UNWRITABLE: { status: 500, exitCode: 73 },
  DATABASE_UNREACHABLE: { status: 503, exitCode: 69 },
  DATABASE_MIGRATION_FAILED: { status: 500, exitCode: 70 },
  PORT_IN_USE: { status: 500, exitCode: 69 },
  BAD_REQUEST: { status: 400, exitCode: 2 },
  INVALID_PACKAGE_NAME: { status: 400, exitCode: 2 },
  INVALID_VERSION: { status: 400, exitCode: 2 },
  UNAUTHENTICATED: { status: 401, exitCode: 77 },
  FORBIDDEN: { status: 403, exitCode: 77 },
  NOT_FOUND: { status: 404, exitCode: 1 },
  CONFLICT: { status: 409, exitCode: 1 },
  PAYLOAD_TOO_LARGE: { status: 413, exitCode: 2 },
  TOO_MANY_REQUESTS: { status: 429, exitCode: 75 },
  SHUTTING_DOWN: { status: 503, exitCode: 75 },
  BLOCKED_BY_POLICY: { status: 403, exitCode: 1 },
  DECISION_PENDING: { status: 503, exitCode: 75 },
  UPSTREAM_UNAVAILABLE: { status: 502, exitCode: 69 },
  UPSTREAM_INVALID: { status: 502, exitCode: 65 },
  INTEGRITY_MISMATCH: { status: 502, exitCode: 65 },
  BLOB_NOT_FOUND: { status: 404, exitCode: 1 },
  BLOB_CORRUPT: { status: 500, exitCode: 70 },
  TARBALL_INVALID: { status: 422, exitCode: 65 },
  POLICY_INVALID: { status: 422, exitCode: 78 },
  LOCKFILE_INVALID: { status: 422, exitCode: 2 },
  SBOM_INVALID: { status: 422, exitCode: 2 },
  ADVISORY_INVALID: { status: 422, exitCode: 65 },
  ATTESTATION_INVALID: { status: 422, exitCode: 1 },
  AUDIT_CHAIN_BROKEN: { status: 500, exitCode: 1 },
  SERVER_UNREACHABLE: { status: 502, exitCode: 69 },
  UI_NOT_BUILT: { status: 503, exitCode: 69 },
  USAGE: { status: 400, exitCode: 2 },
  INTERNAL: { status: 500, exitCode: 70 },
};

export class AirlockError extends Error {
  override readonly name = 'AirlockError';
  readonly code: AirlockErrorCode;
  override readonly cause: unknown;
  /** Extra machine-readable context for API responses (never secrets). */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: AirlockErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.code = code;
    this.cause = options.cause;
    this.details = options.details;
  }

  get status(): number {
    return errorCatalogue[this.code].status;
  }

  get exitCode(): number {
    return errorCatalogue[this.code].exitCode;
  }
}

export function isAirlockError(error: unknown, code?: AirlockErrorCode): error is AirlockError {
  return error instanceof AirlockError && (code === undefined || error.code === code);
}

/** A one-line description of any thrown value, for logs and CLI output. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
