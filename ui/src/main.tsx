import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { api, storeToken, storedToken, type Whoami } from './api';
import { AuditPage, PackagePage, PolicyPage, ReviewQueue, SignIn } from './pages';
import { TokensPage } from './tokens';
import { BlockedPage } from './blocked';
import { useLiveStatus } from './live';
import './style.css';

type Route =
  | { page: 'queue' }
  | { page: 'audit' }
  | { page: 'policy' }
  | { page: 'tokens' }
  | { page: 'blocked' }
  | { page: 'package'; name: string; version?: string };

/** `#/`, `#/blocked`, `#/audit`, `#/policy`, `#/tokens`, `#/packages/<name>[/<version>]` (URI-escaped). */
function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  if (parts[0] === 'audit') return { page: 'audit' };
  if (parts[0] === 'policy') return { page: 'policy' };
  if (parts[0] === 'tokens') return { page: 'tokens' };
  if (parts[0] === 'blocked') return { page: 'blocked' };
  if (parts[0] === 'packages' && parts[1]) {
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    };
    // An unescaped scoped name arrives as two parts: `@scope` and `name`.
    const scoped = parts[1].startsWith('@') && !parts[1].includes('%2F') && parts[2];
    const name = scoped ? `${decode(parts[1])}/${decode(parts[2] ?? '')}` : decode(parts[1]);
    const version = scoped ? parts[3] : parts[2];
    return version ? { page: 'package', name, version: decode(version) } : { page: 'package', name };
  }
  return { page: 'queue' };
}

function App() {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  const [who, setWho] = useState<Whoami | null>(null);
  const [checking, setChecking] = useState(() => storedToken() !== null);

  useEffect(() => {
    const onHash = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    if (!storedToken()) return;
    api<Whoami>('/whoami').then(
      (w) => {
        setWho(w.role === 'anonymous' ? null : w);
        setChecking(false);
      },
      () => setChecking(false),
    );
  }, []);

  const signOut = () => {
    storeToken(null);
    setWho(null);
  };

  return (
    <>
      <a href="#main" className="skip" onClick={skipToMain}>
        Skip to content
      </a>
      <header>
        <nav aria-label="Main">
          <a href="#/" className="brand">
            Airlock
          </a>
          <a href="#/" aria-current={route.page === 'queue' ? 'page' : undefined}>
            Review queue
          </a>
          <a href="#/blocked" aria-current={route.page === 'blocked' ? 'page' : undefined}>
            Blocked attempts
          </a>
          <a href="#/audit">Audit log</a>
          <a href="#/policy">Policy</a>
          {who?.role === 'admin' && <a href="#/tokens">Tokens</a>}
          {who && <LiveBadge />}
          {who && (
            <span className="who">
              Signed in as <strong>{who.name}</strong> ({who.role}){' '}
              <button type="button" onClick={signOut}>
                Sign out
              </button>
            </span>
          )}
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {checking ? (
          <p>Checking your token…</p>
        ) : !who ? (
          <SignIn onSignedIn={setWho} />
        ) : route.page === 'audit' ? (
          <AuditPage />
        ) : route.page === 'policy' ? (
          <PolicyPage />
        ) : route.page === 'tokens' ? (
          <TokensPage />
        ) : route.page === 'blocked' ? (
          <BlockedPage />
        ) : route.page === 'package' ? (
          <PackagePage
            key={`${route.name}@${route.version ?? ''}`}
            who={who}
            name={route.name}
            {...(route.version ? { version: route.version } : {})}
          />
        ) : (
          <ReviewQueue who={who} />
        )}
      </main>
    </>
  );
}

/** The hash is the router's, so the skip link moves focus itself instead of navigating. */
function skipToMain(event: { preventDefault(): void }): void {
  event.preventDefault();
  document.getElementById('main')?.focus();
}

/** Whether the page hears changes as they happen or polls for them. */
function LiveBadge() {
  const status = useLiveStatus();
  const text = status === 'live' ? 'Live' : status === 'connecting' ? 'Connecting…' : 'Polling';
  return (
    <span className={`live live-${status}`} role="status" title="Live updates from the server">
      {text}
    </span>
  );
}

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
