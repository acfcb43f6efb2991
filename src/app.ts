import { accessSync, constants, mkdirSync, unwatchFile, watchFile } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { pino, type Logger } from 'pino';
import type { AirlockConfig } from './config/schema.js';
import { loadConfig } from './config/load.js';
import { AirlockError, describeError } from './errors.js';
import { systemClock, type Clock } from './core/clock.js';
import { openDatabase, type Database } from './store/database.js';
import { migrate } from './store/migrate.js';
import { allMigrations } from './migrations.js';
import { FsBlobStore } from './store/blob-store-fs.js';
import { SqlJobQueue } from './store/job-queue-sql.js';
import { JobRunner } from './store/job-runner.js';
import { SqlAuditLog } from './audit/audit-log-sql.js';
import { TokenStore } from './auth/tokens.js';
import { createHttpServer } from './http/server.js';
import { coreApiRoutes } from './api/core-routes.js';
import { uiRoutes } from './http/ui-routes.js';
import type { BlobStore, JobQueue, AuditLog } from './store/ports.js';
import {
  Gate,
  GateStore,
  ReevaluationScheduler,
  ScanPipeline,
  enginePolicy,
  gateStoredVersions,
  scanJobHandler,
  scanQueue,
  type GatePolicy,
} from './gate/index.js';
import {
  PolicySource,
  SqlWaiverStore,
  resolvePolicy,
  type Waiver,
  type WaiverStore,
} from './policy/index.js';
import { policyApiRoutes } from './api/policy-routes.js';
import { AttestationsFetcher, createAttest } from './attest/index.js';
import {
  AdvisoryStore,
  OsvVulnerabilityMatcher,
  SourceStateStore,
  createVulnerabilityAnalyzer,
  createVulndbSyncJobHandler,
  scheduleVulndbSync,
  vulndbSyncQueue,
} from './vulndb/index.js';
import { npmAuditRoutes } from './registry/npm-audit-routes.js';
import { createScanAnalyzers } from './scan/index.js';
import {
  NpmRegistry,
  NpmUpstream,
  PackumentDocuments,
  PackumentService,
  npmRoutes,
} from './registry/index.js';
import { gateApiRoutes } from './api/gate-routes.js';
import { blockedAttemptsApiRoutes } from './api/blocked-attempts-routes.js';
import { statsApiRoutes } from './api/stats-routes.js';
import { eventsApiRoutes, publishGateChanges } from './api/events-routes.js';
import { reviewApiRoutes } from './api/review-routes.js';
import { BlockedAttemptRecorder, BlockedAttemptStore, GateStats } from './gate/index.js';
import { EventHub } from './http/event-stream.js';
import { UpstreamHealthTracker } from './registry/upstream-health.js';
import { ReviewViews, StoredTarballs } from './review/index.js';
import type { Analyzer } from './core/analyzer.js';

export interface AppOptions {
  /** `serve` runs HTTP and workers; `worker` only workers. */
  readonly mode?: 'serve' | 'worker';
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Replaces the configured policy (tests). */
  readonly policy?: GatePolicy;
  /** The airlock.yaml the config came from: `policy.file` is relative to it. */
  readonly configFile?: string | undefined;
  readonly cwd?: string;
  /** How often the policy files are checked for changes. */
  readonly policyWatchIntervalMs?: number;
  /** Replaces the default analyzers of the scan pipeline. */
  readonly analyzers?: readonly Analyzer[];
}

/** The running object graph; `close()` undoes everything `createApp` did. */
export interface AirlockApp {
  readonly config: Readonly<AirlockConfig>;
  readonly database: Database;
  readonly blobs: BlobStore;
  readonly jobs: JobQueue;
  readonly audit: AuditLog;
  readonly tokens: TokenStore;
  readonly gate: Gate;
  /** Queues every version whose timed hold or waiver has run out now (the scheduler does it every 30 s). */
  reevaluateDue(): Promise<void>;
  readonly http: FastifyInstance | undefined;
  /** Starts listening; resolves to the URL. PORT_IN_USE when the port is taken. */
  listen(): Promise<string>;
  /** Lines telling a person where Airlock listens and where its data lives. */
  describe(address: string | undefined): string[];
  /** Graceful shutdown: stop accepting, finish in-flight requests and jobs (bounded), close the database. */
  close(): Promise<void>;
}

/** The one composition root: builds every collaborator from the config, in order, and unwinds on failure. */
export async function createApp(
  config: Readonly<AirlockConfig>,
  options: AppOptions = {},
): Promise<AirlockApp> {
  const mode = options.mode ?? 'serve';
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? pino({ level: config.log.level, base: { service: 'airlock' } });
  const dataDir = resolve(config.dataDir);
  const cleanups: (() => Promise<void>)[] = [];
  const unwind = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };

  try {
    const usesLocalFiles = !config.database.url || !config.blobs.path;
    if (usesLocalFiles) ensureWritableDir(dataDir);
    const database = await openDatabase({
      url: config.database.url ?? `sqlite:${join(dataDir, 'airlock.db')}`,
      poolSize: config.database.poolSize,
      schema: config.database.schema,
    });
    cleanups.push(() => database.close());
    await migrate(database, allMigrations);

    const blobs = await FsBlobStore.open({
      root: config.blobs.path ?? join(dataDir, 'blobs'),
      verifyOnRead: config.blobs.verifyOnRead,
    });
    const jobs = new SqlJobQueue(database, { clock });
    const audit = new SqlAuditLog(database, clock);
    const tokens = new TokenStore(database, audit, clock);

    const upstreamHealth = new UpstreamHealthTracker(clock);
    const upstream = new NpmUpstream({
      health: upstreamHealth,
      url: config.registry.upstreamUrl,
      timeoutMs: config.registry.timeoutMs,
      maxPackumentBytes: config.registry.maxPackumentBytes,
      maxTarballBytes: config.registry.maxTarballBytes,
    });
    cleanups.push(() => upstream.close());
    const gateStore = new GateStore(database, clock);
    // A bad policy at start-up stops start-up; a bad reload keeps the last good one (reported on /readyz).
    const cwd = options.cwd ?? process.cwd();
    let loadedOnce = false;
    const policySource = new PolicySource(() => {
      // Reloads read airlock.yaml again (env overrides still apply); the first load uses the config given.
      const section =
        loadedOnce && options.configFile
          ? loadConfig({ file: resolve(cwd, options.configFile), env: process.env }).policy
          : config.policy;
      loadedOnce = true;
      return resolvePolicy(section, { configFile: options.configFile, cwd });
    });
    cleanups.push(
      watchPolicy(
        policySource,
        policyFiles(config, options.configFile, cwd),
        options.policyWatchIntervalMs ?? 2_000,
        logger,
      ),
    );
    const waivers = new SqlWaiverStore(database, audit, clock);
    let wakeWorkers = () => undefined as void;
    const gate = new Gate({
      store: gateStore,
      jobs,
      audit,
      clock,
      policy: options.policy ?? enginePolicy(policySource, waivers),
      wakeWorkers: () => wakeWorkers(),
    });
    // The registry's prefetch starts scans of likely versions whenever a packument arrives anew.
    const packuments: PackumentService = new PackumentService({
      store: gateStore,
      blobs,
      upstream,
      clock,
      logger,
      ttlMs: config.registry.packumentTtlMs,
      privateScopes: config.registry.privateScopes,
      // Only called on requests, after `registry` below exists.
      onNewPackument: (packument): Promise<void> => registry.prefetch(packument),
    });
    const documents = new PackumentDocuments({ store: gateStore, clock, policy: () => gate.policy });
    const registry: NpmRegistry = new NpmRegistry({
      gate,
      packuments,
      documents,
      blobs,
      upstream,
      logger,
      waitForDecisionMs: config.gate.waitForDecisionMs,
      reviewUrl: (base, ref) =>
        `${base}/#/packages/${encodeURIComponent(ref.name)}/${encodeURIComponent(ref.version)}`,
    });
    // Attest paths start with `/`; the upstream client wants them relative to its base URL.
    const fetchUpstreamJson = (path: string) => upstream.json(path.replace(/^\/+/, ''));
    const attest = createAttest({
      config: config.attest,
      dataDir: config.dataDir,
      cwd: options.cwd ?? process.cwd(),
      fetchUpstreamJson,
      upstreamUrl: config.registry.upstreamUrl,
      database,
      clock,
      history: {
        // What earlier versions of the package showed, for provenance regressions and repository changes.
        earlierFacts: async (ref) =>
          (await gateStore.versions(ref.ecosystem, ref.name))
            .filter((v) => v.ref.version !== ref.version && v.publishedAt !== undefined)
            .map((v) => ({ version: v.ref.version, publishedAt: v.publishedAt, facts: v.facts })),
      },
    });
    const attestations = new AttestationsFetcher(fetchUpstreamJson);
    const advisories = new AdvisoryStore(database, clock);
    const vulnerabilities = new OsvVulnerabilityMatcher(advisories);
    // Warm the in-memory advisory index now rather than on the first scan.
    void vulnerabilities.refresh().catch((err: unknown) => logger.warn({ err }, 'vulndb index load failed'));
    // Behaviour analysis runs in worker threads; the pool lives as long as the app.
    const scan = createScanAnalyzers({ clock, diffPreviousTarball: true });
    cleanups.push(() => scan.close());
    const pipeline = new ScanPipeline(
      options.analyzers ?? [...scan.analyzers, attest.analyzer, createVulnerabilityAnalyzer(vulnerabilities)],
    );

    const runner = new JobRunner({
      queue: jobs,
      workerId: `${hostname()}:${process.pid}`,
      concurrency: config.gate.workers,
      handlers: {
        [scanQueue]: scanJobHandler({
          gate,
          blobs,
          pipeline,
          clock,
          logger,
          packument: async (name) => (await packuments.load(name))?.packument,
          fetchTarball: (entry) => upstream.tarball(entry.tarballUrl),
          storedTarball: async (ref) => {
            const stored = (await gateStore.version(ref))?.blobIntegrity;
            return stored && (await blobs.has(stored)) ? blobs.get(stored) : undefined;
          },
          attestations: async (ref, manifest, signal) => {
            const fetched = await attestations.fetch(ref.name, ref.version, manifest, signal);
            return fetched.status === 'fetched' ? fetched.document : undefined;
          },
        }),
        [vulndbSyncQueue]: createVulndbSyncJobHandler({
          store: advisories,
          sources: new SourceStateStore(database),
          config: config.vulndb,
          refresh: () => vulnerabilities.refresh(),
          audit,
          clock,
          jobs,
          intervalMs: config.vulndb.syncIntervalMs,
        }),
      },
      onError: (error, job) => logger.error({ err: error, jobId: job?.id, queue: job?.queue }, 'job failed'),
    });
    const scheduler = new ReevaluationScheduler(gate, clock, 30_000, (error) =>
      logger.error({ err: error }, 're-evaluation pass failed'),
    );
    if (config.gate.workers > 0) {
      wakeWorkers = () => runner.notify();
      runner.start();
      cleanups.push(() => runner.stop(config.server.shutdownTimeoutMs));
      scheduler.start();
      cleanups.push(() => scheduler.stop());
      await scheduleVulndbSync(jobs, config.vulndb.syncIntervalMs, clock);
      // Another node may have imported advisories: pick them up without a restart.
      const indexTimer = setInterval(
        () => void vulnerabilities.refreshIfChanged().catch(() => undefined),
        60_000,
      );
      indexTimer.unref();
      cleanups.push(() => Promise.resolve(clearInterval(indexTimer)));
    }

    let http: FastifyInstance | undefined;
    if (mode === 'serve') {
      const gateStats = new GateStats(database);
      const hub = new EventHub({
        watch: {
          intervalMs: 2_000,
          marks: () => gateStats.changeMarks(),
          events: { queue: 'queue-changed', versions: 'decision' },
          onError: (err) => logger.warn({ err }, 'live updates: reading change marks failed'),
        },
      });
      cleanups.push(() => Promise.resolve(hub.close()));
      const unsubscribe = publishGateChanges(gate, hub);
      cleanups.push(() => Promise.resolve(unsubscribe()));
      const blockedAttempts = new BlockedAttemptStore(database);
      const blockedRecorder = new BlockedAttemptRecorder({
        store: blockedAttempts,
        clock,
        onError: (err, message) => logger.error({ err }, message),
        onRecorded: () => hub.publish({ type: 'blocked-attempt', data: {} }),
      });
      // Runs after the server closed (cleanups unwind in reverse), so the last attempts are kept.
      cleanups.push(() => blockedRecorder.close());
      const anonymousApiRead = config.auth.anonymousApiRead;
      const routes: { prefix: string; plugin: FastifyPluginAsync }[] = [
        { prefix: '/api/v1', plugin: coreApiRoutes({ config, tokens, audit }) },
        {
          prefix: '/api/v1',
          plugin: gateApiRoutes({ gate, registry, anonymousApiRead: config.auth.anonymousApiRead }),
        },
        {
          prefix: '/api/v1',
          plugin: policyApiRoutes({
            config,
            policy: policySource,
            waivers: redecidingWaivers(waivers, gate),
            storedVersions: gateStoredVersions(gateStore, audit),
            clock,
          }),
        },
        {
          prefix: '/api/v1',
          plugin: blockedAttemptsApiRoutes({ attempts: blockedAttempts, anonymousApiRead }),
        },
        {
          prefix: '/api/v1',
          plugin: statsApiRoutes({
            stats: gateStats,
            jobs,
            upstreamHealth: () => upstreamHealth.snapshot(),
            clock,
            anonymousApiRead,
          }),
        },
        { prefix: '/api/v1', plugin: eventsApiRoutes({ hub, anonymousApiRead }) },
        {
          prefix: '/api/v1',
          plugin: reviewApiRoutes({
            views: new ReviewViews({ versions: gateStore, tarballs: new StoredTarballs({ blobs }) }),
            anonymousApiRead,
          }),
        },
        {
          prefix: '/npm',
          plugin: npmAuditRoutes({
            advisories: vulnerabilities,
            anonymousRead: config.registry.anonymousRead,
          }),
        },
        {
          prefix: '/npm',
          plugin: npmRoutes({
            registry,
            publish: { gate, blobs, packuments, upstream, clock },
            upstream,
            authenticator: tokens,
            anonymousRead: config.registry.anonymousRead,
            publicUrl: config.server.publicUrl,
            blockedAttempts: blockedRecorder,
          }),
        },
        // The dashboard at `/`: static files only, it reads everything through /api/v1.
        { prefix: '', plugin: uiRoutes() },
      ];
      http = await createHttpServer({
        config,
        logger,
        authenticator: tokens,
        jobs,
        readiness: [
          { name: 'database', check: () => database.ping() },
          { name: 'blobs', check: () => blobs.ping() },
          {
            name: 'policy',
            check: () => {
              const error = policySource.lastError();
              return error ? Promise.reject(error) : Promise.resolve();
            },
          },
        ],
        routes,
      });
      const server = http;
      // Registered last so it runs first on shutdown: stop taking requests before workers and the database go.
      cleanups.push(() => server.close());
    }

    let closed = false;
    return {
      config,
      database,
      blobs,
      jobs,
      audit,
      tokens,
      gate,
      reevaluateDue: () => scheduler.tick(),
      http,
      listen: () => listen(http, config),
      describe: (address) => [
        ...(address
          ? [`Airlock listening on ${address}`, `  npm registry: ${address}/npm/`]
          : ['Airlock worker running']),
        `  database: ${database.location}`,
        `  blobs: ${blobs.location}`,
      ],
      close: async () => {
        if (closed) return;
        closed = true;
        await unwind();
      },
    };
  } catch (error) {
    await unwind();
    throw error;
  }
}

/** Waivers whose changes take effect at once: the package's versions are decided again. */
function redecidingWaivers(store: SqlWaiverStore, gate: Gate): WaiverStore {
  const redecide = async (waiver: Waiver) => {
    for (const version of await gate.store.versions(waiver.ecosystem, waiver.name)) {
      if (version.decision?.decidedBy === 'policy') await gate.reevaluate(version.ref);
    }
  };
  return {
    add: async (input, actor) => {
      const waiver = await store.add(input, actor);
      await redecide(waiver);
      return waiver;
    },
    remove: async (id, actor, reason) => {
      const waiver = await store.remove(id, actor, reason);
      await redecide(waiver);
      return waiver;
    },
    list: (filter) => store.list(filter),
    activeFor: (ref) => store.activeFor(ref),
  };
}

/** The files the running policy comes from: airlock.yaml and the policy file it names. */
function policyFiles(config: Readonly<AirlockConfig>, configFile: string | undefined, cwd: string): string[] {
  const files: string[] = [];
  const base = configFile ? dirname(resolve(cwd, configFile)) : cwd;
  if (configFile) files.push(resolve(cwd, configFile));
  if (config.policy.file) files.push(resolve(base, config.policy.file));
  return files;
}

/** Reloads the policy when its files change; a bad file keeps the last good policy and says so. */
function watchPolicy(
  source: PolicySource,
  files: readonly string[],
  intervalMs: number,
  logger: Logger,
): () => Promise<void> {
  const onChange = () => {
    const result = source.reload();
    if (result.ok) {
      if (result.changed) logger.info({ digest: result.policy.digest }, 'policy reloaded');
    } else {
      logger.error({ err: result.error }, 'policy reload failed; keeping the last good policy');
    }
  };
  for (const file of files) watchFile(file, { interval: intervalMs, persistent: false }, onChange);
  return () => {
    for (const file of files) unwatchFile(file, onChange);
    return Promise.resolve();
  };
}

function ensureWritableDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (cause) {
    throw new AirlockError(
      'DATA_DIR_UNWRITABLE',
      `data directory ${dir} is not writable (${(cause as NodeJS.ErrnoException).code ?? describeError(cause)}); set dataDir or AIRLOCK_DATA_DIR to a writable directory`,
      { cause },
    );
  }
}

async function listen(http: FastifyInstance | undefined, config: Readonly<AirlockConfig>): Promise<string> {
  if (!http) throw new AirlockError('INTERNAL', 'this process runs workers only and has no HTTP server');
  try {
    await http.listen({ port: config.server.port, host: config.server.host });
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new AirlockError(
        'PORT_IN_USE',
        `port ${config.server.port} is in use by another process; stop it or pass --port`,
        { cause },
      );
    }
    throw new AirlockError(
      'INTERNAL',
      `cannot listen on ${config.server.host}:${config.server.port}: ${describeError(cause)}`,
      {
        cause,
      },
    );
  }
  const address = http.server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const host =
    config.server.host === '0.0.0.0' || config.server.host === '::' ? 'localhost' : config.server.host;
  return `http://${host}:${port}`;
}
