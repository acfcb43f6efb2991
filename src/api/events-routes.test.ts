import type { FastifyInstance } from 'fastify';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GateChange } from '../gate/gate.js';
import { EventHub, type EventHubOptions } from '../http/event-stream.js';
import { eventsApiRoutes, publishGateChanges } from './events-routes.js';
import { apiServer } from './test-support/api-server.js';

let app: FastifyInstance | undefined;
const streams: AbortController[] = [];
// A client pool of the test's own: the global one keeps spare sockets open that `close()` would wait for.
let agent = new Agent();
const fetch = (url: string, init: { headers?: Record<string, string>; signal?: AbortSignal } = {}) =>
  undiciFetch(url, { ...init, dispatcher: agent });
afterEach(async () => {
  for (const s of streams.splice(0)) s.abort();
  await agent.destroy();
  agent = new Agent();
  await app?.close();
  app = undefined;
});

async function start(options: EventHubOptions = {}) {
  const hub = new EventHub(options);
  app = await apiServer(eventsApiRoutes({ hub, anonymousApiRead: false }));
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { hub, url: `${address}/api/v1/events` };
}

/** Opens the stream as the dashboard does (fetch with a Bearer header) and reads it as text. */
async function open(url: string, token = 'reader-token') {
  const controller = new AbortController();
  streams.push(controller);
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  let text = '';
  const reader = response.body?.getReader();
  const pump = (async () => {
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const chunk = (await reader!.read()) as { done: boolean; value?: Uint8Array };
        if (chunk.done) return;
        text += decoder.decode(chunk.value);
      }
    } catch {
      // Aborted by the test.
    }
  })();
  return {
    response,
    ended: pump,
    text: () => text,
    until: (pattern: RegExp) => vi.waitFor(() => expect(text).toMatch(pattern), { timeout: 3000 }),
    close: () => controller.abort(),
  };
}

describe('GET /api/v1/events', () => {
  it('streams server-sent events to readers, authenticated by the Bearer header', async () => {
    const { hub, url } = await start();
    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
    await anonymous.body?.cancel();
    const stream = await open(url);
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(stream.response.headers.get('cache-control')).toBe('no-cache, no-transform');
    await stream.until(/: connected/);
    hub.publish({ type: 'queue-changed', data: { name: 'left-pad', version: '1.3.0' } });
    await stream.until(/event: queue-changed\ndata: {"name":"left-pad","version":"1.3.0"}\n\n/);
    expect(hub.size).toBe(1);
    stream.close();
    await vi.waitFor(() => expect(hub.size).toBe(0));
  });

  it('bounds streams per token and in all, answering 429', async () => {
    const { url } = await start({ maxPerPrincipal: 1, maxClients: 2 });
    const first = await open(url);
    await first.until(/connected/);
    const again = await fetch(url, { headers: { authorization: 'Bearer reader-token' } });
    expect(again.status).toBe(429);
    expect(await again.json()).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    await (await open(url, 'reviewer-token')).until(/connected/);
    const full = await fetch(url, { headers: { authorization: 'Bearer admin-token' } });
    expect(full.status).toBe(429);
    await full.body?.cancel();
  });

  it('sends heartbeats and ends a stream after its lifetime (the client reconnects)', async () => {
    const { hub, url } = await start({ heartbeatMs: 30, maxStreamMs: 300 });
    const stream = await open(url);
    await stream.until(/: heartbeat\n\n/);
    await stream.ended;
    expect(hub.size).toBe(0);
  });

  it('does not hold graceful shutdown open', async () => {
    const { url } = await start();
    const stream = await open(url);
    await stream.until(/connected/);
    const started = Date.now();
    await app!.close();
    app = undefined;
    await stream.ended;
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('turns moved database marks into events while anyone listens', async () => {
    let marks = { queue: 'a', versions: '1' };
    const read = vi.fn(async () => marks);
    const { url } = await start({
      watch: {
        intervalMs: 20,
        marks: read,
        events: { queue: 'queue-changed', versions: 'decision' },
        onError: () => undefined,
      },
    });
    expect(read).not.toHaveBeenCalled();
    const stream = await open(url);
    await vi.waitFor(() => expect(read).toHaveBeenCalled());
    marks = { queue: 'a', versions: '2' };
    await stream.until(/event: decision\ndata: {"source":"database"}/);
    expect(stream.text()).not.toContain('queue-changed');
    marks = { queue: 'b', versions: '3' };
    await stream.until(/event: queue-changed/);
    stream.close();
    await vi.waitFor(() => expect(read.mock.calls.length).toBeGreaterThan(0));
  });
});

describe('publishGateChanges', () => {
  it('publishes every decision, and queue-changed when a version enters or leaves review', () => {
    let listener: ((change: GateChange) => void) | undefined;
    const unsubscribe = vi.fn();
    const published: string[] = [];
    const off = publishGateChanges(
      {
        onChange: (l) => {
          listener = l;
          return unsubscribe;
        },
      },
      { publish: (e) => published.push(`${e.type}:${String(e.data.state)}`) },
    );
    const ref = { ecosystem: 'npm' as const, name: 'p', version: '1.0.0' };
    listener?.({ ref, state: 'approved', previousState: 'scanning', decidedBy: 'policy' });
    listener?.({ ref, state: 'review', previousState: 'scanning', decidedBy: 'policy' });
    listener?.({ ref, state: 'approved', previousState: 'review', decidedBy: 'alice' });
    expect(published).toEqual([
      'decision:approved',
      'decision:review',
      'queue-changed:review',
      'decision:approved',
      'queue-changed:approved',
    ]);
    off();
    expect(unsubscribe).toHaveBeenCalled();
  });
});
