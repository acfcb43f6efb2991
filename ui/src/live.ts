// Live updates: one server-sent event stream per tab, read with fetch() so the token travels in the
// Authorization header (EventSource cannot send headers, and a token in a URL ends up in logs).
import { useEffect, useState } from 'react';
import { storedToken } from './api';

export type LiveStatus = 'connecting' | 'live' | 'polling';
export interface LiveEvent {
  type: string;
  data: unknown;
}

const listeners = new Set<(event: LiveEvent) => void>();
const statusListeners = new Set<(status: LiveStatus) => void>();
let status: LiveStatus = 'polling';
let controller: AbortController | null = null;

function setStatus(next: LiveStatus): void {
  status = next;
  for (const listener of statusListeners) listener(next);
}

/** Splits the stream into `event:`/`data:` blocks; comments (heartbeats) and unknown fields are skipped. */
function parseBlock(block: string): LiveEvent | null {
  let type = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) type = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).trim());
  }
  if (data.length === 0) return null;
  try {
    return { type, data: JSON.parse(data.join('\n')) as unknown };
  } catch {
    return null;
  }
}

async function readStream(signal: AbortSignal): Promise<void> {
  const token = storedToken();
  const response = await fetch('/api/v1/events', {
    headers: { accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    credentials: 'omit',
    cache: 'no-store',
    signal,
  });
  if (!response.ok || !response.body) throw new Error(`event stream answered ${response.status}`);
  setStatus('live');
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += value;
    // Bound what a broken stream can make us hold.
    if (buffer.length > 1_000_000) throw new Error('event stream sent an oversized event');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const event = parseBlock(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (event) for (const listener of listeners) listener(event);
    }
  }
}

/** Keeps the stream open while anyone listens; on failure falls back to polling and retries with backoff. */
async function run(): Promise<void> {
  let delay = 1_000;
  while (listeners.size > 0 && controller && !controller.signal.aborted) {
    setStatus('connecting');
    const started = Date.now();
    try {
      await readStream(controller.signal);
    } catch {
      // Falls through to polling below.
    }
    if (controller.signal.aborted) break;
    setStatus('polling');
    // A stream that lived a while (the server ends them every few minutes) reconnects at once.
    delay = Date.now() - started > 30_000 ? 1_000 : Math.min(delay * 2, 30_000);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
  setStatus('polling');
}

function subscribe(listener: (event: LiveEvent) => void): () => void {
  listeners.add(listener);
  if (!controller) {
    controller = new AbortController();
    void run();
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && controller) {
      controller.abort();
      controller = null;
    }
  };
}

/** Calls `onEvent` for live events whose type is in `types` (comma-separated; `''` for all, null for none). */
export function useLiveEvents(types: string | null, onEvent: (event: LiveEvent) => void): void {
  useEffect(() => {
    if (types === null) return;
    const wanted = new Set(types ? types.split(',') : []);
    return subscribe((event) => {
      if (wanted.size === 0 || wanted.has(event.type)) onEvent(event);
    });
  }, [types, onEvent]);
}

/** Whether the page hears live events now, or polls. */
export function useLiveStatus(): LiveStatus {
  const [current, setCurrent] = useState(status);
  useEffect(() => {
    statusListeners.add(setCurrent);
    setCurrent(status);
    return () => {
      statusListeners.delete(setCurrent);
    };
  }, []);
  return current;
}
