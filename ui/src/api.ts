// The dashboard's only way to the server: `/api/v1` with the token in a header (no cookies, so no CSRF).

const tokenKey = 'airlock.token';

export interface Finding {
  analyzer: string;
  rule: string;
  severity: 'info' | 'low' | 'moderate' | 'high' | 'critical';
  message: string;
  file?: string;
  line?: number;
  evidence?: string;
  advisory?: { id: string; aliases?: string[]; url?: string; fixedIn?: string[]; cvssScore?: number };
}

export interface Decision {
  action: string;
  reasons: { rule: string; message: string }[];
  policyDigest: string;
  decidedBy: string;
  at: string;
}

export interface VersionView {
  ecosystem: string;
  name: string;
  version: string;
  state: string;
  publishedAt?: string;
  decision?: Decision;
  findings: Finding[];
  facts: Record<string, unknown>;
  reevaluateAt?: string;
  baseline?: boolean;
  updatedAt?: string;
}

export interface Whoami {
  name: string;
  role: 'anonymous' | 'reader' | 'publisher' | 'reviewer' | 'admin';
}

export interface AuditEvent {
  id: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details: Record<string, unknown>;
}

export type AuditVerification =
  | { intact: true; events: number; lastHash: string }
  | { intact: false; events: number; firstBadId: number; problem: string };

/** The server's answer when it is not 2xx, with its message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function storedToken(): string | null {
  return sessionStorage.getItem(tokenKey);
}

export function storeToken(token: string | null): void {
  if (token) sessionStorage.setItem(tokenKey, token);
  else sessionStorage.removeItem(tokenKey);
}

/** GET (no body), POST (a body) or DELETE a JSON document under /api/v1. */
export async function api<T>(path: string, body?: unknown, method?: 'DELETE'): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = storedToken();
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`/api/v1${path}`, {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    credentials: 'omit',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const message =
      typeof parsed === 'object' && parsed !== null && 'error' in parsed
        ? String(parsed.error)
        : `HTTP ${response.status}`;
    throw new ApiError(response.status, message);
  }
  return parsed as T;
}

/** `/packages/<name>/versions/<version>` with each part escaped (scoped names carry a slash). */
export function versionPath(name: string, version: string): string {
  return `/packages/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`;
}

/** True for roles that may approve or reject. */
export function canDecide(role: Whoami['role'] | undefined): boolean {
  return role === 'reviewer' || role === 'admin';
}

export type Severity = Finding['severity'];

export interface BlockedAttempt {
  ecosystem: string;
  name: string;
  version: string;
  principal: string;
  clientIp: string;
  userAgent: string;
  reason: string;
  attempts: number;
  firstAt: string;
  lastAt: string;
}

export type SeverityDay = { day: string } & Record<Severity, number>;

export interface UpstreamHealth {
  status: 'unknown' | 'ok' | 'degraded' | 'down';
  lastSuccessAt?: string;
  lastFailureAt?: string;
  lastError?: string;
  attempts: number;
  errorRate: number;
  latencyMs?: { p50: number; p95: number };
}

export interface Stats {
  generatedAt: string;
  days: number;
  findingsBySeverity: SeverityDay[];
  scans: { lastHour: number; perHour: { hour: string; count: number }[] };
  queue: { queued: number; running: number; dead: number };
  versions: Record<string, number>;
  upstream: UpstreamHealth;
}

export interface FileChange {
  path: string;
  size: number;
  previousSize?: number;
}

export interface VersionDiff {
  version: string;
  previous?: string;
  files: {
    added: FileChange[];
    removed: FileChange[];
    changed: FileChange[];
    counts: { added: number; removed: number; changed: number; unchanged: number };
    truncated: boolean;
  };
  installScripts: { hook: string; before?: string; after?: string }[];
  dependencies: { field: string; name: string; from?: string; to?: string }[];
  signals: Finding[];
  problems: string[];
}

export interface EvidenceExcerpt {
  file: string;
  line: number;
  lines: { number: number; text: string; match: boolean }[];
  problem?: string;
}

/** Decision reasons that a waiver can name (not a person's decision, not the "nothing fired" note). */
export function waivableRules(version: VersionView): string[] {
  const notWaivable = new Set(['manual', 'policy', 'override', 'private-publish']);
  const rules = (version.decision?.reasons ?? []).map((r) => r.rule).filter((r) => !notWaivable.has(r));
  return [...new Set(rules)];
}

/** Links from stored data only when they are http(s): an advisory URL is data, not code. */
export function safeUrl(url: string | undefined): string | undefined {
  return url && /^https?:\/\//i.test(url) ? url : undefined;
}
