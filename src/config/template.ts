/** The commented airlock.yaml that `airlock init` writes; a test keeps it loadable. */
export const configTemplate = `# Airlock configuration. Every key is optional: what you leave out takes the safe default shown.
# Environment variables override keys: AIRLOCK_<SECTION>_<KEY>, e.g. AIRLOCK_DATABASE_URL, AIRLOCK_SERVER_PORT.

# Where the embedded database and the blob store live.
dataDir: ./.airlock

server:
  host: 0.0.0.0
  port: 8873
  # The URL clients reach Airlock at (used in tarball URLs and review links).
  # Without it Airlock uses X-Forwarded-Proto/Host when trustProxy is on, else the Host header.
  # publicUrl: https://airlock.example.com
  trustProxy: false
  bodyLimitBytes: 67108864 # 64 MiB: the largest publish or API body accepted
  requestTimeoutMs: 2m
  headersTimeoutMs: 30s
  shutdownTimeoutMs: 15s

database:
  # Default: sqlite:<dataDir>/airlock.db. For several Airlock processes, share one PostgreSQL:
  # url: postgres://airlock@db.example.com:5432/airlock
  poolSize: 10

blobs:
  # Default: <dataDir>/blobs (content-addressed by sha512).
  # path: /var/lib/airlock/blobs
  verifyOnRead: false

auth:
  # Anonymous read of the JSON API and dashboard data.
  anonymousApiRead: false

log:
  level: info

registry:
  # The public registry Airlock fetches from. Clients never talk to it directly.
  upstreamUrl: https://registry.npmjs.org/
  # Anonymous clients may install approved packages.
  anonymousRead: true
  # Scopes served only from Airlock's private store, never proxied (dependency-confusion protection).
  privateScopes: []
  timeoutMs: 30s
  packumentTtlMs: 5m

gate:
  # How long a request for a version not yet evaluated waits for its decision before answering 503.
  waitForDecisionMs: 20s
  # Scan workers in this process.
  workers: 2
`;
