import { useState, type FormEvent, type ReactNode } from 'react';
import { api, safeUrl, versionPath, type Finding, type VersionView } from './api';
import { EvidenceExcerptView } from './review-details';
import { Problem } from './problem';

/** A version's findings with their code evidence (file, line, excerpt; the lines around it on request). */
export function Findings({ findings, version }: { findings: readonly Finding[]; version?: VersionView }) {
  if (findings.length === 0) return <p>No findings.</p>;
  return (
    <ul className="findings">
      {findings.map((f, i) => (
        <li key={i} className={`finding sev-${f.severity}`}>
          <span className="badge">{f.severity}</span> <code>{`${f.analyzer}/${f.rule}`}</code>: {f.message}
          {f.file && (
            <div className="location">
              {f.file}
              {f.line !== undefined && `:${f.line}`}
            </div>
          )}
          {f.evidence && (
            <pre className="evidence">
              <code>{f.evidence}</code>
            </pre>
          )}
          {version && f.file && f.line !== undefined && <EvidenceExcerptView version={version} finding={f} />}
          {f.advisory && (
            <div>
              Advisory{' '}
              {safeUrl(f.advisory.url) ? (
                <a href={safeUrl(f.advisory.url)}>{f.advisory.id}</a>
              ) : (
                f.advisory.id
              )}
              {f.advisory.fixedIn?.length ? `, fixed in ${f.advisory.fixedIn.join(', ')}` : ''}
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}

/** Why the gate holds or decided the version. */
export function Reasons({ version }: { version: VersionView }) {
  const reasons = version.decision?.reasons ?? [];
  if (reasons.length === 0) return null;
  return (
    <ul className="reasons">
      {reasons.map((r, i) => (
        <li key={i}>
          <code>{r.rule}</code>: {r.message}
        </li>
      ))}
    </ul>
  );
}

/** Approve / reject with a reason and an explicit confirmation; only shown to reviewers. */
export function DecisionForm(props: { version: VersionView; onDone: () => void; children?: ReactNode }) {
  const { version, onDone } = props;
  const [action, setAction] = useState<'approve' | 'reject' | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const label = `${version.name}@${version.version}`;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!action || !reason.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await api(`${versionPath(version.name, version.version)}/${action}`, { reason: reason.trim() });
      setAction(null);
      setReason('');
      onDone();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  if (!action) {
    return (
      <div className="actions">
        <button type="button" className="approve" onClick={() => setAction('approve')}>
          Approve
        </button>
        <button type="button" className="reject" onClick={() => setAction('reject')}>
          Reject
        </button>
        {props.children}
      </div>
    );
  }
  const id = `reason-${version.name}-${version.version}`.replace(/[^A-Za-z0-9_-]/g, '-');
  return (
    <form className="confirm" onSubmit={(e) => void submit(e)}>
      <label htmlFor={id}>
        Reason to {action} {label}
      </label>
      <textarea
        id={id}
        required
        maxLength={2000}
        value={reason}
        autoFocus
        onChange={(e) => setReason(e.target.value)}
      />
      <div className="actions">
        <button type="submit" className={action} disabled={busy || !reason.trim()}>
          Confirm {action === 'approve' ? 'approval' : 'rejection'} of {label}
        </button>
        <button type="button" onClick={() => setAction(null)}>
          Cancel
        </button>
      </div>
      <Problem error={error} />
    </form>
  );
}

/** Link to a version's package page. */
export function VersionLink({ name, version }: { name: string; version: string }) {
  return (
    <a href={`#/packages/${encodeURIComponent(name)}/${encodeURIComponent(version)}`}>
      {name}@{version}
    </a>
  );
}
