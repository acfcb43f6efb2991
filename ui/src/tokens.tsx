import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from './api';
import { Problem } from './problem';

interface TokenRecord {
  id: number;
  name: string;
  role: string;
  prefix: string;
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const roles = ['reader', 'publisher', 'reviewer', 'admin'] as const;

/** Admins list, create and revoke API tokens; a new token is shown once and never again. */
export function TokensPage() {
  const [tokens, setTokens] = useState<TokenRecord[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [role, setRole] = useState<(typeof roles)[number]>('reader');
  const [created, setCreated] = useState<string | null>(null);
  const fail = (err: unknown) => setError(err instanceof Error ? err.message : String(err));

  const load = useCallback(() => {
    api<{ tokens: TokenRecord[] }>('/tokens').then((d) => setTokens(d.tokens), fail);
  }, []);
  useEffect(load, [load]);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const result = await api<{ token: string }>('/tokens', { name: name.trim(), role });
      setCreated(result.token);
      setName('');
      setError(null);
      load();
    } catch (err) {
      fail(err);
    }
  };
  const revoke = async (token: TokenRecord) => {
    if (!window.confirm(`Revoke token ${token.name} (${token.role})? Clients using it stop working.`)) return;
    try {
      await api(`/tokens/${token.id}`, undefined, 'DELETE');
      load();
    } catch (err) {
      fail(err);
    }
  };

  return (
    <section>
      <h1>Tokens</h1>
      <Problem error={error} />
      <form className="signin" onSubmit={(e) => void create(e)}>
        <label htmlFor="token-name">Name</label>
        <input
          id="token-name"
          value={name}
          maxLength={100}
          required
          onChange={(e) => setName(e.target.value)}
        />
        <label htmlFor="token-role">Role</label>
        <select
          id="token-role"
          value={role}
          onChange={(e) => setRole(roles.find((r) => r === e.target.value) ?? 'reader')}
        >
          {roles.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
        <button type="submit">Create token</button>
      </form>
      {created && (
        <p role="status">
          New token (shown once): <code className="new-token">{created}</code>
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Prefix</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id}>
              <td>{t.name}</td>
              <td>{t.role}</td>
              <td>
                <code>{t.prefix}</code>
              </td>
              <td>
                {t.createdAt} by {t.createdBy}
              </td>
              <td>{t.lastUsedAt ?? 'never'}</td>
              <td>
                {t.revokedAt ? (
                  `revoked ${t.revokedAt}`
                ) : (
                  <button type="button" onClick={() => void revoke(t)}>
                    Revoke {t.name}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
