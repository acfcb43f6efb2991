import { useState, type FormEvent } from 'react';
import { api, waivableRules, type VersionView } from './api';
import { errorText } from './hooks';
import { Problem } from './problem';

/** `YYYY-MM-DD`, `days` from today (UTC). */
function dayFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Waives the rules that hold this exact version, until a date, with a reason; the gate then decides
 * again (the waiver applies to this version only, never the whole package).
 */
export function WaiveForm({ version, onDone }: { version: VersionView; onDone: () => void }) {
  const rules = waivableRules(version);
  const [open, setOpen] = useState(false);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set(rules));
  const [until, setUntil] = useState(dayFromNow(30));
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (rules.length === 0) return null;
  const label = `${version.name}@${version.version}`;
  const id = `waive-${label}`.replace(/[^A-Za-z0-9_-]/g, '-');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim() || chosen.size === 0) return;
    setBusy(true);
    setError(null);
    try {
      for (const rule of chosen) {
        await api('/waivers', {
          ecosystem: 'npm',
          name: version.name,
          range: version.version,
          rule,
          until,
          reason: reason.trim(),
        });
      }
      setOpen(false);
      setReason('');
      onDone();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  if (!open) {
    return (
      <button type="button" className="waive" onClick={() => setOpen(true)}>
        Waive…
      </button>
    );
  }
  return (
    <form
      className="confirm waive-form"
      onSubmit={(e) => void submit(e)}
      aria-label={`Waive rules for ${label}`}
    >
      <fieldset>
        <legend>Rules to waive for {label} only</legend>
        {rules.map((rule) => (
          <label key={rule} className="check">
            <input
              type="checkbox"
              checked={chosen.has(rule)}
              onChange={(e) => {
                const next = new Set(chosen);
                if (e.target.checked) next.add(rule);
                else next.delete(rule);
                setChosen(next);
              }}
            />{' '}
            <code>{rule}</code>
          </label>
        ))}
      </fieldset>
      <label htmlFor={`${id}-until`}>Waiver ends after (UTC day)</label>
      <input
        id={`${id}-until`}
        type="date"
        required
        min={dayFromNow(1)}
        max={dayFromNow(366)}
        value={until}
        onChange={(e) => setUntil(e.target.value)}
      />
      <label htmlFor={`${id}-reason`}>Reason to waive</label>
      <textarea
        id={`${id}-reason`}
        required
        maxLength={1000}
        value={reason}
        autoFocus
        onChange={(e) => setReason(e.target.value)}
      />
      <div className="actions">
        <button type="submit" className="approve" disabled={busy || !reason.trim() || chosen.size === 0}>
          Confirm waiver for {label}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
      <Problem error={error} />
    </form>
  );
}
