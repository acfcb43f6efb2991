import type { FastifyReply, FastifyRequest } from 'fastify';
import { AirlockError } from '../errors.js';

/** What the dashboard hears about: the review queue changed, something was decided, an install refused. */
export type LiveEventType = 'queue-changed' | 'decision' | 'blocked-attempt';

export interface LiveEvent {
  readonly type: LiveEventType;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface EventHubOptions {
  /** Open streams in this process; one more answers 429. */
  readonly maxClients?: number;
  /** Open streams per token (or per address for anonymous callers). */
  readonly maxPerPrincipal?: number;
  /** A comment line this often keeps proxies from closing an idle stream and finds dead peers. */
  readonly heartbeatMs?: number;
  /** Streams end after this long and the client reconnects, so a revoked token stops hearing. */
  readonly maxStreamMs?: number;
  /** Buffered bytes a slow client may fall behind by before it is dropped. */
  readonly maxBufferedBytes?: number;
  /**
   * Change marks read from the database while anyone listens: decisions made by other processes
   * reach this node's clients when a mark moves.
   */
  readonly watch?: {
    readonly intervalMs: number;
    readonly marks: () => Promise<Readonly<Record<string, string>>>;
    /** Which event a moved mark means. */
    readonly events: Readonly<Record<string, LiveEventType>>;
    readonly onError: (error: unknown) => void;
  };
}

interface Client {
  readonly key: string;
  readonly write: (text: string) => void;
  readonly end: () => void;
}

/** Server-sent events for the dashboard: bounded clients, heartbeats, cleanup on close and shutdown. */
export class EventHub {
  readonly #o: Required<Omit<EventHubOptions, 'watch'>> & Pick<EventHubOptions, 'watch'>;
  readonly #clients = new Set<Client>();
  #nextId = 1;
  #closed = false;
  #watchTimer: NodeJS.Timeout | undefined;
  #marks: Readonly<Record<string, string>> | undefined;

  constructor(options: EventHubOptions = {}) {
    this.#o = {
      maxClients: options.maxClients ?? 100,
      maxPerPrincipal: options.maxPerPrincipal ?? 5,
      heartbeatMs: options.heartbeatMs ?? 15_000,
      maxStreamMs: options.maxStreamMs ?? 5 * 60_000,
      maxBufferedBytes: options.maxBufferedBytes ?? 256 * 1024,
      watch: options.watch,
    };
  }

  get size(): number {
    return this.#clients.size;
  }

  /** Sends an event to every open stream. */
  publish(event: LiveEvent): void {
    const text = `id: ${this.#nextId++}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`;
    for (const client of this.#clients) client.write(text);
  }

  /** Turns the request into an event stream; TOO_MANY_REQUESTS when the limits are reached. */
  attach(request: FastifyRequest, reply: FastifyReply): void {
    if (this.#closed)
      throw new AirlockError('SHUTTING_DOWN', 'the server is shutting down; reconnect shortly');
    const key =
      request.principal.role === 'anonymous' ? `ip:${request.ip}` : `token:${request.principal.name}`;
    const mine = [...this.#clients].filter((c) => c.key === key).length;
    if (this.#clients.size >= this.#o.maxClients || mine >= this.#o.maxPerPrincipal) {
      throw new AirlockError(
        'TOO_MANY_REQUESTS',
        `too many open event streams (${mine >= this.#o.maxPerPrincipal ? `${mine} for you` : `${this.#clients.size} in all`}); close a dashboard tab or poll instead`,
      );
    }
    reply.hijack();
    const res = reply.raw;
    // The stream outlives the server's idle socket timeout; its own heartbeat and lifetime bound it.
    request.raw.socket.setTimeout(0);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
      'x-request-id': request.id,
    });
    let open = true;
    const end = () => {
      if (!open) return;
      open = false;
      clearInterval(heartbeat);
      clearTimeout(lifetime);
      this.#clients.delete(client);
      if (this.#clients.size === 0) this.#stopWatching();
      res.end();
    };
    const write = (text: string) => {
      if (!open) return;
      // A client that does not read would make us buffer without bound: let it reconnect instead.
      if (res.writableLength > this.#o.maxBufferedBytes) {
        end();
        return;
      }
      res.write(text);
    };
    const client: Client = { key, write, end };
    const heartbeat = setInterval(() => write(': heartbeat\n\n'), this.#o.heartbeatMs);
    const lifetime = setTimeout(end, this.#o.maxStreamMs);
    heartbeat.unref();
    lifetime.unref();
    request.raw.on('close', end);
    res.on('close', end);
    res.on('error', end);
    this.#clients.add(client);
    write(`retry: 3000\n: connected\n\n`);
    this.#startWatching();
  }

  /** Ends every stream and refuses new ones (graceful shutdown must not wait for them). */
  close(): void {
    this.#closed = true;
    this.#stopWatching();
    for (const client of [...this.#clients]) client.end();
  }

  #startWatching(): void {
    const watch = this.#o.watch;
    if (!watch || this.#watchTimer) return;
    let busy = false;
    const tick = async () => {
      // A slow database must not stack up overlapping reads.
      if (busy) return;
      busy = true;
      try {
        const marks = await watch.marks();
        const before = this.#marks;
        this.#marks = marks;
        if (!before) return;
        const moved = new Set<LiveEventType>();
        for (const [name, value] of Object.entries(marks)) {
          const type = watch.events[name];
          if (type && before[name] !== value) moved.add(type);
        }
        for (const type of moved) this.publish({ type, data: { source: 'database' } });
      } catch (error) {
        watch.onError(error);
      } finally {
        busy = false;
      }
    };
    void tick();
    this.#watchTimer = setInterval(() => void tick(), watch.intervalMs);
    this.#watchTimer.unref();
  }

  #stopWatching(): void {
    if (this.#watchTimer) clearInterval(this.#watchTimer);
    this.#watchTimer = undefined;
    this.#marks = undefined;
  }
}
