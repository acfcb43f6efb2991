import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from './api';
import { useLiveEvents, useLiveStatus } from './live';

/** Polling when live events are not arriving; a slow safety net when they are. */
const pollMs = 4000;
const livePollMs = 30_000;

/**
 * Loads `path` now and whenever `reload` is called; with `live`, also on those live events (coalesced)
 * and by polling, fast when the event stream is down.
 */
export function useApi<T>(path: string, live?: readonly string[]) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    api<T>(path).then(
      (d) => {
        setData(d);
        setError(null);
      },
      (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
    );
  }, [path]);
  const status = useLiveStatus();
  // A string, so a new array with the same types on every render does not restart anything.
  const liveKey = live ? live.join(',') : null;
  useEffect(() => {
    load();
    if (liveKey === null) return;
    const timer = setInterval(load, status === 'live' ? livePollMs : pollMs);
    return () => clearInterval(timer);
  }, [load, liveKey, status]);
  // Several events in a burst (a decision and a queue change) make one request.
  const pending = useRef<number | undefined>(undefined);
  const onEvent = useCallback(() => {
    window.clearTimeout(pending.current);
    pending.current = window.setTimeout(load, 200);
  }, [load]);
  useEffect(() => () => window.clearTimeout(pending.current), []);
  useLiveEvents(liveKey, onEvent);
  return { data, error, reload: load };
}

/** Loads `path` only once `enabled` turns true (details a reviewer opens). */
export function useLazyApi<T>(path: string, enabled: boolean) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let current = true;
    api<T>(path).then(
      (d) => current && setData(d),
      (err: unknown) => current && setError(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      current = false;
    };
  }, [path, enabled]);
  return { data, error };
}

/** The error line every page shows the same way. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
