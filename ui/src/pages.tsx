import { useEffect, useState, type FormEvent } from 'react';
import {
  api,
  canDecide,
  storeToken,
  versionPath,
  type AuditEvent,
  type AuditVerification,
  type VersionView,
  type Whoami,
} from './api';
import { BlockedAttempts } from './blocked';
import { useApi } from './hooks';
import { Overview } from './overview';
import { DecisionForm, Findings, Reasons, VersionLink } from './parts';
import { DiffDetails, ProvenanceFacts, Vulnerabilities } from './review-details';
import { WaiveForm } from './waive';
import { Problem } from './problem';

/** Paste a token; it is kept in sessionStorage and sent as a Bearer header. */
export function SignIn({ onSignedIn }: { onSignedIn: (who: Whoami) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    storeToken(token.trim());
    try {
      const who = await api<Whoami>('/whoami');
      if (who.role === 'anonymous') throw new Error('the token was not accepted');
      onSignedIn(who);
    } catch (err) {
      storeToken(null);
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <section>
      <h1>Sign in</h1>
      <form onSubmit={(e) => void submit(e)} className="signin">
        <label htmlFor="token">API token</label>
        <input
          id="token"
          type="password"
          autoComplete="off"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          required
        />
        <button type="submit">Sign in</button>
      </form>
      <Problem error={error} />
    </section>
  );
}

/** The home page: the overview, then every version held for review, kept current by live events. */
export function ReviewQueue({ who }: { who: Whoami }) {
  const { data, error, reload } = useApi<{ items: VersionView[] }>('/review-queue', ['queue-changed']);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const toggle = (key: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(key);
    else next.delete(key);
    setSelected(next);
  };
  const chosen = (data?.items ?? []).filter((v) => selected.has(`${v.name}@${v.version}`));
  useEffect(() => {
    document.addEventListener('keydown', queueKeys);
    return () => document.removeEventListener('keydown', queueKeys);
  }, []);
  return (
    <>
      <h1 className="visually-hidden">Airlock dashboard</h1>
      <Overview />
      <section aria-labelledby="queue-title">
        <h2 id="queue-title">Review queue</h2>
        <Problem error={error} />
        {canDecide(who.role) ? (
          <p className="note">
            Keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous version, <kbd>a</kbd> approve, <kbd>r</kbd> reject,{' '}
            <kbd>w</kbd> waive.
          </p>
        ) : (
          <p className="note">Your role ({who.role}) can see the queue; reviewers decide.</p>
        )}
        {data && data.items.length === 0 && <p>Nothing is waiting for review.</p>}
        {chosen.length > 0 && (
          <BulkApprove
            versions={chosen}
            onDone={() => {
              setSelected(new Set());
              reload();
            }}
          />
        )}
        <ul className="queue">
          {data?.items.map((v) => (
            <li
              key={`${v.name}@${v.version}`}
              className="card"
              tabIndex={-1}
              aria-label={`${v.name}@${v.version}`}
            >
              <h3>
                {canDecide(who.role) && (
                  <input
                    type="checkbox"
                    className="select"
                    aria-label={`Select ${v.name}@${v.version}`}
                    checked={selected.has(`${v.name}@${v.version}`)}
                    onChange={(e) => toggle(`${v.name}@${v.version}`, e.target.checked)}
                  />
                )}
                <VersionLink name={v.name} version={v.version} />
              </h3>
              <Reasons version={v} />
              <details>
                <summary>Findings ({v.findings.length})</summary>
                <Findings findings={v.findings} version={v} />
              </details>
              <DiffDetails version={v} />
              {v.findings.some((f) => f.advisory) && (
                <details>
                  <summary>Vulnerabilities ({v.findings.filter((f) => f.advisory).length})</summary>
                  <Vulnerabilities findings={v.findings} />
                </details>
              )}
              <details>
                <summary>Provenance</summary>
                <ProvenanceFacts version={v} />
              </details>
              {canDecide(who.role) && (
                <DecisionForm version={v} onDone={reload}>
                  <WaiveForm version={v} onDone={reload} />
                </DecisionForm>
              )}
            </li>
          ))}
        </ul>
        <RecentDecisions />
      </section>
    </>
  );
}

/** Approves several selected versions with one reason, after a confirmation naming them. */
function BulkApprove({ versions, onDone }: { versions: readonly VersionView[]; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const count = `${versions.length} version${versions.length === 1 ? '' : 's'}`;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const names = versions.map((v) => `${v.name}@${v.version}`).join(', ');
    if (!reason.trim() || !window.confirm(`Approve ${count}: ${names}?`)) return;
    setError(null);
    for (const v of versions) {
      try {
        await api(`${versionPath(v.name, v.version)}/approve`, { reason: reason.trim() });
      } catch (err) {
        setError(`${v.name}@${v.version}: ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
    }
    setReason('');
    onDone();
  };
  return (
    <form className="confirm card" onSubmit={(e) => void submit(e)}>
      <label htmlFor="bulk-reason">Reason to approve the selected {count}</label>
      <textarea
        id="bulk-reason"
        required
        maxLength={2000}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      <div className="actions">
        <button type="submit" className="approve" disabled={!reason.trim()}>
          Approve {versions.length} selected
        </button>
      </div>
      <Problem error={error} />
    </form>
  );
}

/** Reviewer shortcuts: j/k move between queue cards, a/r open the approve/reject form of the focused one. */
function queueKeys(event: KeyboardEvent): void {
  const target = event.target instanceof HTMLElement ? event.target : null;
  if (event.ctrlKey || event.metaKey || event.altKey || target?.closest('input, textarea, select')) return;
  const cards = [...document.querySelectorAll<HTMLElement>('.queue .card')];
  const current = cards.findIndex((card) => card.contains(document.activeElement));
  if (event.key === 'j' || event.key === 'k') {
    const step = event.key === 'j' ? 1 : -1;
    cards[Math.max(0, Math.min(cards.length - 1, current + step))]?.focus();
    event.preventDefault();
  } else if ((event.key === 'a' || event.key === 'r' || event.key === 'w') && current >= 0) {
    const button = cards[current]?.querySelector<HTMLButtonElement>(
      event.key === 'a' ? 'button.approve' : event.key === 'r' ? 'button.reject' : 'button.waive',
    );
    if (button) {
      button.click();
      event.preventDefault();
    }
  }
}

const decisionActions = new Set(['version.approve', 'version.reject', 'version.decide']);

/** The latest decisions, by policy or by hand, from the audit log. */
function RecentDecisions() {
  const { data } = useApi<{ events: AuditEvent[] }>('/audit?limit=100', ['decision']);
  const decisions = (data?.events ?? []).filter((e) => decisionActions.has(e.action)).slice(0, 10);
  if (decisions.length === 0) return null;
  return (
    <>
      <h3>Recent decisions</h3>
      <table className="decisions">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Version</th>
            <th scope="col">Outcome</th>
            <th scope="col">By</th>
          </tr>
        </thead>
        <tbody>
          {decisions.map((e) => (
            <tr key={e.id}>
              <td>{e.at}</td>
              <td>{e.subject.replace(/^npm:/, '')}</td>
              <td>{typeof e.details.state === 'string' ? e.details.state : String(e.details.action)}</td>
              <td>{e.actor}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** The running policy, read-only. */
export function PolicyPage() {
  const { data, error } = useApi<{
    source: string;
    digest: string;
    mode: string;
    rules: unknown;
    lastError?: string;
  }>('/policy');
  return (
    <section>
      <h1>Policy</h1>
      <Problem error={error ?? data?.lastError ?? null} />
      {data && (
        <>
          <p>
            Mode <strong>{data.mode}</strong>, from {data.source}, digest <code>{data.digest}</code>
          </p>
          <pre className="evidence">
            <code>{JSON.stringify(data.rules, null, 2)}</code>
          </pre>
        </>
      )}
    </section>
  );
}

/** One version: state, decision, findings and facts (provenance among them); the package's other versions. */
export function PackagePage({ who, name, version }: { who: Whoami; name: string; version?: string }) {
  const pkg = useApi<{ name: string; versions: VersionView[] }>(`/packages/${encodeURIComponent(name)}`, [
    'decision',
  ]);
  const one = useApi<VersionView>(
    version ? versionPath(name, version) : `/packages/${encodeURIComponent(name)}`,
    ['decision'],
  );
  const v = version ? one.data : null;
  const reload = () => {
    one.reload();
    pkg.reload();
  };
  return (
    <section>
      <h1>{version ? `${name}@${version}` : name}</h1>
      <Problem error={version ? one.error : pkg.error} />
      {v && (
        <>
          <p>
            State: <strong className={`state state-${v.state}`}>{v.state}</strong>
          </p>
          {v.decision && (
            <p>
              Decision: {v.decision.action} by {v.decision.decidedBy} at {v.decision.at}
            </p>
          )}
          <Reasons version={v} />
          {v.state === 'review' && canDecide(who.role) && (
            <DecisionForm version={v} onDone={reload}>
              <WaiveForm version={v} onDone={reload} />
            </DecisionForm>
          )}
          <h2>Findings</h2>
          <Findings findings={v.findings} version={v} />
          <DiffDetails version={v} />
          <h2>Vulnerabilities</h2>
          <Vulnerabilities findings={v.findings} />
          <h2>Provenance</h2>
          <ProvenanceFacts version={v} />
          <h2>Facts</h2>
          <dl className="facts">
            {Object.entries(v.facts).map(([key, value]) => (
              <div key={key}>
                <dt>{key}</dt>
                <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
      <h2>All known versions</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">State</th>
            <th scope="col">Decided by</th>
          </tr>
        </thead>
        <tbody>
          {pkg.data?.versions.map((x) => (
            <tr key={x.version}>
              <td>
                <VersionLink name={x.name} version={x.version} />
              </td>
              <td>{x.state}</td>
              <td>{x.decision?.decidedBy ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Blocked install attempts</h2>
      <BlockedAttempts name={name} limit={50} />
    </section>
  );
}

/** The audit log, newest first, with the hash chain's verification status. */
export function AuditPage() {
  const [draft, setDraft] = useState({ actor: '', action: '', subject: '' });
  const [filter, setFilter] = useState(draft);
  const query = new URLSearchParams({ limit: '200' });
  for (const [key, value] of Object.entries(filter)) if (value.trim()) query.set(key, value.trim());
  const events = useApi<{ events: AuditEvent[] }>(`/audit?${query.toString()}`);
  const verify = useApi<AuditVerification>('/audit/verify');
  const status = verify.data;
  const field = (key: keyof typeof draft, label: string) => (
    <div>
      <label htmlFor={`audit-${key}`}>{label}</label>
      <input
        id={`audit-${key}`}
        value={draft[key]}
        maxLength={200}
        onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
      />
    </div>
  );
  return (
    <section>
      <h1>Audit log</h1>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter(draft);
        }}
      >
        {field('actor', 'Actor')}
        {field('action', 'Action (exact, e.g. version.approve)')}
        {field('subject', 'Subject starts with')}
        <button type="submit">Filter</button>
      </form>
      <Problem error={events.error ?? verify.error} />
      {status && (
        <p className={status.intact ? 'ok' : 'error'} role="status">
          {status.intact
            ? `Chain intact: ${status.events} events verified.`
            : `Chain broken at event ${status.firstBadId}: ${status.problem}`}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Subject</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {events.data?.events.map((e) => (
            <tr key={e.id}>
              <td>{e.at}</td>
              <td>{e.actor}</td>
              <td>{e.action}</td>
              <td>{e.subject}</td>
              <td>
                <code>{JSON.stringify(e.details)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
