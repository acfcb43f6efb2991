import { Counter, Histogram, Registry, Gauge } from 'prom-client';
import type { FastifyInstance } from 'fastify';
import type { JobQueue } from '../store/ports.js';

/** Prometheus metrics of one process: request counts/latencies by route, job queue depth. */
export class HttpMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'method' | 'route' | 'status'>;
  readonly latency: Histogram<'method' | 'route'>;

  constructor(jobs: Pick<JobQueue, 'depth'> | undefined) {
    this.requests = new Counter({
      name: 'airlock_http_requests_total',
      help: 'HTTP requests by method, route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.latency = new Histogram({
      name: 'airlock_http_request_duration_seconds',
      help: 'HTTP request latency by method and route',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [this.registry],
    });
    if (jobs) {
      new Gauge({
        name: 'airlock_job_queue_depth',
        help: 'Unfinished jobs by queue and status',
        labelNames: ['queue', 'status'],
        registers: [this.registry],
        async collect() {
          this.reset();
          for (const [queue, counts] of Object.entries(await jobs.depth())) {
            this.set({ queue, status: 'queued' }, counts.queued);
            this.set({ queue, status: 'running' }, counts.running);
            this.set({ queue, status: 'dead' }, counts.dead);
          }
        },
      });
    }
  }

  /** Counts every response under its route pattern (never the raw URL, which would explode cardinality). */
  register(app: FastifyInstance): void {
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      this.requests.inc({ method: request.method, route, status: String(reply.statusCode) });
      this.latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    });
  }
}
