import { useState } from 'react';
import {
  safeUrl,
  versionPath,
  type EvidenceExcerpt,
  type Finding,
  type VersionDiff,
  type VersionView,
} from './api';
import { useLazyApi } from './hooks';
import { Problem } from './problem';

/** The diff against the previous approved version, fetched when the reviewer opens it. */
export function DiffDetails({ version }: { version: VersionView }) {
  const [open, setOpen] = useState(false);
  const { data, error } = useLazyApi<VersionDiff>(`${versionPath(version.name, version.version)}/diff`, open);
  return (
    <details className="diff" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Changes since the previous approved version</summary>
      <Problem error={error} />
      {open && !data && !error && <p>Comparing…</p>}
      {data && <DiffView diff={data} />}
    </details>
  );
}

function DiffView({ diff }: { diff: VersionDiff }) {
  const { files } = diff;
  return (
    <div className="diff-view">
      <p>
        {diff.previous ? (
          <>
            Compared with <strong>{diff.previous}</strong>: {files.counts.added} new, {files.counts.changed}{' '}
            changed, {files.counts.removed} removed, {files.counts.unchanged} unchanged files.
          </>
        ) : (
          'Nothing to compare with.'
        )}
      </p>
      {diff.problems.map((p) => (
        <p key={p} className="note">
          {p}
        </p>
      ))}
      {diff.installScripts.length > 0 && (
        <>
          <h3>Install scripts</h3>
          <ul className="changes">
            {diff.installScripts.map((s) => (
              <li key={s.hook} className={s.after !== undefined ? 'change-added' : 'change-removed'}>
                <code>{s.hook}</code>: {s.before !== undefined && <del>{s.before}</del>}
                {s.before !== undefined && s.after !== undefined && ' → '}
                {s.after !== undefined && <ins>{s.after}</ins>}
              </li>
            ))}
          </ul>
        </>
      )}
      {diff.dependencies.length > 0 && (
        <>
          <h3>Dependencies</h3>
          <ul className="changes">
            {diff.dependencies.map((d) => (
              <li
                key={`${d.field}:${d.name}`}
                className={d.from === undefined ? 'change-added' : d.to === undefined ? 'change-removed' : ''}
              >
                {d.from === undefined ? 'new ' : d.to === undefined ? 'removed ' : ''}
                <code>{d.name}</code> {d.from !== undefined && <del>{d.from}</del>}
                {d.from !== undefined && d.to !== undefined && ' → '}
                {d.to !== undefined && <ins>{d.to}</ins>}
                {d.field !== 'dependencies' && <span className="note"> ({d.field})</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      <FileList title="New files" files={files.added} kind="added" />
      <FileList title="Changed files" files={files.changed} kind="changed" />
      <FileList title="Removed files" files={files.removed} kind="removed" />
      {files.truncated && <p className="note">Lists are cut at 200 files each.</p>}
      {diff.signals.length > 0 && (
        <>
          <h3>What the scanner flagged in the diff</h3>
          <ul>
            {diff.signals.map((f, i) => (
              <li key={i}>
                <code>{f.rule}</code>: {f.message}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function FileList(props: { title: string; files: VersionDiff['files']['added']; kind: string }) {
  if (props.files.length === 0) return null;
  return (
    <>
      <h3>{props.title}</h3>
      <ul className={`changes files change-${props.kind}`}>
        {props.files.map((f) => (
          <li key={f.path}>
            <code>{f.path}</code>{' '}
            <span className="note">
              {f.previousSize !== undefined ? `${f.previousSize} → ${f.size} bytes` : `${f.size} bytes`}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}

/** Lines around a finding from the stored tarball; the finding's line is marked. Text only, never HTML. */
export function EvidenceExcerptView({ version, finding }: { version: VersionView; finding: Finding }) {
  const [open, setOpen] = useState(false);
  const query = new URLSearchParams({
    file: finding.file ?? '',
    line: String(finding.line ?? 1),
    context: '4',
  });
  const { data, error } = useLazyApi<EvidenceExcerpt>(
    `${versionPath(version.name, version.version)}/excerpt?${query.toString()}`,
    open,
  );
  return (
    <details className="excerpt" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        Code around {finding.file}:{finding.line}
      </summary>
      {error && <p className="error">{error}</p>}
      {data?.problem && <p className="note">{data.problem}</p>}
      {data && data.lines.length > 0 && (
        <pre
          className="evidence code"
          aria-label={`${data.file} lines ${data.lines[0]?.number ?? ''} to ${data.lines.at(-1)?.number ?? ''}`}
        >
          {data.lines.map((l) => (
            <span key={l.number} className={l.match ? 'line match' : 'line'}>
              <span className="line-number" aria-hidden="true">
                {l.number}
              </span>
              {l.match ? <mark>{l.text}</mark> : l.text}
              {'\n'}
            </span>
          ))}
        </pre>
      )}
    </details>
  );
}

const provenanceKeys = [
  'hasProvenance',
  'sourceRepo',
  'builder',
  'provenanceRegression',
  'sourceRepoChanged',
  'unsigned',
];

/** Where the version was built from, as the provenance analyzer found it. */
export function ProvenanceFacts({ version }: { version: VersionView }) {
  const facts = version.facts;
  const extra = (facts.extra ?? {}) as Record<string, unknown>;
  const rows: [string, unknown][] = [
    ...provenanceKeys.filter((k) => facts[k] !== undefined).map((k): [string, unknown] => [k, facts[k]]),
    ...Object.entries(extra).filter(([k]) => k.startsWith('attest.')),
  ];
  if (rows.length === 0) return <p className="note">No provenance facts were recorded.</p>;
  return (
    <dl className="provenance">
      {rows.map(([key, value]) => (
        <div key={key}>
          <dt>{key}</dt>
          <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Known vulnerabilities of the version, with the versions that fix them. */
export function Vulnerabilities({ findings }: { findings: readonly Finding[] }) {
  const vulns = findings.filter((f) => f.advisory);
  if (vulns.length === 0) return <p className="note">No known vulnerabilities.</p>;
  return (
    <table className="vulns">
      <thead>
        <tr>
          <th scope="col">Advisory</th>
          <th scope="col">Severity</th>
          <th scope="col">CVSS</th>
          <th scope="col">Fixed in</th>
          <th scope="col">Summary</th>
        </tr>
      </thead>
      <tbody>
        {vulns.map((f, i) => (
          <tr key={`${f.advisory?.id ?? ''}-${i}`} className={`sev-${f.severity}`}>
            <td>
              {safeUrl(f.advisory?.url) ? (
                <a href={safeUrl(f.advisory?.url)}>{f.advisory?.id}</a>
              ) : (
                f.advisory?.id
              )}
              {f.advisory?.aliases?.length ? (
                <div className="note">{f.advisory.aliases.join(', ')}</div>
              ) : null}
            </td>
            <td>
              <span className="badge">{f.severity}</span>
            </td>
            <td>{f.advisory?.cvssScore ?? '—'}</td>
            <td>{f.advisory?.fixedIn?.length ? f.advisory.fixedIn.join(', ') : 'no fix yet'}</td>
            <td>{f.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
