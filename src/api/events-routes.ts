import type { FastifyPluginAsync } from 'fastify';
import { requireRole } from '../auth/require-role.js';
import { refKey } from '../core/package-ref.js';
import type { Gate } from '../gate/gate.js';
import type { EventHub } from '../http/event-stream.js';

export interface EventsRoutesDeps {
  readonly hub: EventHub;
  readonly anonymousApiRead: boolean;
}

/**
 * `GET /api/v1/events`: server-sent events for the dashboard. Authenticated like every API call, by
 * the Bearer header (the dashboard reads the stream with fetch(), not EventSource, so no token ever
 * goes into a URL, a log line or the browser history; and no cookies, so no CSRF).
 */
export function eventsApiRoutes(deps: EventsRoutesDeps): FastifyPluginAsync {
  return async (app) => {
    // Open streams would hold `close()` until they end: end them before the server waits for requests.
    app.addHook('preClose', async () => deps.hub.close());
    app.get('/events', async (request, reply) => {
      if (!deps.anonymousApiRead) requireRole(request.principal, 'reader', 'read the API');
      deps.hub.attach(request, reply);
      return reply;
    });
  };
}

/** Publishes this process's gate decisions to the hub; returns the unsubscribe. */
export function publishGateChanges(gate: Pick<Gate, 'onChange'>, hub: Pick<EventHub, 'publish'>): () => void {
  return gate.onChange((change) => {
    const data = {
      ecosystem: change.ref.ecosystem,
      name: change.ref.name,
      version: change.ref.version,
      subject: refKey(change.ref),
      state: change.state,
      decidedBy: change.decidedBy,
    };
    hub.publish({ type: 'decision', data });
    if (change.state === 'review' || change.previousState === 'review') {
      hub.publish({ type: 'queue-changed', data });
    }
  });
}
