import { useState } from 'react';
import type { BlockedAttempt } from './api';
import { useApi } from './hooks';
import { VersionLink } from './parts';
import { Problem } from './problem';

/** Who tried to install what the gate refuses: one row per version and requester, newest first. */
export function BlockedAttempts({ name, limit = 200 }: { name?: string; limit?: number }) {
  const query = new URLSearchParams({ limit: String(limit) });
  if (name) query.set('name', name);
  const { data, error } = useApi<{ attempts: BlockedAttempt[] }>(`/blocked-attempts?${query.toString()}`, [
    'blocked-attempt',
  ]);
  if (error) return <Problem error={error} />;
  if (!data) return null;
  if (data.attempts.length === 0) return <p>No install of a blocked version has been attempted.</p>;
  return (
    <table className="blocked">
      <thead>
        <tr>
          <th scope="col">Last attempt</th>
          <th scope="col">Version</th>
          <th scope="col">Who</th>
          <th scope="col">From</th>
          <th scope="col">Attempts</th>
          <th scope="col">Why it was refused</th>
        </tr>
      </thead>
      <tbody>
        {data.attempts.map((a) => (
          <tr key={`${a.name}@${a.version} ${a.principal} ${a.clientIp}`}>
            <td>
              {a.lastAt}
              {a.firstAt !== a.lastAt && <div className="note">first {a.firstAt}</div>}
            </td>
            <td>
              <VersionLink name={a.name} version={a.version} />
            </td>
            <td>{a.principal}</td>
            <td>
              {a.clientIp}
              {a.userAgent && <div className="note">{a.userAgent}</div>}
            </td>
            <td>{a.attempts}</td>
            <td>{a.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** `#/blocked`: every recorded attempt, filterable by package name. */
export function BlockedPage() {
  const [draft, setDraft] = useState('');
  const [name, setName] = useState('');
  return (
    <section>
      <h1>Blocked attempts</h1>
      <p className="note">Installs the gate refused (403): who asked, from where, how often and why.</p>
      <form
        className="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setName(draft.trim());
        }}
      >
        <div>
          <label htmlFor="blocked-name">Package name (exact)</label>
          <input id="blocked-name" value={draft} maxLength={214} onChange={(e) => setDraft(e.target.value)} />
        </div>
        <button type="submit">Filter</button>
      </form>
      <BlockedAttempts key={name} {...(name ? { name } : {})} />
    </section>
  );
}
